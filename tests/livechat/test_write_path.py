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


def _tables_read(queries: list[dict], table: str) -> list[int]:
    return [i for i, q in enumerate(queries) if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_an_agent_reply_reads_the_sla_policies_and_hours_before_its_write_and_reaches_the_visitor(visitor):
    """The reply's policy and calendar reads come before its first write (on SQLite, before the
    write lock is taken), once each, and the reply is still delivered to the chat with its
    clocks and next progress update worked out from that calendar."""
    import datetime as dt

    from tanggap.accounts.services import agent_create
    from tanggap.conversations.services import reply_send
    from tanggap.sla.models import BusinessCalendar, OpenPeriod, SlaPolicy, SlaTarget, TicketSla

    calendar = BusinessCalendar.objects.create(name="Toko")
    for day in range(7):
        OpenPeriod.objects.create(calendar=calendar, weekday=day, opens_at=dt.time(0), closes_at=dt.time(23, 59))
    SlaPolicy.objects.create(name="Chat", calendar=calendar, first_response_minutes=15, next_response_minutes=15,
                             update_interval_minutes=60)
    agent = agent_create(username="sari", password="rahasia-sari-123", role="agent")
    assert visitor().say("halo, pesanan saya?").status_code == 200
    ticket = Ticket.objects.get()
    with CaptureQueriesContext(connection) as ctx:
        message = reply_send(ticket=ticket, author=agent, body_text="Baik, kami cek dulu ya.")
    queries = ctx.captured_queries
    first_write = next(i for i, q in enumerate(queries) if q["sql"].startswith("INSERT"))
    assert len(_tables_read(queries, "sla_slapolicy")) == 1
    for table in ("sla_slapolicy", "sla_openperiod", "sla_closedday"):
        reads = _tables_read(queries, table)
        assert reads and max(reads) < first_write, (table, reads, first_write)
        # each calendar (the migrations' default one and ours) read once
        assert len({queries[i]["sql"] for i in reads}) == len(reads)
    assert message.delivery_status == "sent"  # the chat event is the delivery
    assert ChatEvent.objects.filter(kind="message", sender="agent", message=message).exists()
    assert SlaTarget.objects.filter(ticket=ticket, kind="first_response", status="met").exists()
    assert TicketSla.objects.get(ticket=ticket).next_update_at is not None


def test_an_in_transaction_handler_that_declines_an_event_costs_no_statement():
    from django.db import transaction

    from tanggap.events import bus

    seen = []

    @bus.subscribe("test.when", in_transaction=True, when=lambda data: data.get("kind") == "chat")
    def handler(event):
        seen.append(event.data["kind"])

    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as declined:
                bus.publish("test.when", kind="email")
            with CaptureQueriesContext(connection) as accepted:
                bus.publish("test.when", kind="chat")
        assert seen == ["chat"]
        assert declined.captured_queries == []
        assert any("SAVEPOINT" in q["sql"] for q in accepted.captured_queries)  # a handler it runs gets its savepoint
    finally:
        bus._in_transaction["test.when"].remove(handler)
