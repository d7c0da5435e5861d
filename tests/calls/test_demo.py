"""The demo's calls (tanggap.calls.demo.play) on a small store: calls on open tickets, one that
opens a ticket, two from the PBX. (tests/demo runs it within the whole demo.)"""

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


def _store():
    for i in range(5):
        receive_message(external_id=f"sms-{i}", phone=f"0812-3456-70{i:02d}", name=f"Pelanggan {i}")
    quiet = receive_message(external_id="sms-quiet", email="sepi@example.id")
    from tanggap.conversations.services import ticket_update

    ticket_update(ticket=quiet.ticket, actor=None, status="solved")


def test_the_demo_adds_a_handful_of_calls_on_the_timeline(agent):
    from tanggap.demo.aftercare import frozen

    _store()
    with frozen(NOW):
        out = demo.play(_ctx(agent))
    assert out["calls"] == Call.objects.count() == 7
    assert Call.objects.filter(message__isnull=False).count() == 7  # every one is a contact on a ticket
    assert Call.objects.filter(source="webhook").exclude(recording_url="").count() == 1
    new_customer = Call.objects.get(provider_call_id="pbx-demo-1002").customer
    assert new_customer.identities.get().value == "+6285712340099"
    assert Call.objects.filter(ticket__initiated_by="company", ticket__subject__startswith="Saldo voucher").count() == 1
    assert all(c.started_at < NOW for c in Call.objects.all())
