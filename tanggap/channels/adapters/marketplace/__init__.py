"""Marketplace reviews (Tokopedia / Shopee-style seller webhooks) adapter.

Inbound is a review notification pushed by the marketplace to the seller's webhook, signed over
the *raw* body with HMAC-SHA256 and the channel's secret (``X-Hub-Signature-256: sha256=<hex>``,
the same check as the WhatsApp and Instagram webhooks). One notification carries one review
(``data`` an object) or several (``data`` a list)::

    {"event": "review.created", "marketplace": "tokopedia", "shop_id": 479573, "timestamp": 1795000000,
     "data": {"review_id": "RV-88231", "rating": 1,
              "review_text": "Kopinya basi, kemasan bocor",
              "create_time": 1795000000,                  # unix seconds, or an ISO-8601 string with offset
              "product": {"sku": "KOPI-GAYO-250", "name": "Kopi Gayo 250 g"},   # optional
              "order_id": "INV/20261120/0042",            # optional
              "language": "id",                           # optional: id | ms | en
              "reviewer": {"name": "Budi S.", "username": "budi_s",   # at least one of username,
                           "email": "budi@example.id", "phone": "0812..."}}}   # email, phone

A review is not a chat message: it does not go through ``inbound_process`` but through
``tanggap.reviews.services.review_receive``, which keeps every review and opens a ticket (through
``message_receive``) only for a negative one. So ``parse`` answers ``[]`` and ``parse_reviews``
gives the reviews. Edited reviews (``event: review.updated``) come with the same review id and are
taken as repeats (stored once).

Outbound, a reply to a review is posted to the marketplace's reply endpoint (the channel's
``send_url``) with the channel's bearer token and the ``Idempotency-Key`` of the message::

    POST <send_url>   {"review_id": "RV-88231", "reply": "Mohon maaf ..."}
    200               {"reply_id": "RP-1"}

The envelope's ``reply_to_external_id`` names the review (set by the reviews app when the reply is
queued); a reply without one is refused before the network (it could not be placed).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from tanggap.channels.adapters.base import (
    ChannelConfig, InboundRequest, OutboundEnvelope, SendError, SendResult, register,
)
from tanggap.channels.adapters.webhook import (
    SIGNATURE_HEADER, as_object, bad, from_iso, from_unix, header, load_object, post_json, send_timeout,
    verify_hub_signature,
)
from tanggap.channels.normalized import NormalizedMessage
from tanggap.common.errors import DomainError

KIND = "marketplace"
# The signing secret when the channel row has none (e.g. set once per deployment).
SECRET_ENV = "TANGGAP_MARKETPLACE_WEBHOOK_SECRET"
MAX_TEXT = 10_000


@dataclass(frozen=True)
class ReviewData:
    """One review as the marketplace sent it (validated, not yet stored)."""

    source: str  # the marketplace: tokopedia, shopee, lazada, ...
    external_id: str
    rating: int
    text: str
    posted_at: dt.datetime | None
    product_sku: str = ""
    product_name: str = ""
    order_external_id: str = ""
    reviewer_name: str = ""
    reviewer_handle: str = ""
    reviewer_email: str = ""
    reviewer_phone: str = ""
    language: str = ""


def _str(data: dict[str, Any], key: str, where: str, limit: int, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise bad(f"{where}.{key}", "is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise bad(f"{where}.{key}", f"must be a string, not {type(value).__name__}")
    value = str(value).strip()
    if "\x00" in value:
        raise bad(f"{where}.{key}", "contains a NUL character")
    if len(value) > limit:
        raise bad(f"{where}.{key}", f"is longer than {limit} characters")
    if required and not value:
        raise bad(f"{where}.{key}", "is empty")
    return value


def _rating(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise bad(where, "must be a whole number from 1 to 5")
    try:
        number = float(value)
    except ValueError:
        raise bad(where, "must be a whole number from 1 to 5") from None
    if number != int(number) or not 1 <= number <= 5:
        raise bad(where, f"is {value!r}; it must be a whole number from 1 to 5")
    return int(number)


def _when(value: Any, where: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        return from_iso(value, where)
    return from_unix(value, where)


def review_from(data: dict[str, Any], source: str, where: str) -> ReviewData:
    """One review object (the ``data`` of a notification) into ``ReviewData``; ``ParseError`` if malformed."""
    reviewer = as_object(data.get("reviewer"), f"{where}.reviewer") if data.get("reviewer") is not None else {}
    product = data.get("product")
    product = as_object(product, f"{where}.product") if product is not None else {}
    language = _str(data, "language", where, 5).lower()
    review = ReviewData(
        source=source,
        external_id=_str(data, "review_id", where, 200, required=True),
        rating=_rating(data.get("rating"), f"{where}.rating"),
        text=_str(data, "review_text", where, MAX_TEXT),
        posted_at=_when(data.get("create_time"), f"{where}.create_time"),
        product_sku=_str(product, "sku", f"{where}.product", 64),
        product_name=_str(product, "name", f"{where}.product", 200),
        order_external_id=_str(data, "order_id", where, 64),
        reviewer_name=_str(reviewer, "name", f"{where}.reviewer", 200),
        reviewer_handle=_str(reviewer, "username", f"{where}.reviewer", 150),
        reviewer_email=_str(reviewer, "email", f"{where}.reviewer", 320).lower(),
        reviewer_phone=_str(reviewer, "phone", f"{where}.reviewer", 40),
        language=language if language in ("id", "ms", "en") else "",
    )
    if not (review.reviewer_handle or review.reviewer_email or review.reviewer_phone):
        raise bad(f"{where}.reviewer", "needs a username, email or phone")
    return review


def parse_reviews(body: bytes) -> list[ReviewData]:
    """A notification's reviews. Raises ``ParseError("bad_payload", "<where>: <what>")``."""
    payload = load_object(body)
    source = _str(payload, "marketplace", "$", 50, required=True).lower()
    data = payload.get("data")
    if isinstance(data, dict):
        return [review_from(data, source, "data")]
    if isinstance(data, list) and data:
        if len(data) > 100:
            raise bad("data", "holds more than 100 reviews")
        return [review_from(as_object(item, f"data[{i}]"), source, f"data[{i}]") for i, item in enumerate(data)]
    raise bad("data", "must be a review object or a non-empty list of them")


def webhook_secret(channel: ChannelConfig) -> str:
    return channel.secret or os.environ.get(SECRET_ENV, "")


class MarketplaceAdapter:
    kind = KIND

    def verify(self, channel: ChannelConfig, request: InboundRequest) -> None:
        verify_hub_signature(webhook_secret(channel), request.body, header(request, SIGNATURE_HEADER))

    def handshake(self, channel: ChannelConfig, query: dict[str, str]) -> str:
        raise DomainError("no_handshake", "Marketplace webhooks have no GET verification.", status=405)

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        """Reviews are not messages: ``tanggap.reviews`` takes them with ``parse_reviews``."""
        return []

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        review_id = envelope.reply_to_external_id.strip()
        if not review_id:
            raise SendError("A marketplace reply needs the review it answers.", retryable=False)
        if not envelope.body_text.strip():
            raise SendError("A marketplace reply cannot be empty.", retryable=False)
        answer = post_json(channel.send_url, {"review_id": review_id, "reply": envelope.body_text},
                           channel.send_token, timeout=send_timeout(channel),
                           idempotency_key=envelope.idempotency_key)
        return SendResult(provider_id=str(answer.get("reply_id") or ""))


register(MarketplaceAdapter())
