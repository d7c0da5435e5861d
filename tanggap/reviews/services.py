"""Writes for reviews (issue 6): take a review in (API or webhook), decide whether it is
negative, open a high-priority ticket for a negative one, and follow the public reply.

``review_receive`` is the one way in. Every review records a ``review_posted`` journey event and
publishes ``REVIEW_RECEIVED``; a negative one also becomes a customer message on the
"marketplace" channel through ``conversations.services.message_receive`` (so it lives on the same
tickets, timeline and SLA clocks as every other message) and the ticket is set to high priority,
which the "Ulasan negatif" SLA policy (migration 0002) answers with a one-working-hour first
response target.
"""

from __future__ import annotations

import dataclasses
import logging

from django.db import IntegrityError, transaction

from tanggap.channels.adapters.marketplace import KIND as MARKETPLACE, ReviewData
from tanggap.channels.lookup import channel_for
from tanggap.channels.normalized import IDENTITY_HANDLE, InboundIdentity, NormalizedMessage
from tanggap.common.clock import now
from tanggap.common.errors import Conflict, DomainError
from tanggap.conversations.choices import Direction, Priority
from tanggap.conversations.models import Message
from tanggap.conversations.services import message_receive, ticket_update
from tanggap.customers.models import Customer, Order, Product
from tanggap.customers.services import customer_find_or_create, identity_add, register_merge_hook, resolve
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.journeys.services import event_identity, event_record
from tanggap.reviews import lexicon
from tanggap.reviews.models import ReplyState, Review

log = logging.getLogger(__name__)
JOURNEY_SOURCE = "reviews"
TICKET_TAG = "ulasan-negatif"


def is_negative(*, rating: int, text: str, language: str = "") -> bool:
    """The fast lane's rule: a rating of 1 or 2, or a 3 whose text reads negative.

    The only place the text is judged: the lexicon of ``reviews.lexicon`` now, the sentiment
    model of issue 7 later (``language`` is passed for it; the lexicon reads all three)."""
    if rating <= 2:
        return True
    if rating == 3:
        return lexicon.text_is_negative(text)
    return False


def _invalid(code: str, message: str) -> DomainError:
    return DomainError(code, message, status=422)


def _clean(data: ReviewData) -> ReviewData:
    source, external_id = data.source.strip().lower(), data.external_id.strip()
    if not source or not external_id:
        raise _invalid("missing_field", "A review needs its source (the marketplace) and its external id.")
    if len(source) > 50 or len(external_id) > 200:
        raise _invalid("invalid_input", "source is at most 50 characters and external_id at most 200.")
    if isinstance(data.rating, bool) or not isinstance(data.rating, int) or not 1 <= data.rating <= 5:
        raise _invalid("invalid_rating", f"The rating is {data.rating!r}; it must be a whole number from 1 to 5.")
    if not (data.reviewer_handle.strip() or data.reviewer_email.strip() or data.reviewer_phone.strip()):
        raise _invalid("missing_reviewer", "The reviewer needs a handle (username), an email or a phone number.")
    if data.posted_at is not None and data.posted_at.tzinfo is None:
        raise _invalid("naive_datetime", "posted_at needs a time zone offset.")
    return dataclasses.replace(data, source=source, external_id=external_id)


