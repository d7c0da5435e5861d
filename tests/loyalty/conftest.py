"""Loyalty fixtures: a programme (three tiers, earning rules), customers, paid orders reported as
journey events through the real journeys service."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tanggap.channels.normalized import InboundIdentity
from tanggap.customers.models import Customer
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert
from tanggap.journeys.services import event_record
from tanggap.loyalty.models import EarnRule, Reward, Tier

UTC = dt.UTC
_ids = itertools.count(1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def make_programme() -> dict:
    tiers = {
        "perunggu": Tier.objects.create(code="perunggu", name_id="Perunggu", name_ms="Gangsa", name_en="Bronze",
                                        threshold=0, multiplier_percent=100, benefits_id="Poin dasar",
                                        benefits_ms="Mata asas", benefits_en="Base points"),
        "perak": Tier.objects.create(code="perak", name_id="Perak", name_ms="Perak", name_en="Silver",
                                     threshold=500, multiplier_percent=125),
        "emas": Tier.objects.create(code="emas", name_id="Emas", name_ms="Emas", name_en="Gold",
                                    threshold=2000, multiplier_percent=150),
    }
    EarnRule.objects.create(kind="order_amount", currency="IDR", points=1, per_amount=10_000)
    EarnRule.objects.create(kind="order_amount", currency="MYR", points=1, per_amount=3)
    EarnRule.objects.create(kind="review_posted", points=50)
    EarnRule.objects.create(kind="survey_answered", points=20)
    EarnRule.objects.create(kind="referral", points=100)
    rewards = {
        "voucher": Reward.objects.create(code="voucher-25rb", name_id="Voucher Rp 25.000", name_ms="Baucar Rp 25,000",
                                         name_en="Rp 25,000 voucher", cost_points=100, discount_amount=25_000),
        "emas-only": Reward.objects.create(code="emas-spa", name_id="Perawatan eksklusif", name_en="Exclusive treatment",
                                           cost_points=150, discount_amount=100_000, min_tier=tiers["emas"]),
    }
    return {"tiers": tiers, "rewards": rewards}


@pytest.fixture
def programme(db):
    return make_programme()


def new_customer(email: str | None = None, name: str = "Rina") -> Customer:
    email = email or f"pelanggan{next(_ids)}@example.id"
    return customer_find_or_create(identity=InboundIdentity(kind="email", value=email, name=name))[0]


@pytest.fixture
def customer(db):
    return new_customer("rina@example.id")


def pay(customer: Customer, total: int, *, external_id: str | None = None, currency: str = "IDR", at=None):
    """An order of ``total`` reported paid as a journey event; returns (event, created)."""
    external_id = external_id or f"INV/{next(_ids):05d}"
    product_upsert(sku=f"SKU-{total}", name="Barang", price=str(total))
    order_create(external_id=external_id, customer=customer, lines=[LineInput(sku=f"SKU-{total}")], currency=currency)
    return event_record(kind="order_paid", external_id=f"paid-{external_id}", source="shop", customer=customer,
                        order_external_id=external_id, occurred_at=at)


def journey(customer: Customer, kind: str, external_id: str | None = None):
    return event_record(kind=kind, external_id=external_id or f"{kind}-{next(_ids)}", source="shop", customer=customer)


@pytest.fixture
def lead(make_staff, team):
    return make_staff("bayu", "lead", [team])
