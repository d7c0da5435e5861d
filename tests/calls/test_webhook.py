"""The telephony webhook end to end over HTTP: signed real-shaped events create and update the
call, match the customer by number, open a ticket for an ended inbound call, and survey replays,
bad signatures and events out of order."""

from __future__ import annotations

import datetime as dt

import pytest

from tanggap.calls.models import Call, CallEvent
from tanggap.channels.models import Channel, InboundRaw
from tanggap.conversations.models import Message, Ticket, TimelineEntry
from tanggap.customers.models import Customer, Identity
from tests.calls.conftest import WIB, Pbx, event, receive_message, sign

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 25, 9, 15, 2, tzinfo=WIB)


def full_call(pbx, call_id="pbx-1732500000.42", caller="0812-3456-7890", **ended):
    r1 = pbx.post(event("started", call_id, caller=caller, at=T0, caller_name="Rina Wati"))
    r2 = pbx.post(event("answered", call_id, caller=caller, at=T0 + dt.timedelta(seconds=9)))
    r3 = pbx.post(event("ended", call_id, caller=caller, at=T0 + dt.timedelta(seconds=261), duration=252,
                        outcome="answered", recording_url="https://pbx.toko.id/rec/42.mp3", **ended))
    return r1, r2, r3


def test_a_full_inbound_call_from_an_unknown_number_opens_a_ticket_with_the_call_on_it(pbx):
    r1, r2, r3 = full_call(pbx)
    assert [r.status_code for r in (r1, r2, r3)] == [200, 200, 200]
    assert [r.body["state"] for r in (r1, r2, r3)] == ["ringing", "answered", "ended"]
    assert r1.body["ticket_id"] is None and r2.body["ticket_id"] is None  # no open ticket while it rings
    call = Call.objects.get()
    assert (call.number, call.state, call.outcome, call.duration_seconds) == ("+6281234567890", "ended", "answered", 252)
    assert call.started_at == T0 and call.answered_at == T0 + dt.timedelta(seconds=9)
    assert call.ended_at == T0 + dt.timedelta(seconds=261)
    assert call.recording_url == "https://pbx.toko.id/rec/42.mp3" and call.line == "+622150001234"
    customer = Customer.objects.get()
    assert customer.name == "Rina Wati"
    assert Identity.objects.get(customer=customer).value == "+6281234567890"
    ticket = Ticket.objects.get()
    assert r3.body["ticket_id"] == ticket.pk == call.ticket_id
    assert (ticket.customer_id, ticket.initiated_by, ticket.channel.kind) == (customer.pk, "customer", "phone")
    assert ticket.waiting_since is None and ticket.first_response_at is not None  # served live
    message = Message.objects.get()
    assert call.message_id == message.pk
    assert (message.direction, message.channel_kind, message.initiated_by) == ("in", "phone", "customer")
    assert "4:12" in message.body_text and "https://pbx.toko.id/rec/42.mp3" in message.body_text
    assert message.external_id == "phone:pbx-1732500000.42"
    # every event is kept as received; the message points at the one that ended the call
    raws = list(InboundRaw.objects.order_by("id"))
    assert [(r.source, r.status) for r in raws] == [("webhook", "processed")] * 3
    assert message.raw_id == raws[2].pk and b'"call.ended"' in bytes(raws[2].body)
    kinds = list(TimelineEntry.objects.filter(ticket=ticket).order_by("id").values_list("kind", "initiated_by"))
    # the customer's call, and our answer on the phone (as a reply would be)
    assert kinds == [("ticket.opened", "customer"), ("message.in", "customer"), ("message.out", "customer"),
                     ("status", "")]
    ticket.refresh_from_db()
    assert ticket.status == "open"  # someone spoke with the customer: no longer new
    from tanggap.sla.models import SlaTarget

    first = SlaTarget.objects.get(ticket=ticket, kind="first_response")
    assert first.status == "met" and first.due_at is None  # answered on the phone


def test_a_replayed_event_is_stored_once_and_changes_nothing(pbx):
    full_call(pbx)
    replay = pbx.post(event("ended", at=T0 + dt.timedelta(seconds=261), duration=999, outcome="busy"))
    assert replay.status_code == 200 and replay.body["created"] is False
    call = Call.objects.get()
    assert (call.outcome, call.duration_seconds) == ("answered", 252)
    assert CallEvent.objects.count() == 3 and Message.objects.count() == 1 and Ticket.objects.count() == 1