def review_receive(*, data: ReviewData) -> tuple[Review, bool]:
    """Store one review; open a ticket when it is negative. Idempotent by (source, external_id):
    a repeat returns the stored review with created=False and changes nothing.

    Errors (422): ``missing_field``, ``invalid_input``, ``invalid_rating``, ``missing_reviewer``,
    ``naive_datetime``, ``invalid_email``, ``bad_phone``."""
    data = _clean(data)
    existing = Review.objects.filter(source=data.source, external_id=data.external_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _receive(data), True
    except IntegrityError:  # a concurrent request stored the same review a moment ago
        existing = Review.objects.filter(source=data.source, external_id=data.external_id).first()
        if existing is None:
            raise
        return existing, False


def _handle(data: ReviewData) -> str:
    """The reviewer's handle on the marketplace channel, scoped by marketplace ("tokopedia:budi_s")."""
    return f"{data.source}:{data.reviewer_handle.strip()}" if data.reviewer_handle.strip() else ""


def _receive(data: ReviewData) -> Review:
    identity = event_identity(email=data.reviewer_email, phone=data.reviewer_phone, handle=_handle(data),
                              name=data.reviewer_name, channel=MARKETPLACE)
    language = data.language or lexicon.guess_language(data.text)
    customer, _ = customer_find_or_create(identity=identity, language=language)
    if data.reviewer_handle.strip() and identity.kind != IDENTITY_HANDLE:
        _add_handle(customer, _handle(data))
    product = Product.objects.filter(sku=data.product_sku).first() if data.product_sku else None
    order = None
    if data.order_external_id:
        order = Order.objects.select_related("customer").filter(external_id=data.order_external_id).first()
        if order is not None and resolve(order.customer).pk != customer.pk:
            order = None  # someone else's order: kept as text only, never linked
    negative = is_negative(rating=data.rating, text=data.text, language=language)
    at = now()
    review = Review.objects.create(
        source=data.source, external_id=data.external_id, rating=data.rating, text=data.text, language=language,
        product=product, product_sku=data.product_sku, product_name=data.product_name or (product.name if product else ""),
        order=order, order_external_id=data.order_external_id, customer=customer,
        reviewer_name=data.reviewer_name, reviewer_handle=data.reviewer_handle.strip(),
        posted_at=data.posted_at or at, received_at=at, negative=negative,
    )
    event_record(kind="review_posted", external_id=f"{data.source}:{data.external_id}", source=JOURNEY_SOURCE,
                 occurred_at=review.posted_at, customer=customer, order_external_id=order.external_id if order else "",
                 product_sku=product.sku if product else "", channel=data.source,
                 summary=f"{data.rating}★ {review.excerpt}"[:300],
                 data={"review_id": review.pk, "rating": data.rating, "negative": negative, "source": data.source})
    if negative:
        review.ticket = _open_ticket(review, identity)
        Review.objects.filter(pk=review.pk).update(ticket=review.ticket)
    publish(names.REVIEW_RECEIVED, review_id=review.pk, customer_id=customer.pk, rating=review.rating,
            negative=negative, ticket_id=review.ticket_id)
    return review


def _add_handle(customer: Customer, value: str) -> None:
    try:
        identity_add(customer=customer, kind=IDENTITY_HANDLE, value=value, namespace=MARKETPLACE)
    except Conflict:  # the handle already belongs to another customer: leave it there
        pass


def _open_ticket(review: Review, identity: InboundIdentity):
    """The negative review as a customer message on the marketplace channel: a new ticket (the
    channel does not thread by conversation), high priority, tagged."""
    # Replies go out on the marketplace channel, addressed by a handle in its namespace.
    _add_handle(review.customer, f"{review.source}:{review.reviewer_handle or 'review-' + review.external_id}")
    product = review.product_name or review.product_sku
    stars = "★" * review.rating + "☆" * (5 - review.rating)
    msg = NormalizedMessage(
        channel=MARKETPLACE, external_id=f"{review.source}:{review.external_id}", sender=identity,
        subject=f"Ulasan {review.rating}★ {review.source.title()}" + (f": {product}" if product else ""),
        body_text=f"{stars} {product}\n{review.text or '(tanpa teks)'}".strip(),
        sent_at=review.posted_at,
        meta={"language": review.language, "review": {"source": review.source, "external_id": review.external_id,
                                                      "rating": review.rating}},
    )
    result = message_receive(msg=msg, channel=channel_for(kind=MARKETPLACE))
    ticket_update(ticket=result.ticket, actor=None, priority=Priority.HIGH, tags=[TICKET_TAG])
    result.ticket.refresh_from_db()
    return result.ticket


# ---- the public reply ----------------------------------------------------------------------

def reply_queued(*, message_id: int) -> Review | None:
    """A reply was queued on a review's ticket: name the review it answers (the adapter posts to
    it) and record the reply on the review. Automatic messages (acknowledgements, updates) and
    notes are not public replies and are left alone."""
    message = Message.objects.select_related("ticket").filter(pk=message_id).first()
    if (message is None or message.direction != Direction.OUTBOUND or message.channel_kind != MARKETPLACE
            or message.automated):
        return None
    review = Review.objects.filter(ticket_id=message.ticket_id).order_by("-posted_at", "-id").first()
    if review is None:
        return None
    Message.objects.filter(pk=message.pk).update(meta={**message.meta, "reply_to_external_id": review.external_id,
                                                       "review_id": review.pk})
    Review.objects.filter(pk=review.pk).update(
        reply_text=message.body_text, reply_message=message, replied_at=message.created_at,
        replied_by=message.author, reply_state=ReplyState.QUEUED, reply_delivered_at=None)
    review.refresh_from_db()
    return review


def reply_delivered(*, message_id: int) -> int:
    message = Message.objects.filter(pk=message_id).only("provider_id").first()
    return Review.objects.filter(reply_message_id=message_id).update(
        reply_state=ReplyState.SENT, reply_delivered_at=now(), reply_provider_id=(message.provider_id if message else "")[:200])


def reply_failed(*, message_id: int) -> int:
    return Review.objects.filter(reply_message_id=message_id).update(reply_state=ReplyState.FAILED)


@register_merge_hook
def _reviews_follow_customer(source: Customer, target: Customer) -> None:
    Review.objects.filter(customer=source).update(customer=target)
