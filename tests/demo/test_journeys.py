"""Journey events, product guides and post-order care in the demo store (issue 4)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

pytestmark = pytest.mark.django_db


def test_orders_report_their_journey(demo):
    from tanggap.customers.models import Order
    from tanggap.journeys.models import JourneyEvent

    kinds = Counter(JourneyEvent.objects.values_list("kind", flat=True))
    for kind in ("order_placed", "order_paid", "order_shipped", "order_delivered", "site_visit", "review_posted"):
        assert kinds[kind] > 0, kind
    assert kinds["order_placed"] >= kinds["order_paid"] >= kinds["order_shipped"] >= kinds["order_delivered"]
    # Each order's events agree with the order: in time order, delivered at its delivery time.
    for order in Order.objects.filter(journey_events__kind="order_delivered").distinct()[:50]:
        events = list(order.journey_events.order_by("occurred_at").values_list("kind", "occurred_at"))
        assert [k for k, _ in events if k.startswith("order_")][:1] == ["order_placed"]
        assert dict(events)["order_delivered"] == order.delivered_at
        assert order.status in ("delivered", "returned")
    assert not JourneyEvent.objects.filter(occurred_at__gt=demo.now).exists()


def test_guides_and_checkins_follow_the_default_rules(demo):
    from tanggap.automations.models import AutomationRun, ProductGuide
    from tanggap.conversations.models import Message

    assert ProductGuide.objects.values("product").distinct().count() >= 25
    assert set(ProductGuide.objects.values_list("language", flat=True)) == {"id", "ms", "en"}
    runs = Counter(AutomationRun.objects.values_list("rule__action", "status"))
    assert runs[("send_product_guides", "done")] >= 20
    assert runs[("send_checkin", "done")] >= 10
    # Runs ran when due (the worker's minute), not at load time; those due later wait.
    for run in AutomationRun.objects.exclude(ran_at=None):
        assert run.due_at <= run.ran_at <= run.due_at + dt.timedelta(minutes=1)
        if run.ticket is not None:
            assert run.ticket.created_at == run.ran_at
            assert run.ticket.initiated_by == "company"
    assert not AutomationRun.objects.filter(status="scheduled", due_at__lt=demo.now - dt.timedelta(minutes=1)).exists()
    guide = Message.objects.filter(meta__purpose="product_guides").first()
    assert "https://toko-nusantara.test/" in guide.body_text
    # Some customers answered their check-in, and the answer is in the check-in's ticket.
    answered = Message.objects.filter(direction="in", ticket__initiated_by="company",
                                      ticket__messages__meta__purpose="checkin").distinct()
    assert answered.count() >= 1
    assert all(m.created_at > m.ticket.created_at for m in answered)
