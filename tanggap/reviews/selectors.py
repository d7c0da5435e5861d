"""Reads for reviews. Reviews are customer data, shared by all staff like customers and orders;
the ticket a review opened is shown only to a caller who may see that ticket."""

from __future__ import annotations

from dataclasses import dataclass

from tanggap.common.errors import DomainError, NotFound
from tanggap.common.pagination import Page, keyset_page
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.reviews.models import ReplyState, Review

MAX_LIMIT = 100


@dataclass(frozen=True)
class ReviewFilters:
    negative: bool | None = None
    rating: int | None = None
    source: str = ""
    reply_state: str = ""
    customer_id: int | None = None
    q: str = ""


def _base():
    return Review.objects.select_related("product", "order", "customer", "replied_by", "ticket")


def review_list(*, filters: ReviewFilters, cursor: str | None, limit: int = 25) -> Page:
    """Newest first (posted_at, id), keyset pages."""
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError("invalid_limit", f"limit must be between 1 and {MAX_LIMIT}.", status=422)
    qs = _base()
    if filters.negative is not None:
        qs = qs.filter(negative=filters.negative)
    if filters.rating is not None:
        if not 1 <= filters.rating <= 5:
            raise DomainError("invalid_rating", "rating must be from 1 to 5.", status=422)
        qs = qs.filter(rating=filters.rating)
    if filters.source:
        qs = qs.filter(source=filters.source.strip().lower())
    if filters.reply_state:
        if filters.reply_state not in ReplyState.values:
            raise DomainError("invalid_reply_state",
                              f"reply_state is one of: {', '.join(ReplyState.values)}.", status=422)
        qs = qs.filter(reply_state=filters.reply_state)
    if filters.customer_id is not None:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.q.strip():
        qs = qs.filter(text__icontains=filters.q.strip()[:100])
    return keyset_page(qs, order=["-posted_at", "-id"], cursor=cursor, limit=limit)


def review_get(*, review_id: int) -> Review:
    review = _base().filter(pk=review_id).first()
    if review is None:
        raise NotFound("not_found", f"Review {review_id} does not exist.")
    return review


def visible_ticket_ids(*, user, reviews) -> set[int]:
    """Of the tickets these reviews opened, the ones the caller may see (one query)."""
    ids = {r.ticket_id for r in reviews if r.ticket_id}
    if not ids:
        return set()
    return set(tickets_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def reviews_of_customer(*, customer, limit: int = 10) -> list[Review]:
    return list(_base().filter(customer=customer).order_by("-posted_at", "-id")[:limit])


def review_of_ticket(*, ticket) -> Review | None:
    return _base().filter(ticket=ticket).order_by("-posted_at", "-id").first()


def sources() -> list[str]:
    return list(Review.objects.order_by("source").values_list("source", flat=True).distinct())
