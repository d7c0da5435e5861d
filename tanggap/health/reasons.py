"""Reason codes in words, in the active language (id, ms, en). The stored reasons are codes
with parameters, so a page in Malay and an API call in English read the same row."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SURVEY_KIND = {"csat": "CSAT", "nps": "NPS", "ces": "CES"}


def text(reason: dict) -> str:
    code, p = reason.get("code", ""), reason.get("params") or {}
    try:
        if code == "no_order_for":
            return _("no order for %(days)d days, usually every %(usual_days)d") % p
        if code == "one_order_long_ago":
            return _("one order only, %(days)d days ago") % p
        if code == "no_orders":
            return _("no orders yet")
        if code == "low_p_alive":
            return _("likely to have stopped buying (P(alive) %(percent)d%%)") % p
        if code == "buys_regularly":
            return _("buys regularly, about every %(usual_days)d days") % p
        if code == "top_customer":
            return _("among the top 10% by spend")
        if code == "open_tickets":
            return ngettext("%(count)d open ticket", "%(count)d open tickets", p["count"]) % p
        if code == "many_recent_tickets":
            return ngettext("%(count)d ticket in %(days)d days", "%(count)d tickets in %(days)d days",
                            p["count"]) % p
        if code == "negative_trend":
            return _("negative trend")
        if code == "negative_sentiment":
            return _("negative messages")
        if code == "positive_sentiment":
            return _("positive messages")
        if code == "broken_promises":
            return ngettext("%(count)d broken promise", "%(count)d broken promises", p["count"]) % p
        if code == "low_survey":
            if p.get("kind") == "outcome":
                return _("dissatisfied with a response (outcome %(score)s of 5)") % p
            return _("low %(kind)s score (%(score)s)") % {"kind": SURVEY_KIND.get(p.get("kind"), p.get("kind")),
                                                         "score": p.get("score")}
        if code == "promoter":
            return _("promoter (NPS %(score)d)") % p
    except (KeyError, TypeError, ValueError):
        pass
    return code.replace("_", " ")


def summary(reasons: list[dict], limit: int = 3) -> str:
    """The leading negative reasons in one line: "2 broken promises, negative trend"."""
    negative = [text(r) for r in reasons if r.get("effect") == "negative"][:limit]
    return ", ".join(negative)
