"""Panels reviews puts on shared pages (registered in ``ReviewsConfig.ready``)."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.reviews import selectors
from tanggap.reviews.replies import reply_template


def nav(request, page):
    if role_of(request.user) is None:
        return None
    return {"active": getattr(request.resolver_match, "namespace", "") == "reviews"}


def ticket_reply(request, page):
    """On a review's ticket: the review, and the reply template in the reviewer's language."""
    ticket = page.get("ticket")
    if ticket is None:
        return None
    review = selectors.review_of_ticket(ticket=ticket)
    if review is None:
        return None
    return {"review": review, "template": reply_template(language=review.language, name=review.reviewer_name,
                                                         product=review.product_name or review.product_sku,
                                                         order=review.order_external_id)}


def customer_side(request, page):
    customer = page.get("customer")
    if customer is None or role_of(request.user) is None:
        return None
    reviews = selectors.reviews_of_customer(customer=customer, limit=10)
    if not reviews:
        return None
    visible = selectors.visible_ticket_ids(user=request.user, reviews=reviews)
    return {"rows": [{"review": r, "ticket_id": r.ticket_id if r.ticket_id in visible else None} for r in reviews]}
