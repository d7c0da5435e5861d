"""The reply box's panel: templates that fit this ticket, best first, in the customer's
language, and similar solved tickets with the answer that solved them."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.replies import selectors


def _role(request, page):
    return page.get("role") if "role" in page else role_of(request.user)


def ticket_reply(request, page):
    ticket = page.get("ticket")
    if ticket is None or request is None or _role(request, page) is None:
        return None
    situation = selectors.situation_of(ticket)
    return {"reply_situation": situation,
            "reply_suggestions": selectors.suggestions_for(ticket, agent=request.user, situation=situation),
            "similar_tickets": selectors.similar_solved(user=request.user, ticket=ticket)}


def nav(request, page):
    role = _role(request, page)
    if role is None:
        return None
    return {"active": getattr(request.resolver_match, "namespace", "") == "replies"}
