"""Remedy fixtures: a ticket through the real intake, with an order of its customer."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from tanggap.conversations.models import Ticket
from tanggap.customers.models import Customer, Order
from tanggap.customers.services import LineInput, order_create, product_upsert
from tests.web.support import receive

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")


def jkt(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JKT)


@pytest.fixture
def make_ticket(db, team):
    """A ticket opened by a customer email, in the given category and team (default: the
    `team` fixture's)."""

    def make(*, category="defect", email="rina@example.id", name="Rina", language=None, on_team=True,
             subject="Pasta gigi bocor"):
        ticket = receive(email=email, name=name, subject=subject, body="Tube pasta giginya bocor.")
        Ticket.objects.filter(pk=ticket.pk).update(category=category, team=team if on_team else None)
        if language:
            Customer.objects.filter(pk=ticket.customer_id).update(language=language)
        return Ticket.objects.select_related("customer", "channel", "team").get(pk=ticket.pk)

    return make


@pytest.fixture
def make_order(db):
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price="150000")
    product_upsert(sku="SK-01", name="Sikat Gigi", price="50000")

    def make(customer, *, external_id="INV/2026/0001", quantity=2, delivered_at=None, status="delivered"):
        order, _ = order_create(external_id=external_id, customer=customer, status=status,
                                lines=[LineInput(sku="PG-190", quantity=quantity), LineInput(sku="SK-01")])
        if delivered_at:
            Order.objects.filter(pk=order.pk).update(delivered_at=delivered_at)
            order.refresh_from_db()
        return order

    return make


@pytest.fixture
def lead(make_staff, team):
    return make_staff("bayu", "lead", [team])
