"""Customer health fixtures: customers and orders through the customers services (a background
shop in bulk), tickets through the real intake, triage sentiment, broken promises and survey
answers as their own parts store them."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from tanggap.channels.normalized import InboundIdentity
from tanggap.customers.models import Customer, Order, Product
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def customer(email: str | None = None, name: str = "Rina") -> Customer:
    email = email or f"pelanggan{next(_ids)}@example.id"
    return customer_find_or_create(identity=InboundIdentity(kind="email", value=email, name=name))[0]


def product() -> Product:
    return product_upsert(sku="KOPI-1", name="Kopi Gayo 250 g", price=85_000)[0]


def buy(c: Customer, *days_ago: float, at: dt.datetime = NOW, status: str = "delivered") -> list[Order]:
    """One order per ``days_ago`` through order_create (idempotent by external id)."""
    product()
    return [order_create(external_id=f"o-{c.pk}-{next(_ids)}", customer=c, lines=[LineInput(sku="KOPI-1")],
                         status=status, placed_at=at - dt.timedelta(days=d))[0] for d in days_ago]


def background_shop(n: int = 60, *, at: dt.datetime = NOW, seed: int = 3) -> list[Customer]:
    """A shop with ``n`` customers and a year of orders (bulk rows): most buy every 2-8 weeks,
    some drop out, some bought once."""
    rng = random.Random(seed)
    prod = product()
    customers = Customer.objects.bulk_create([Customer(name=f"Latar {i}") for i in range(n)])
    orders = []
    for c in customers:
        gap = rng.uniform(14, 60)
        first = rng.uniform(60, 365)
        stop = first * rng.random() if rng.random() < 0.3 else 0  # a third stopped some time ago
        day = first
        while day > stop:
            orders.append(Order(external_id=f"bg-{c.pk}-{len(orders)}", customer=c, status="delivered",
                                placed_at=at - dt.timedelta(days=day), total=prod.price))
            if rng.random() < 0.15:
                break  # a one-time buyer
            day -= rng.expovariate(1 / gap)
    Order.objects.bulk_create(orders)
    return customers


def triage(email: str, score: float, at: dt.datetime, body: str = "Pesan pelanggan."):
    """A customer message through the real intake (its own ticket, solved, dated ``at``) and the
    triage row triage.services would store for it. Returns the ticket."""
    from tanggap.conversations.models import Message, Ticket
    from tanggap.triage.models import MessageTriage
    from tests.web.support import receive

    ticket = receive(email=email, body=body)
    Ticket.objects.filter(pk=ticket.pk).update(status="solved", created_at=at)
    sentiment = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
    message = Message.objects.filter(ticket=ticket, direction="in").order_by("id").first()
    MessageTriage.objects.create(message=message, ticket=ticket, language="id", sentiment=sentiment,
                                 sentiment_score=score, created_at=at)
    return ticket


def broken_promise(ticket, due: dt.datetime):
    from tanggap.promises.models import Promise

    return Promise.objects.create(ticket=ticket, due_at=due, status="broken", made_at=due - dt.timedelta(days=1),
                                  settled_at=due)


@pytest.fixture
def lead(make_staff, team):
    return make_staff("bayu", "lead", [team])
