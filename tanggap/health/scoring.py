"""The health score: every weight, threshold and reason code in one place (docs/health.md).

A customer starts at 100 and loses points for what is wrong, component by component, each up
to its maximum (``MAX_POINTS``); a component without data costs nothing (no survey answered is
no evidence of a problem):

    score = 100 − Σ points lost        (0..100)

    activity   45 × (1 − activity)   activity = P(alive) from BG/NBD, or the recency rule
    rfv        15 × (1 − rfv)        mean percentile of recency, frequency and value in the shop
    tickets    8 per open ticket + 3 per ticket beyond the first in 90 days      (max 20)
    sentiment  20 × −mean sentiment of recent messages (when negative), +4 for a negative trend (max 20)
    promises   12 per promise broken in 180 days                                 (max 30)
    surveys    20 × how far the last three answers fall below "satisfied" (0.75)  (max 20)

Each component also gives its reasons: structured codes with parameters
(``{"code": "broken_promises", "params": {"count": 2}}``) that ``reasons.text`` translates, with
the points their component cost.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

MAX_POINTS = {
    "activity": 45,  # P(alive) from BG/NBD, or the recency rule (one-time buyers, too little history)
    "rfv": 15,  # recency, frequency and value, as percentiles among the business's customers
    "tickets": 20,  # open tickets and tickets in the last 90 days
    "sentiment": 20,  # triage sentiment of the customer's messages, last 30 days against before
    "promises": 30,  # promises to the customer broken in the last 180 days
    "surveys": 20,  # the last three survey answers in 365 days (CSAT, NPS, CES, the five outcomes)
}
BANDS = (("healthy", 70), ("watch", 45), ("at_risk", 0))  # the first whose floor the score reaches

# Windows
RECENT_TICKET_DAYS = 90
SENTIMENT_DAYS = 180
SENTIMENT_RECENT_DAYS = 30
PROMISE_DAYS = 180
SURVEY_DAYS = 365
SURVEY_LAST = 3

# Component rules
DEFAULT_GAP_DAYS = 60.0  # the usual gap for a one-time buyer: at least this, or the shop's median if longer
RECENCY_ZERO_AT = 4.0  # the recency rule: 1 up to the usual gap, falling to 0 at 4 times it
MIN_GAP_DAYS = 14.0  # a customer's own usual gap is never taken as shorter than this (two orders a day apart)
OVERDUE_FACTOR = 2.0  # "no order for N days, usually every M" once N ≥ 2·M
LOW_P_ALIVE = 0.5
OPEN_TICKET_POINTS = 8
RECENT_TICKET_POINTS = 3  # per ticket beyond the first in 90 days
MANY_RECENT_TICKETS = 3
BROKEN_PROMISE_POINTS = 12
TREND_POINTS = 4
SATISFIED = 0.75  # survey value (0..1) from which an answer costs nothing: CSAT 4, NPS 7.5, CES 5.5, outcome 2
NEGATIVE_MEAN = -0.3  # mean sentiment score (-1..1) at or below which messages count as negative
TREND_DROP = 0.2  # recent mean this much below the earlier mean (and ≤ -0.2): a negative trend
POSITIVE_MEAN = 0.4
TOP_VALUE_PERCENTILE = 0.9
OUTCOME_VALUE = {1: 1.0, 2: 0.8, 3: 0.5, 4: 0.2, 5: 0.0}  # article 004's five outcomes


@dataclass
class Facts:
    """What the score is computed from, for one customer at one time (services gathers it)."""

    now: dt.datetime
    order_days: list[dt.date] = field(default_factory=list)  # distinct purchase days, ascending
    value: float = 0.0  # order totals less refunds, in ``currency``
    currency: str = ""
    p_alive: float | None = None  # BG/NBD; None under the fallback
    use_p_alive: bool = True  # False when the fit found no dropout (P(alive) ~1 for everyone)
    expected_90d: float | None = None
    shop_gap_days: float | None = None  # median gap between a customer's orders, whole shop
    reference: dict = field(default_factory=dict)  # ChurnModel.reference
    open_tickets: int = 0
    recent_tickets: int = 0
    sentiments: list[tuple[dt.datetime, float]] = field(default_factory=list)  # (at, -1..1), 180 days
    broken_promises: int = 0
    surveys: list[dict] = field(default_factory=list)  # newest first: kind, score, outcome, low


@dataclass
class Result:
    score: int
    band: str
    reasons: list[dict]
    components: dict


def _reason(code: str, effect: str = "negative", **params) -> dict:
    return {"code": code, "params": params, "effect": effect}


def percentile(deciles: list[float], value: float) -> float:
    """Share (0..1) of the reference's deciles at or below ``value``."""
    if not deciles:
        return 0.5
    return bisect.bisect_right(deciles, value) / len(deciles)


