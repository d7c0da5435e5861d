"""Panels reviews puts on shared pages (registered in ``ReviewsConfig.ready``)."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.channels.adapters.marketplace import KIND as MARKETPLACE
from tanggap.reviews import selectors
from tanggap.reviews.replies import reply_template_for


def _staff(request, page) -> bool:
    role = page.get("role")  # the console pages already know it: no query
    return bool(role) if "role" in page else role_of(request.user) is not None


def nav(request, page):
    if not _staff(request, page):
        return None
    return {"active": getattr(request.resolver_match, "namespace", "") == "reviews"}


def ticket_reply(request, page):
    """On a review's ticket: the review, and the reply template in the reviewer's language."""
    ticket = page.get("ticket")
    if ticket is None or ticket.channel.kind != MARKETPLACE:  # no query for every other ticket
        return None
    review = selectors.review_of_ticket(ticket=ticket)
    if review is None:
        return None
    return {"review": review, "template": reply_template_for(review, ticket)}


def customer_side(request, page):
    customer = page.get("customer")
    if customer is None or not _staff(request, page):
        return None
    reviews = selectors.reviews_of_customer(customer=customer, limit=10)
    if not reviews:
        return None
    visible = selectors.visible_ticket_ids(user=request.user, reviews=reviews)
    return {"rows": [{"review": r, "ticket_id": r.ticket_id if r.ticket_id in visible else None} for r in reviews]}
