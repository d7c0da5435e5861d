"""Provider-style webhooks through the real endpoints: signature, handshake, intake."""

import pytest
from django.test import Client

from tanggap.channels.adapters.webhook import sign_body
from tanggap.channels.models import Channel, InboundRaw
from tanggap.conversations.models import Message, Ticket
from tests.channels.fixtures import SECRET, VERIFY_TOKEN, payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def channels(db):
    for kind in ("whatsapp", "sms", "instagram"):
        Channel.objects.create(kind=kind, slug=kind, name=kind, secret=SECRET, verify_token=VERIFY_TOKEN)


def post(kind, body: bytes, signature: str | None = "good"):
    headers = {}
    if signature == "good":
        headers["X-Hub-Signature-256"] = sign_body(SECRET, body)
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    return Client().post(f"/api/v1/channels/{kind}/webhook", data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("kind", ["whatsapp", "sms", "instagram"])
def test_a_signed_webhook_opens_a_ticket(kind):
    r = post(kind, payload(kind, "text"))
    assert r.status_code == 200
    assert r.json()["received"] == r.json()["created"] == 1
    ticket = Ticket.objects.get()
    assert ticket.channel.kind == kind
    assert ticket.messages.get().body_text
    assert InboundRaw.objects.get().status == "processed"


def test_several_messages_in_one_payload_are_each_stored_and_a_redelivery_stores_none():
    body = payload("whatsapp", "multiple")
    first = post("whatsapp", body).json()
    assert first["received"] == first["created"] >= 2
    again = post("whatsapp", body).json()
    assert again["created"] == 0
    assert Message.objects.count() == first["created"]


def test_a_wrong_signature_is_refused_and_nothing_is_stored():
    r = post("whatsapp", payload("whatsapp", "text"), signature="sha256=" + "0" * 64)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"
    assert InboundRaw.objects.count() == 0 and Ticket.objects.count() == 0


def test_a_missing_signature_is_refused():
    r = post("instagram", payload("instagram", "text"), signature=None)
    assert r.status_code == 401


def test_status_callbacks_are_accepted_without_opening_tickets():
    r = post("whatsapp", payload("whatsapp", "statuses"))
    assert r.status_code == 200
    assert r.json()["received"] == 0
    assert Ticket.objects.count() == 0


def test_a_signed_but_malformed_payload_is_kept_raw_with_the_reason():
    r = post("whatsapp", b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"messages": [{"from": "628"}]}}]}]}')
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "bad_payload"
    raw = InboundRaw.objects.get()
    assert (raw.status, raw.reason_code) == ("rejected", "bad_payload")
    assert raw.reason.startswith("entry[0].changes[0].value.messages[0]")


def test_malformed_json_is_a_4xx():
    r = post("sms", b"{nope")
    assert r.status_code in (400, 422)
    assert r.json()["error"]["code"] in ("bad_payload", "malformed_json")


def test_an_unknown_channel_kind_is_404():
    r = post("telegram", b"{}")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_channel"


@pytest.mark.parametrize("kind", ["whatsapp", "sms", "instagram"])
def test_the_verification_handshake(kind):
    good = Client().get(f"/api/v1/channels/{kind}/webhook",
                        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "12345"})
    assert (good.status_code, good.content) == (200, b"12345")
    bad = Client().get(f"/api/v1/channels/{kind}/webhook",
                       {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "12345"})
    assert bad.status_code == 403
    assert bad.json()["error"]["code"] == "bad_verify_token"


def test_an_oversize_webhook_is_refused(settings):
    settings.TANGGAP_MAX_BODY_BYTES = 100
    r = post("whatsapp", payload("whatsapp", "text"))
    assert r.status_code == 413
    assert InboundRaw.objects.count() == 0