def band_of(score: int) -> str:
    for name, floor in BANDS:
        if score >= floor:
            return name
    return BANDS[-1][0]


def _usual_gap(f: Facts) -> tuple[float, bool]:
    """(the customer's usual days between orders, whether it is their own)."""
    days = f.order_days
    if len(days) >= 2:
        return max(MIN_GAP_DAYS, (days[-1] - days[0]).days / (len(days) - 1)), True
    # One order only: the shop's median gap, but never under DEFAULT_GAP_DAYS (a shop whose regulars buy
    # weekly would otherwise call every one-time buyer lost after a month).
    return max(f.shop_gap_days or 0.0, DEFAULT_GAP_DAYS), False


def activity(f: Facts) -> tuple[float | None, list[dict]]:
    """(value 0..1, reasons); None when the customer has no orders."""
    if not f.order_days:
        return None, [_reason("no_orders", "neutral")]
    since = (f.now.date() - f.order_days[-1]).days
    gap, own = _usual_gap(f)
    reasons = []
    if own and since >= OVERDUE_FACTOR * gap:
        reasons.append(_reason("no_order_for", days=since, usual_days=round(gap)))
    elif not own and since >= OVERDUE_FACTOR * gap:
        reasons.append(_reason("one_order_long_ago", days=since))
    if f.p_alive is not None and f.use_p_alive and len(f.order_days) >= 2:
        value = f.p_alive  # BG/NBD says nothing about one-time buyers (P(alive) is 1 by construction)
        if value < LOW_P_ALIVE:
            reasons.append(_reason("low_p_alive", percent=round(100 * value)))
        elif value >= 0.8 and len(f.order_days) >= 3 and not reasons:
            reasons.append(_reason("buys_regularly", "positive", usual_days=round(gap)))
        return value, reasons
    ratio = since / gap
    value = min(1.0, max(0.0, (RECENCY_ZERO_AT - ratio) / (RECENCY_ZERO_AT - 1)))
    return value, reasons


def rfv(f: Facts) -> tuple[float | None, list[dict]]:
    if not f.order_days:
        return None, []
    ref = f.reference or {}
    since = (f.now.date() - f.order_days[-1]).days
    recency = 1 - percentile(ref.get("recency_days", []), since)  # fewer days since: better
    frequency = percentile(ref.get("frequency", []), len(f.order_days) - 1)
    value_deciles = (ref.get("value") or {}).get(f.currency, [])
    value = percentile(value_deciles, f.value)
    reasons = []
    if value_deciles and value >= TOP_VALUE_PERCENTILE:
        reasons.append(_reason("top_customer", "positive"))
    return (recency + frequency + value) / 3, reasons


def tickets(f: Facts) -> tuple[float | None, list[dict]]:
    """(points lost, reasons)."""
    points = OPEN_TICKET_POINTS * f.open_tickets + RECENT_TICKET_POINTS * max(0, f.recent_tickets - 1)
    reasons = []
    if f.open_tickets:
        reasons.append(_reason("open_tickets", count=f.open_tickets))
    if f.recent_tickets >= MANY_RECENT_TICKETS:
        reasons.append(_reason("many_recent_tickets", count=f.recent_tickets, days=RECENT_TICKET_DAYS))
    return points, reasons


