"""Journey test helpers: a product and an order to hang order events on."""

import pytest

from tanggap.channels.normalized import InboundIdentity
from tanggap.customers.services import customer_find_or_create, order_create, product_upsert


@pytest.fixture
def rina(db):
    return customer_find_or_create(identity=InboundIdentity(kind="email", value="rina@example.id", name="Rina"))[0]


@pytest.fixture
def order(rina):
    from tanggap.customers.services import LineInput

    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    return order_create(external_id="INV/2026/0001", customer=rina, lines=[LineInput(sku="PG-190")])[0]
