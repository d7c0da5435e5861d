"""Scores, computed the same way for the results page, the API, the panels and the demo.

- CSAT (1–5): the share of 4 and 5 among the responses.
- NPS (0–10): % promoters (9–10) − % detractors (0–6), from −100 to 100.
- CES (1–7, 7 = "very easy"): the mean.
- The response outcome of article 004: two answers (satisfaction with the response, feeling
  toward the person who responded) map to one of five outcomes (``outcome_of``; the table is in
  docs/surveys.md).
"""

from __future__ import annotations

from collections.abc import Iterable

SATISFACTION = ("fully", "slightly", "dissatisfied", "very_dissatisfied")
FEELING = ("warm", "neutral", "negative")

# Low scores open a service-recovery task.
LOW_CSAT, LOW_NPS, LOW_CES, LOW_OUTCOMES = 2, 6, 3, (4, 5)


def outcome_of(satisfaction: str, feeling: str) -> int:
    """Article 004's five outcomes:
    1 satisfied and warm toward the responder; 2 satisfied, no strong feeling; 3 slightly
    satisfied (with or without a feeling); 4 dissatisfied but no hard feelings toward the
    responder; 5 (very) dissatisfied and negative toward the responder."""
    if satisfaction not in SATISFACTION or feeling not in FEELING:
        raise ValueError(f"unknown answer {satisfaction!r}/{feeling!r}")
    if satisfaction == "fully":
        return {"warm": 1, "neutral": 2, "negative": 3}[feeling]
    if satisfaction == "slightly":
        return 3
    return 5 if feeling == "negative" else 4


def is_low(kind: str, score: int | None, outcome: int | None) -> bool:
    if kind == "csat":
        return score is not None and score <= LOW_CSAT
    if kind == "nps":
        return score is not None and score <= LOW_NPS
    if kind == "ces":
        return score is not None and score <= LOW_CES
    if kind == "outcome":
        return outcome in LOW_OUTCOMES
    return False


def csat(scores: Iterable[int]) -> float | None:
    """Share (0–1) of 4 and 5; None without responses."""
    scores = list(scores)
    return sum(1 for s in scores if s >= 4) / len(scores) if scores else None


def nps(scores: Iterable[int]) -> float | None:
    """% promoters − % detractors, −100 to 100; None without responses."""
    scores = list(scores)
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)


def ces(scores: Iterable[int]) -> float | None:
    scores = list(scores)
    return round(sum(scores) / len(scores), 2) if scores else None


def outcome_shares(outcomes: Iterable[int]) -> dict[int, float]:
    outcomes = list(outcomes)
    n = len(outcomes) or 1
    return {k: sum(1 for o in outcomes if o == k) / n for k in range(1, 6)}


def headline(kind: str, scores: list[int], outcomes: list[int]) -> float | None:
    """The one number shown per group: CSAT share, NPS, CES mean, or the share of outcomes 1–2."""
    if kind == "csat":
        return csat(scores)
    if kind == "nps":
        return nps(scores)
    if kind == "ces":
        return ces(scores)
    if kind == "outcome":
        return (sum(1 for o in outcomes if o <= 2) / len(outcomes)) if outcomes else None
    return None
