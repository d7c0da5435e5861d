"""A visitor's message is one write: the raw payload, the message on the ticket's timeline with
its SLA and promise bookkeeping, the chat event and the conversation's times commit together or
not at all, in a bounded number of queries (bench/chat_load measures the cost)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tanggap.channels.models import InboundRaw
from tanggap.conversations.models import Message, Ticket, TimelineEntry
from tanggap.livechat import services
from tanggap.livechat.models import ChatConversation, ChatEvent

pytestmark = pytest.mark.django_db


def test_a_failure_inside_the_write_stores_nothing_and_the_widget_keeps_the_text(visitor, monkeypatch):
    v = visitor()
    v.say("pesan pertama")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_visitor_event", broken)
    conversation = ChatConversation.objects.get()
    before = (InboundRaw.objects.count(), Message.objects.count(), TimelineEntry.objects.count())
    with pytest.raises(RuntimeError):
        services.message_send(conversation=conversation, text="pesan kedua", client_id="c2")
    assert (InboundRaw.objects.count(), Message.objects.count(), TimelineEntry.objects.count()) == before
    assert ChatConversation.objects.get().last_visitor_at == conversation.last_visitor_at
    monkeypatch.undo()
    # sent again (the same client id), it is stored once, with its event
    v.say("pesan kedua", client_id="c2")
    v.say("pesan kedua", client_id="c2")
    assert Message.objects.filter(body_text="pesan kedua").count() == 1
    assert ChatEvent.objects.filter(kind="message", data__text="pesan kedua").count() == 1


def test_a_rejected_payload_is_kept_with_its_reason(visitor, monkeypatch):
    from tanggap.common.errors import DomainError
    from tanggap.conversations import services as conv

    def refuse(**kwargs):
        raise DomainError("missing_external_id", "Every inbound message needs an external id.")

    monkeypatch.setattr("tanggap.channels.services.message_receive", refuse)
    v = visitor()
    response = v.say("ditolak")
    assert response.status_code == 422 and response.body["error"]["code"] == "missing_external_id"
    raw = InboundRaw.objects.get()
    assert (raw.status, raw.reason_code) == ("rejected", "missing_external_id")
    assert not Message.objects.exists() and not ChatEvent.objects.filter(kind="message").exists()
    assert conv  # the real receive is untouched for the other tests


def test_a_message_on_an_open_chat_stays_within_its_query_budget(visitor):
    v = visitor()
    v.say("pertama")  # opens the ticket
    conversation = ChatConversation.objects.select_related("channel").get()
    with CaptureQueriesContext(connection) as ctx:
        services.message_send(conversation=conversation, text="kedua", client_id="c-budget")
    assert Ticket.objects.get().messages.count() == 2
    assert len(ctx.captured_queries) <= 32, "\n".join(q["sql"][:120] for q in ctx.captured_queries)


def test_a_failing_sla_refresh_rolls_back_only_its_own_writes(visitor, monkeypatch, caplog):
    """The SLA handler runs in the bus's savepoint without one of its own: a failure after some
    of its writes still leaves none of them, and the message, its ticket and event are stored."""
    from tanggap.sla import services as sla
    from tanggap.sla.models import SlaTarget, TicketSla

    def broken(**kwargs):
        raise RuntimeError("after the clocks were written")

    monkeypatch.setattr(sla, "_state_save", broken)  # runs after the new clocks' INSERT
    v = visitor()
    assert v.say("halo, paket saya hilang").status_code == 200
    assert Message.objects.count() == 1 and ChatEvent.objects.filter(kind="message").count() == 1
    assert not SlaTarget.objects.exists() and not TicketSla.objects.exists()
    assert "SLA refresh failed" in caplog.text
    monkeypatch.undo()
    assert visitor(ip="198.51.100.4").say("halo juga").status_code == 200
    assert SlaTarget.objects.exists() and TicketSla.objects.exists()  # what the failure rolled back
