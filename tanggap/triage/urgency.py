"""Urgency rules (documented in docs/intelligence.md). Pure functions of the message text, the
sentiment and a few facts about the ticket, so they are cheap and explainable: each rule that
fires adds a reason the agent sees.

- ``urgent_words``: "segera", "darurat", "urgent", "tolong cepat", "secepatnya", "kecemasan",
  "asap", "emergency", "immediately" ... (Indonesian, Malay, English);
- ``escalation``: a threat to go public or legal ("viral", "lapor polisi", "YLKI", "somasi",
  "pengacara", "lawyer", "sue", "tribunal");
- ``repeated``: 3 or more customer messages since the company last answered;
- ``promise_broken``: a promise to this customer on the ticket was broken;
- ``shouting``: "!!!" or a message mostly in capitals.

Level: **urgent** when a rule fires with negative sentiment, or on escalation, or on a broken
promise with negative sentiment; **high** when any rule fires; else normal.
"""

from __future__ import annotations

import re

URGENT_WORDS = [
    # Indonesian
    "segera", "darurat", "mendesak", "secepatnya", "tolong cepat", "cepat dong", "cepetan", "sekarang juga",
    "hari ini juga", "gawat", "penting sekali",
    # Malay
    "kecemasan", "dengan segera", "cepat sikit", "tolong cepat", "secepat mungkin",
    # English
    "urgent", "urgently", "asap", "emergency", "immediately", "right now", "as soon as possible",
]
ESCALATION_WORDS = [
    "viral", "lapor polisi", "polisi", "ylki", "somasi", "pengacara", "jalur hukum", "ombudsman", "media sosial",
    "tribunal", "peguam", "saman", "lawyer", "sue you", "legal action", "consumer court",
]
_urgent = re.compile(r"\b(" + "|".join(re.escape(w) for w in URGENT_WORDS) + r")\b", re.I)
_escalation = re.compile(r"\b(" + "|".join(re.escape(w) for w in ESCALATION_WORDS) + r")\b", re.I)


def assess(text: str, *, sentiment: str, unanswered: int = 1, promise_broken: bool = False) -> tuple[str, list[str]]:
    """(level, reasons). ``unanswered``: customer messages since the company last spoke, this one included."""
    reasons = []
    text = text or ""
    if _urgent.search(text):
        reasons.append("urgent_words")
    if _escalation.search(text):
        reasons.append("escalation")
    if unanswered >= 3:
        reasons.append("repeated")
    if promise_broken:
        reasons.append("promise_broken")
    letters = [c for c in text if c.isalpha()]
    if "!!!" in text or (len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7):
        reasons.append("shouting")
    negative = sentiment == "negative"
    if "escalation" in reasons or (reasons and negative and ({"urgent_words", "repeated", "promise_broken"} & set(reasons))):
        return "urgent", reasons
    return ("high" if reasons else "normal"), reasons
