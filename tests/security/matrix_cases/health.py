"""Customer health's routes in the permission matrix: every staff token reads a customer's
health and the list by band (customers are shared by all staff); the console's list of
customers at risk is for team leads and admins."""

from __future__ import annotations

from tests.security.matrix_base import Case, api, manager


def build(world, users) -> None:
    from tanggap.customers.services import LineInput, order_create, product_upsert
    from tanggap.customers.models import Customer
    from tanggap.health import services

    product_upsert(sku="MATRIX-HEALTH", name="Kopi", price=10_000)
    order_create(external_id="matrix-health-1", customer=Customer.objects.get(pk=world.ids["cust_a"]),
                 lines=[LineInput(sku="MATRIX-HEALTH")])
    services.health_refresh()


CASES = [
    Case("GET", "/api/v1/customers/{cust_a}/health", api()),
    Case("GET", "/api/v1/health", api()),
    Case("GET", "/health/", manager()),
]