@pytest.mark.parametrize("signature", [None, "", "sha256=" + "0" * 64, "sha1=abc", "garbage"])
def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(pbx, signature):
    response = pbx.post(event("ended", outcome="missed"), signature=signature)
    assert response.status_code == 401 and response.body["error"]["code"] == "bad_signature"
    assert not Call.objects.exists() and not CallEvent.objects.exists() and not Customer.objects.exists()
    assert not InboundRaw.objects.exists()


def test_a_body_signed_with_another_secret_or_changed_after_signing_is_refused(pbx):
    payload = event("ended", outcome="missed")
    assert Pbx(secret="bukan-rahasia").post(payload).status_code == 401
    import json

    body = json.dumps(payload).encode()
    tampered = body.replace(b"0812-3456-7890", b"0812-9999-0000")
    assert pbx.post({}, body=tampered, signature=sign(body)).status_code == 401
    assert not Call.objects.exists()


def test_without_a_phone_channel_secret_every_event_is_refused(db):
    response = Pbx().post(event("ended", outcome="missed"))
    assert response.status_code == 401
    assert not Channel.objects.filter(kind="phone").exists()  # a refused request creates no channel either
    Channel.objects.create(kind="phone", slug="phone", name="Telepon", secret="")
    assert Pbx().post(event("ended", outcome="missed")).status_code == 401


def test_events_out_of_order_end_in_the_right_final_state(pbx):
    # ended arrives first (no outcome: the PBX leaves it to us), then answered, then started.
    first = pbx.post(event("ended", at=T0 + dt.timedelta(seconds=200)))
    assert first.status_code == 200 and first.body["outcome"] == "missed"  # what is known so far
    ticket = Ticket.objects.get()
    assert ticket.waiting_since is not None  # a missed call: the customer waits for us
    pbx.post(event("answered", at=T0 + dt.timedelta(seconds=20)))
    last = pbx.post(event("started", at=T0))
    assert last.body["state"] == "ended"  # the state never moves back
    call = Call.objects.get()
    assert call.started_at == T0 and call.answered_at == T0 + dt.timedelta(seconds=20)
    assert (call.outcome, call.duration_seconds) == ("answered", 180)
    message = Message.objects.get()  # still one contact
    assert "Terjawab" in message.body_text or "Answered" in message.body_text
    ticket.refresh_from_db()
    assert ticket.waiting_since is None and ticket.first_response_at is not None
    kinds = list(TimelineEntry.objects.filter(ticket=ticket, kind__startswith="message").order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["message.in", "message.out"]  # the late "answered" added our side of the call
    from tanggap.sla.models import SlaTarget

    assert SlaTarget.objects.get(ticket=ticket, kind="first_response").status == "met"


def test_the_outcome_the_pbx_reports_wins_over_the_answered_event(pbx):
    pbx.post(event("answered", at=T0 + dt.timedelta(seconds=5)))
    pbx.post(event("ended", at=T0 + dt.timedelta(seconds=40), outcome="voicemail", duration=35))
    call = Call.objects.get()
    assert (call.state, call.outcome, call.duration_seconds) == ("ended", "voicemail", 35)


@pytest.mark.parametrize("caller", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "+62 0812 3456 7890",
                                    "0062812-3456-7890"])
def test_the_call_is_matched_to_the_customer_by_number_in_any_format(pbx, caller):
    known = receive_message(external_id="sms-1", phone="+6281234567890")
    pbx.post(event("ended", "pbx-9", caller=caller, outcome="missed"))
    call = Call.objects.get()
    assert call.customer_id == known.ticket.customer_id
    assert Customer.objects.count() == 1


def test_an_inbound_call_joins_the_customers_open_ticket(pbx):
    known = receive_message(external_id="sms-1", phone="081234567890")
    started = pbx.post(event("started", "pbx-7", caller="6281234567890"))
    assert started.body["ticket_id"] == known.ticket.pk
    pbx.post(event("ended", "pbx-7", caller="6281234567890", outcome="missed"))
    assert Ticket.objects.count() == 1
    assert list(known.ticket.messages.order_by("id").values_list("channel_kind", "direction")) == [
        ("sms", "in"), ("phone", "in")]


def test_a_call_to_a_solved_ticket_reopens_it(pbx, agent):
    from tanggap.conversations.services import ticket_update

    known = receive_message(external_id="sms-1", phone="081234567890")
    ticket_update(ticket=known.ticket, actor=agent, status="pending")
    pbx.post(event("ended", "pbx-8", outcome="missed"))
    known.ticket.refresh_from_db()
    assert known.ticket.status == "open" and Ticket.objects.count() == 1


