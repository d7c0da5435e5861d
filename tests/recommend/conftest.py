"""Recommendations fixtures: a small shop (products, customers, orders through the real
customers services) and a model directory of the test's own."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tanggap.channels.normalized import InboundIdentity
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert

_orders = itertools.count(1)

CATALOG = {
    "KOPI": "Kopi Arabika Gayo", "GILING": "Penggiling Kopi", "FILTER": "Kertas Filter V60", "TEH": "Teh Melati",
    "GULA": "Gula Aren", "CANGKIR": "Cangkir Keramik", "TEKO": "Teko Leher Angsa", "MADU": "Madu Hutan",
    "DRIPPER": "Dripper V60",
}


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    from tanggap.recommend import selectors

    selectors._cache.clear()


@pytest.fixture
def products(db):
    return {sku: product_upsert(sku=sku, name=name, price=50_000)[0] for sku, name in CATALOG.items()}


def customer(name: str, email: str | None = None):
    email = email or f"{name.lower().replace(' ', '.')}@example.id"
    return customer_find_or_create(identity=InboundIdentity(kind="email", value=email, name=name))[0]


def buy(who, *skus, status="delivered", at=None):
    return order_create(external_id=f"rec-{next(_orders)}", customer=who, lines=[LineInput(sku=s) for s in skus],
                        status=status, placed_at=at or dt.datetime(2026, 10, 1, tzinfo=dt.UTC))[0]


@pytest.fixture
def shop(products):
    """Coffee drinkers buy coffee with a grinder and filters; tea drinkers buy tea with palm sugar;
    one customer once bought a kettle with a dripper (the kettle's only buyer: a cold item)."""
    people = {}
    for i in range(4):
        people[f"kopi{i}"] = c = customer(f"Kopi {i}")
        buy(c, "KOPI", "GILING")
        buy(c, "FILTER")
    for i in range(3):
        people[f"teh{i}"] = c = customer(f"Teh {i}")
        buy(c, "TEH", "GULA")
        buy(c, "CANGKIR")
    people["teko"] = c = customer("Teko")
    buy(c, "DRIPPER", "TEKO")
    people["new_kopi"] = c = customer("Rina Kopi")
    buy(c, "KOPI")
    people["new_teh"] = c = customer("Dewi Teh")
    buy(c, "TEH")
    people["dripper"] = c = customer("Andi Dripper")
    buy(c, "DRIPPER", "MADU")
    people["nobody"] = customer("Belum Belanja")
    return people
