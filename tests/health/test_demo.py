"""The demo's health part (tanggap/health/demo.py) on a small shop: a customer with a bad
experience and a silence gets a regular's history and is flagged (watch or at risk) with its reasons; every customer is scored.
(The whole demo runs it in tests/demo.)"""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest
import time_machine

from tanggap.customers.models import Order
from tanggap.health import demo
from tanggap.health.models import CustomerHealth
from tests.health.conftest import NOW, background_shop, broken_promise, buy, customer
from tests.web.support import receive

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_demo_play_flags_a_stopped_regular_with_its_reasons():
    background_shop(40)
    let_down = customer("kecewa@example.id")
    buy(let_down, 60)
    ticket = receive(email="kecewa@example.id", body="Janjinya dikirim kemarin, belum sampai.")
    broken_promise(ticket, NOW - dt.timedelta(days=50))
    ticket.status = "solved"
    ticket.save(update_fields=["status"])

    counts = demo.play(SimpleNamespace(now=NOW, rng=random.Random("1:health")))

    assert counts["stopped_regulars"] == 1 and counts["orders_added"] >= 6
    assert counts["customers_scored"] == 41 == sum(counts["bands"].values())
    assert Order.objects.filter(customer=let_down).count() == 1 + counts["orders_added"]
    row = CustomerHealth.objects.get(customer=let_down)
    assert row.band in ("watch", "at_risk") and row.p_alive < 0.5
    assert [r["code"] for r in row.reasons][:4] == ["no_order_for", "low_p_alive", "broken_promises", "top_customer"]
