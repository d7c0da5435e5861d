"""Fixtures of the reviews tests: payload builders and signing. (The "Ulasan negatif" SLA policy,
a data migration, is among the root conftest's SEEDS.)"""

from __future__ import annotations

import json

import pytest

from tanggap.channels.adapters.webhook import sign_body

SECRET = "rahasia-marketplace-123"
SEND_TOKEN = "mp-send-token-xyz"


@pytest.fixture
def review_in():
    """A POST /reviews body."""

    def make(external_id="RV-1", rating=5, text="Mantap, barang sesuai pesanan", handle="budi_s", **extra):
        body = {"source": "tokopedia", "external_id": external_id, "rating": rating, "text": text,
                "reviewer": {"name": "Budi Santoso", "handle": handle}}
        body.update(extra)
        return body

    return make


def notification(review_id="RV-900", rating=1, text="Kopinya basi, kemasan bocor. Kecewa.", **data) -> dict:
    """A marketplace's review notification (docs/reviews.md)."""
    review = {"review_id": review_id, "rating": rating, "review_text": text, "create_time": 1795000000,
              "product": {"sku": "KOPI-250", "name": "Kopi Gayo 250 g"}, "order_id": "INV-77",
              "reviewer": {"name": "Siti Aminah", "username": "siti_a"}}
    review.update(data)
    return {"event": "review.created", "marketplace": "tokopedia", "shop_id": 479573, "timestamp": 1795000000,
            "data": review}


def signed_headers(body: bytes, secret: str = SECRET) -> dict:
    return {"X-Hub-Signature-256": sign_body(secret, body)}


@pytest.fixture
def marketplace(db):
    """The marketplace channel with its webhook secret and send token (send_url set by tests)."""
    from tanggap.channels.lookup import channel_for

    channel = channel_for(kind="marketplace")
    channel.secret, channel.send_token = SECRET, SEND_TOKEN
    channel.save()
    return channel


@pytest.fixture
def post_webhook(client):
    def post(payload, headers=None, raw: bytes | None = None):
        body = raw if raw is not None else json.dumps(payload).encode()
        response = client.post("/api/v1/reviews/webhook", data=body, content_type="application/json",
                               headers=signed_headers(body) if headers is None else headers)
        response.body = json.loads(response.content) if response.content else None
        return response

    return post
