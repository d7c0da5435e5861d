"""POST /api/v1/messages end to end: intake, threading, idempotency, bad input."""

import pytest

from tanggap.channels.models import InboundRaw
from tanggap.conversations.models import Message, Ticket

pytestmark = pytest.mark.django_db


def test_a_new_message_opens_a_ticket_for_a_new_customer(api, inbound_message):
    r = api.post("/messages", inbound_message())
    assert r.status_code == 201
    assert r.body["created"] is True
    ticket = Ticket.objects.get(pk=r.body["ticket_id"])
    assert ticket.subject == "Paket belum sampai"
    assert ticket.customer.identities.get().value == "budi@example.co.id"
    assert ticket.initiated_by == "customer"
    assert [e.kind for e in ticket.timeline.order_by("id")] == ["ticket.opened", "message.in"]
    raw = InboundRaw.objects.get()
    assert (raw.status, raw.source, raw.messages_created) == ("processed", "api", 1)


def test_the_same_external_id_twice_is_stored_once(api, inbound_message):
    first = api.post("/messages", inbound_message())
    second = api.post("/messages", inbound_message())
    assert second.status_code == 200
    assert second.body == {**first.body, "created": False}
    assert Message.objects.count() == 1


def test_a_second_message_on_a_chat_like_channel_joins_the_open_ticket(api, inbound_message):
    a = api.post("/messages", inbound_message(external_id="m-1"))
    b = api.post("/messages", inbound_message(external_id="m-2", body="Halo? Ada kabar?"))
    assert b.body["ticket_id"] == a.body["ticket_id"]
    assert Ticket.objects.get().messages.count() == 2


def test_a_message_to_a_solved_ticket_reopens_it(api, inbound_message):
    a = api.post("/messages", inbound_message(external_id="m-1"))
    api.patch(f"/tickets/{a.body['ticket_id']}", {"status": "pending"})
    b = api.post("/messages", inbound_message(external_id="m-2"))
    ticket = Ticket.objects.get(pk=a.body["ticket_id"])
    assert b.body["ticket_id"] == ticket.pk
    assert ticket.status == "open"


def test_same_identity_on_two_channels_is_one_customer(api, inbound_message):
    a = api.post("/messages", inbound_message(external_id="m-1"))
    b = api.post("/messages", inbound_message(external_id="e-1", channel="email"))
    ta, tb = Ticket.objects.get(pk=a.body["ticket_id"]), Ticket.objects.get(pk=b.body["ticket_id"])
    assert ta.pk != tb.pk
    assert ta.customer_id == tb.customer_id


@pytest.mark.parametrize(
    "body, status, code",
    [
        ("{not json", 400, "malformed_json"),
        ('{"channel": "api", "from": {"email": "a@b.c"}, "body": "x"}', 422, "invalid_input"),
        ('{"channel": "faxmachine", "external_id": "1", "from": {"email": "a@b.c"}, "body": "x"}', 404, "unknown_channel"),
        ('{"channel": "api", "external_id": "1", "from": {"name": "Tanpa alamat"}, "body": "x"}', 422, "missing_field"),
        ('{"channel": "api", "external_id": "1", "from": {"email": "a@b.c"}, "body": ""}', 422, "invalid_input"),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_nothing_half_written(api, body, status, code):
    r = api.post("/messages", body)
    assert r.status_code == status
    assert r.body["error"]["code"] == code
    assert r.body["error"]["message"]
    assert Ticket.objects.count() == 0
    assert Message.objects.count() == 0


def test_without_a_token_nothing_is_accepted(api_for, inbound_message):
    r = api_for(None).post("/messages", inbound_message())
    assert r.status_code == 401
    assert r.body["error"]["code"] == "unauthorized"
    assert Ticket.objects.count() == 0


def test_an_oversize_body_is_refused(api, inbound_message, settings):
    settings.TANGGAP_MAX_BODY_BYTES = 1000
    r = api.post("/messages", inbound_message(body="x" * 2000))
    assert r.status_code == 413
    assert r.body["error"]["code"] == "payload_too_large"
    assert InboundRaw.objects.count() == 0
