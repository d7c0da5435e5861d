from __future__ import annotations

from django.db.models import Prefetch

from tanggap.common.errors import NotFound
from tanggap.customers.models import Customer, Identity, Order, Product
from tanggap.customers.services import normalize_identity_value, resolve


def customer_get(*, customer_id: int) -> Customer:
    """A customer by id, following merges. Any staff member may read customers."""
    try:
        customer = Customer.objects.get(pk=customer_id)
    except Customer.DoesNotExist:
        raise NotFound("customer_not_found", f"Customer {customer_id} does not exist.") from None
    return resolve(customer)


def customer_find_by_identity(*, kind: str, value: str, namespace: str = "") -> Customer | None:
    ident = Identity.objects.select_related("customer").filter(
        kind=kind, namespace=namespace, value=normalize_identity_value(kind, value)).first()
    return resolve(ident.customer) if ident else None


def customer_orders(*, customer: Customer, limit: int = 20) -> list[Order]:
    return list(
        Order.objects.filter(customer=customer).order_by("-placed_at")
        .prefetch_related(Prefetch("lines__product"))[:limit]
    )


def product_list(*, limit: int = 100, after_id: int = 0) -> list[Product]:
    return list(Product.objects.filter(pk__gt=after_id).order_by("pk")[:limit])


def order_list(*, customer_id: int | None = None, limit: int = 100, after_id: int = 0) -> list[Order]:
    qs = Order.objects.filter(pk__gt=after_id).select_related("customer").prefetch_related("lines__product")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return list(qs.order_by("pk")[:limit])


def customer_identities(*, customer: Customer) -> list[Identity]:
    return list(Identity.objects.filter(customer=customer).order_by("kind", "id"))