def sentiment(f: Facts) -> tuple[float | None, list[dict]]:
    """(points lost, reasons); None without triaged messages."""
    if not f.sentiments:
        return None, []
    cut = f.now - dt.timedelta(days=SENTIMENT_RECENT_DAYS)
    recent = [s for at, s in f.sentiments if at >= cut]
    earlier = [s for at, s in f.sentiments if at < cut]
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    current = mean(recent) if recent else mean(earlier)
    reasons = []
    points = MAX_POINTS["sentiment"] * max(0.0, -current)
    if recent and earlier and current <= -TREND_DROP and current <= mean(earlier) - TREND_DROP:
        reasons.append(_reason("negative_trend"))
        points += TREND_POINTS
    elif current <= NEGATIVE_MEAN:
        reasons.append(_reason("negative_sentiment"))
    elif current >= POSITIVE_MEAN:
        reasons.append(_reason("positive_sentiment", "positive"))
    return points, reasons


def promises(f: Facts) -> tuple[float | None, list[dict]]:
    """(points lost, reasons)."""
    reasons = [_reason("broken_promises", count=f.broken_promises)] if f.broken_promises else []
    return BROKEN_PROMISE_POINTS * f.broken_promises, reasons


def _survey_value(s: dict) -> float | None:
    kind, score, outcome = s["kind"], s.get("score"), s.get("outcome")
    if kind == "outcome" and outcome:
        return OUTCOME_VALUE.get(outcome)
    if score is None:
        return None
    return {"csat": (score - 1) / 4, "nps": score / 10, "ces": (score - 1) / 6}.get(kind)


def surveys(f: Facts) -> tuple[float | None, list[dict]]:
    """(points lost, reasons); None without answers."""
    values = [(s, v) for s in f.surveys[:SURVEY_LAST] if (v := _survey_value(s)) is not None]
    if not values:
        return None, []
    reasons = []
    latest = values[0][0]
    if latest.get("low"):
        reasons.append(_reason("low_survey", kind=latest["kind"],
                               score=latest["outcome"] if latest["kind"] == "outcome" else latest["score"]))
    elif latest["kind"] == "nps" and (latest.get("score") or 0) >= 9:
        reasons.append(_reason("promoter", "positive", score=latest["score"]))
    mean = sum(v for _s, v in values) / len(values)
    return MAX_POINTS["surveys"] * max(0.0, SATISFIED - mean) / SATISFIED, reasons


COMPONENTS = {"activity": activity, "rfv": rfv, "tickets": tickets, "sentiment": sentiment,
              "promises": promises, "surveys": surveys}


VALUE_COMPONENTS = ("activity", "rfv")  # these give a value 0..1; the others give points lost


def compute(f: Facts) -> Result:
    components, reasons = {}, []
    for name, fn in COMPONENTS.items():
        got, why = fn(f)
        for r in why:
            r["component"] = name
        reasons.extend(why)
        if got is None:
            continue
        if name in VALUE_COMPONENTS:
            lost = MAX_POINTS[name] * (1 - got)
            components[name] = {"value": round(got, 3)}
        else:
            lost = got
            components[name] = {}
        components[name].update(max=MAX_POINTS[name], points_lost=round(min(lost, MAX_POINTS[name]), 1))
    score = max(0, min(100, round(100 - sum(c["points_lost"] for c in components.values()))))
    for r in reasons:  # the points each reason's component cost, so the list reads biggest first
        lost = components.get(r["component"], {}).get("points_lost", 0)
        r["points"] = -lost if r["effect"] == "negative" else 0
    order = {"negative": 0, "neutral": 1, "positive": 2}
    reasons.sort(key=lambda r: (order[r["effect"]], r["points"]))
    return Result(score=score, band=band_of(score), reasons=reasons, components=components)