def test_an_outbound_call_with_no_open_ticket_is_kept_on_the_customer_only(pbx):
    response = pbx.post(event("ended", "pbx-out-1", direction="outbound", caller="+60 12-345 6789", outcome="busy"))
    assert response.status_code == 200 and response.body["ticket_id"] is None
    call = Call.objects.get()
    assert (call.direction, call.number, call.outcome) == ("out", "+60123456789", "busy")
    assert not Ticket.objects.exists() and not Message.objects.exists()


def test_an_outbound_answered_call_on_an_open_ticket_is_a_company_initiated_response(pbx):
    known = receive_message(external_id="sms-1", phone="081234567890")
    assert known.ticket.waiting_since is not None
    pbx.post(event("ended", "pbx-out-2", direction="outbound", outcome="completed", duration=95,
                   agent_email="tidak-ada@toko.id"))
    message = Message.objects.get(channel_kind="phone")
    assert (message.direction, message.initiated_by, message.delivery_status) == ("out", "company", "sent")  # placed
    entry = TimelineEntry.objects.get(message=message)
    assert (entry.kind, entry.initiated_by, entry.data["automated"]) == ("message.out", "company", False)
    known.ticket.refresh_from_db()
    assert known.ticket.waiting_since is None and known.ticket.first_response_at is not None


@pytest.mark.parametrize("payload, where", [
    ({"event": "call.ringing", "call_id": "x", "direction": "inbound", "from": "0812345678", "timestamp": "2026-11-25T09:00:00+07:00"}, "event"),
    ({"event": "call.ended", "call_id": "x", "direction": "sideways", "from": "0812345678", "timestamp": "2026-11-25T09:00:00+07:00"}, "direction"),
    ({"event": "call.ended", "call_id": "x", "direction": "inbound", "from": "bukan nomor", "timestamp": "2026-11-25T09:00:00+07:00"}, "bad_phone"),
    ({"event": "call.ended", "call_id": "x", "direction": "inbound", "from": "0812345678", "timestamp": "2026-11-25T09:00:00"}, "timestamp"),
    ({"event": "call.ended", "call_id": "x", "direction": "inbound", "from": "0812345678", "timestamp": 1764037200, "outcome": "meh"}, "outcome"),
    ({"event": "call.ended", "call_id": "x", "direction": "inbound", "from": "0812345678", "timestamp": 1764037200, "duration": -3}, "duration"),
    ({"event": "call.ended", "call_id": "x", "direction": "inbound", "from": "0812345678", "timestamp": 1764037200, "recording_url": "javascript:alert(1)"}, "recording_url"),
    ({"event": "call.ended", "direction": "inbound", "from": "0812345678", "timestamp": 1764037200}, "call_id"),
])
def test_a_malformed_event_is_refused_naming_the_field_and_kept_for_admins(pbx, payload, where):
    response = pbx.post(payload)
    assert response.status_code == 422
    error = response.body["error"]
    assert where in (error["code"], error["message"].split(":")[0])
    assert not Call.objects.exists()
    raw = InboundRaw.objects.get()
    assert (raw.status, raw.reason_code, raw.channel.kind) == ("rejected", error["code"], "phone")


def test_not_json_is_refused(pbx):
    assert pbx.post({}, body=b"bukan json").status_code == 422


def test_each_phone_line_posts_to_its_own_slug_with_its_own_secret(pbx):
    Channel.objects.create(kind="phone", slug="cabang-kl", name="Telefon KL", secret="kl-secret")
    kl = Pbx(path="/api/v1/calls/webhook/cabang-kl", secret="kl-secret")
    assert kl.post(event("ended", "kl-1", caller="+60 12-345 6789", outcome="missed")).status_code == 200
    assert Call.objects.get().channel.slug == "cabang-kl"
    assert Pbx(path="/api/v1/calls/webhook/cabang-kl").post(event("ended", "kl-2", outcome="missed")).status_code == 401
    assert Pbx(path="/api/v1/calls/webhook/tidak-ada").post(event("ended", "kl-3")).status_code == 404


def test_the_same_call_id_on_two_lines_is_two_calls(pbx):
    Channel.objects.create(kind="phone", slug="cabang-kl", name="Telefon KL", secret="kl-secret")
    pbx.post(event("ended", "sama-1", outcome="missed"))
    Pbx(path="/api/v1/calls/webhook/cabang-kl", secret="kl-secret").post(event("ended", "sama-1", outcome="missed"))
    assert Call.objects.count() == 2 and Message.objects.count() == 2
