"""The demo's calls (tanggap.calls.demo.play) on a small store: agents' call-backs and PBX calls
on open tickets, in the last two hours, after everything on the ticket. (tests/demo runs it within the whole demo.)"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tanggap.calls import demo
from tanggap.calls.models import Call
from tanggap.demo.parts import DemoContext
from tests.calls.conftest import receive_message

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


def _ctx(agent) -> DemoContext:
    from tanggap.customers.models import Customer

    customers = {i: c for i, c in enumerate(Customer.objects.order_by("id"))}
    return DemoContext(plan=None, customers=customers, agents={agent.username: agent}, channels={}, teams={},
                       now=NOW, seed=7, rng=random.Random("7:calls"))


def test_the_demo_adds_a_handful_of_calls_on_the_timeline(agent):
    from tanggap.conversations.models import Message
    from tanggap.conversations.services import ticket_update
    from tanggap.demo.aftercare import frozen

    with frozen(NOW - dt.timedelta(hours=3)):
        for i in range(6):
            received = receive_message(external_id=f"sms-{i}", phone=f"0812-3456-70{i:02d}", name=f"Pelanggan {i}")
            ticket_update(ticket=received.ticket, actor=agent, status="open")
    with frozen(NOW):
        out = demo.play(_ctx(agent))
    assert out == {"calls": 5, "logged": 3, "from_pbx": 2}
    calls = list(Call.objects.select_related("message", "ticket"))
    assert all(c.message is not None for c in calls)  # every one is a contact on its ticket
    assert sorted(c.direction for c in calls) == ["in", "in", "out", "out", "out"]
    assert Call.objects.filter(source="webhook").exclude(recording_url="").count() == 1
    assert not Message.objects.filter(direction="in", channel_kind="phone", raw__isnull=True).exists()
    for call in calls:  # after the ticket's last message, never after now
        earlier = call.ticket.messages.exclude(pk=call.message_id).order_by("-created_at").first()
        assert earlier.created_at <= call.message.created_at <= NOW
    assert len({c.ticket_id for c in calls}) == 5
    assert all(NOW - dt.timedelta(hours=2) <= c.started_at for c in calls)
    assert Call.objects.values("customer").distinct().count() == 5  # no new customers: known numbers only
