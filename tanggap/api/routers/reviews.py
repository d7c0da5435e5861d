"""Reviews over the API (issue 6): POST /reviews (a staff token), POST /reviews/webhook (a
marketplace's signed notification), GET /reviews (filters, keyset pages), GET /reviews/{id}."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tanggap.api.schemas import DateTimeIn, ErrorOut, Id
from tanggap.channels.adapters.base import InboundRequest, get_adapter
from tanggap.channels.adapters.marketplace import KIND as MARKETPLACE, ReviewData, parse_reviews
from tanggap.channels.models import Channel
from tanggap.common.errors import PayloadTooLarge
from tanggap.reviews import selectors, services

router = Router(tags=["reviews"])


class ReviewerIn(Schema):
    """Found or created the way channel intake finds a sender: email, else phone, else the handle
    (scoped by marketplace). The handle is also kept for replies."""

    name: str = Field(default="", max_length=200)
    handle: str = Field(default="", max_length=150, description="the reviewer's username on the marketplace")
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=40)


class ReviewIn(Schema):
    source: str = Field(min_length=1, max_length=50, description="the marketplace: tokopedia, shopee, ...")
    external_id: str = Field(min_length=1, max_length=200, description="the review's id there; idempotency key")
    rating: int = Field(ge=1, le=5)
    text: str = Field(default="", max_length=10_000)
    product: str = Field(default="", max_length=64, description="a product sku (optional)")
    product_name: str = Field(default="", max_length=200)
    order: str = Field(default="", max_length=64, description="the order's external id (optional)")
    reviewer: ReviewerIn
    posted_at: DateTimeIn | None = Field(default=None, description="with a time zone; default now")
    language: str = Field(default="", max_length=2, description="id, ms or en; guessed from the text if blank")


class ReplyOut(Schema):
    state: str
    text: str
    replied_at: dt.datetime | None
    replied_by: str | None
    delivered_at: dt.datetime | None


class ReviewOut(Schema):
    id: int
    source: str
    external_id: str
    rating: int
    text: str
    language: str
    product: str
    product_name: str
    order: str
    customer_id: int
    reviewer_name: str
    reviewer_handle: str
    posted_at: dt.datetime
    received_at: dt.datetime
    negative: bool
    ticket_id: int | None = Field(description="the ticket it opened, when the caller may see it")
    reply: ReplyOut
    created: bool = False


class ReviewPage(Schema):
    items: list[ReviewOut]
    next_cursor: str | None


class WebhookReviewsOut(Schema):
    received: int
    created: int
    reviews: list[ReviewOut]


class ReviewQuery(Schema):
    negative: bool | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    source: str = Field(default="", max_length=50)
    reply_state: str = Field(default="", max_length=10, description="none, queued, sent or failed")
    customer_id: Id | None = None
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=25, ge=1, le=100)


def _out(review, visible: set[int], created: bool = False) -> dict:
    by = review.replied_by
    return {
        "id": review.pk, "source": review.source, "external_id": review.external_id, "rating": review.rating,
        "text": review.text, "language": review.language, "product": review.product_sku,
        "product_name": review.product_name, "order": review.order_external_id, "customer_id": review.customer_id,
        "reviewer_name": review.reviewer_name, "reviewer_handle": review.reviewer_handle,
        "posted_at": review.posted_at, "received_at": review.received_at, "negative": review.negative,
        "ticket_id": review.ticket_id if review.ticket_id in visible else None,
        "reply": {"state": review.reply_state, "text": review.reply_text, "replied_at": review.replied_at,
                  "replied_by": (by.get_full_name() or by.username) if by else None,
                  "delivered_at": review.reply_delivered_at},
        "created": created,
    }


def _outs(user, pairs) -> list[dict]:
    reviews = [r for r, _ in pairs]
    visible = selectors.visible_ticket_ids(user=user, reviews=reviews)
    return [_out(r, visible, c) for r, c in pairs]


@router.post("/reviews", response={200: ReviewOut, 201: ReviewOut, 400: ErrorOut, 422: ErrorOut})
def review_post(request: HttpRequest, payload: ReviewIn):
    """Take in one review. A rating of 1–2, or 3 with negative text, opens a high-priority ticket
    (`ticket_id`) with the short SLA of negative reviews. Idempotent by (source, external_id):
    a repeat answers 200 with the stored review and `created: false`.

    Errors (422): `invalid_rating`, `missing_reviewer`, `invalid_email`, `bad_phone`, `invalid_input`."""
    r = payload.reviewer
    data = ReviewData(source=payload.source, external_id=payload.external_id, rating=payload.rating,
                      text=payload.text, posted_at=payload.posted_at, product_sku=payload.product.strip(),
                      product_name=payload.product_name.strip(), order_external_id=payload.order.strip(),
                      reviewer_name=r.name.strip(), reviewer_handle=r.handle.strip(),
                      reviewer_email=r.email.strip().lower(), reviewer_phone=r.phone.strip(),
                      language=payload.language.lower() if payload.language.lower() in ("id", "ms", "en") else "")
    review, created = services.review_receive(data=data)
    review = selectors.review_get(review_id=review.pk)
    return Status(201 if created else 200, _outs(request.auth, [(review, created)])[0])


@router.post("/reviews/webhook", auth=None,
             response={200: WebhookReviewsOut, 201: WebhookReviewsOut, 400: ErrorOut, 401: ErrorOut,
                       413: ErrorOut, 422: ErrorOut},
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}},
                                            "required": True}})
def review_webhook(request: HttpRequest):
    """A marketplace's review notification (shape: docs/reviews.md), signed with
    `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` and the marketplace channel's
    secret (or `TANGGAP_MARKETPLACE_WEBHOOK_SECRET`). Unsigned or wrongly signed: 401
    `bad_signature`, nothing stored. A malformed body: 422 `bad_payload` naming where."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.TANGGAP_MAX_BODY_BYTES:
        raise PayloadTooLarge("payload_too_large",
                              f"The payload is {length} bytes; the limit is {settings.TANGGAP_MAX_BODY_BYTES}.")
    # Not channel_for(): a refused request must not even create the default channel row.
    channel = Channel.objects.filter(kind=MARKETPLACE, active=True).order_by("id").first() or Channel(kind=MARKETPLACE)
    body = request.body
    headers = {k.lower(): v for k, v in request.headers.items()}
    get_adapter(MARKETPLACE).verify(channel, InboundRequest(body=body, headers=headers))
    results = [services.review_receive(data=data) for data in parse_reviews(body)]
    pairs = [(selectors.review_get(review_id=r.pk), c) for r, c in results]
    created = sum(1 for _, c in pairs if c)
    # The caller is the marketplace, not staff: ticket ids are not its business.
    return Status(201 if created else 200, {"received": len(pairs), "created": created,
                                            "reviews": [_out(r, set(), c) for r, c in pairs]})


@router.get("/reviews", response={200: ReviewPage, 400: ErrorOut, 422: ErrorOut})
def review_list(request: HttpRequest, query: Query[ReviewQuery]):
    """Reviews, newest first, with filters; keyset pages (`next_cursor` back as `cursor`)."""
    filters = selectors.ReviewFilters(negative=query.negative, rating=query.rating, source=query.source,
                                      reply_state=query.reply_state, customer_id=query.customer_id)
    page = selectors.review_list(filters=filters, cursor=query.cursor, limit=query.limit)
    return {"items": _outs(request.auth, [(r, False) for r in page.items]), "next_cursor": page.next_cursor}


@router.get("/reviews/{review_id}", response={200: ReviewOut, 404: ErrorOut})
def review_detail(request: HttpRequest, review_id: Id):
    review = selectors.review_get(review_id=review_id)
    return _outs(request.auth, [(review, False)])[0]
