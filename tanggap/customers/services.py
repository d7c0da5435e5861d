"""Writes for customers, identities, products and orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from tanggap.channels.normalized import InboundIdentity
from tanggap.common.errors import Conflict, DomainError, NotFound
from tanggap.common.fastsql import Prepared
from tanggap.common.phone import normalize_phone
from tanggap.customers.models import Customer, Identity, Order, OrderLine, Product
from tanggap.events import names
from tanggap.events.bus import publish

# Other domains (tickets, later loyalty...) move their rows to the surviving customer
# inside the merge transaction. They register here instead of being imported.
MergeHook = Callable[[Customer, Customer], None]
_merge_hooks: list[MergeHook] = []


def register_merge_hook(fn: MergeHook) -> MergeHook:
    if fn not in _merge_hooks:
        _merge_hooks.append(fn)
    return fn


def normalize_identity_value(kind: str, value: str) -> str:
    """The stored form of an identity; a phone that is not a number raises ParseError("bad_phone")."""
    value = (value or "").strip()
    if kind == Identity.Kind.EMAIL:
        return value.lower()
    if kind == Identity.Kind.PHONE:
        return normalize_phone(value)
    return value


def resolve(customer: Customer) -> Customer:
    """Follow merge pointers to the surviving customer."""
    seen = set()
    while customer.merged_into_id is not None and customer.pk not in seen:
        seen.add(customer.pk)
        customer = customer.merged_into
    return customer


# Every inbound message looks its sender up: compiled once (common.fastsql).
_IDENTITY = Prepared(lambda kind, namespace, value: Identity.objects.select_related("customer").filter(
    kind=kind, namespace=namespace, value=value).order_by("pk")[:1])


def customer_find_or_create(*, identity: InboundIdentity, language: str = "", country: str = "") -> tuple[Customer, bool]:
    if not identity.value:
        raise DomainError("missing_identity", "The sender has no email address, phone number or handle.")
    value = normalize_identity_value(identity.kind, identity.value)
    namespace = identity.namespace if identity.kind == Identity.Kind.HANDLE else ""
    key = {"kind": identity.kind, "namespace": namespace, "value": value}
    found = _IDENTITY.first(identity.kind, namespace, value)
    if found:
        customer = resolve(found.customer)
        if identity.name and not customer.name:
            customer.name = identity.name[:200]
            customer.save(update_fields=["name", "updated_at"])
        return customer, False
    try:
        with transaction.atomic():
            customer = Customer.objects.create(name=identity.name[:200], language=language or "id", country=country)
            Identity.objects.create(customer=customer, **key)
            return customer, True
    except IntegrityError:  # another request created it first
        return resolve(Identity.objects.select_related("customer").get(**key).customer), False


@transaction.atomic
def identity_add(*, customer: Customer, kind: str, value: str, namespace: str = "") -> Identity:
    value = normalize_identity_value(kind, value)
    existing = Identity.objects.filter(kind=kind, namespace=namespace, value=value).first()
    if existing:
        if resolve(existing.customer).pk != customer.pk:
            raise Conflict("identity_taken", f"{kind} {value} belongs to another customer; merge them instead.")
        return existing
    return Identity.objects.create(customer=customer, kind=kind, namespace=namespace, value=value)


@transaction.atomic
def customer_set_opt_out(*, customer: Customer, opt_out: bool) -> Customer:
    """Record that the customer does (not) want proactive contact: check-ins, product guides,
    incident notices. Answers to their own messages always go out."""
    customer = resolve(customer)
    if customer.proactive_opt_out != opt_out:
        customer.proactive_opt_out = opt_out
        customer.save(update_fields=["proactive_opt_out", "updated_at"])
    return customer


@transaction.atomic
def customer_merge(*, source: Customer, target: Customer, actor=None) -> Customer:
    """Merge ``source`` into ``target``: identities, orders and tickets move; source points to target."""
    source, target = resolve(source), resolve(target)
    if source.pk == target.pk:
        raise DomainError("same_customer", "A customer cannot be merged into itself.")
    Identity.objects.filter(customer=source).update(customer=target)
    Order.objects.filter(customer=source).update(customer=target)
    for hook in _merge_hooks:
        hook(source, target)
    if not target.name and source.name:
        target.name = source.name
        target.save(update_fields=["name", "updated_at"])
    if source.proactive_opt_out and not target.proactive_opt_out:  # an opt-out survives a merge
        target.proactive_opt_out = True
        target.save(update_fields=["proactive_opt_out", "updated_at"])
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    publish(names.CUSTOMER_MERGED, source_id=source.pk, target_id=target.pk, actor_id=getattr(actor, "pk", None))
    return target


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_number", f"{field} must be a number, got {value!r}.") from None


@transaction.atomic
def product_upsert(*, sku: str, name: str, category: str = "", price=0) -> tuple[Product, bool]:
    if not sku or not name:
        raise DomainError("missing_field", "A product needs a sku and a name.")
    product, created = Product.objects.update_or_create(
        sku=sku, defaults={"name": name, "category": category, "price": _decimal(price, "price")},
    )
    return product, created


@dataclass
class LineInput:
    sku: str
    quantity: int = 1
    unit_price: object = None


@transaction.atomic
def order_create(
    *, external_id: str, customer: Customer, lines: list[LineInput], status: str = Order.Status.PLACED,
    placed_at: dt.datetime | None = None, currency: str = "IDR", courier: str = "", region: str = "",
) -> tuple[Order, bool]:
    """Idempotent by ``external_id``: a repeat returns the stored order with created=False."""
    existing = Order.objects.filter(external_id=external_id).first()
    if existing:
        return existing, False
    if status not in Order.Status.values:
        raise DomainError("invalid_status", f"Unknown order status '{status}'.")
    skus = {line.sku for line in lines}
    products = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
    missing = sorted(skus - products.keys())
    if missing:
        raise NotFound("unknown_product", f"Unknown product sku: {', '.join(missing)}.")
    order = Order(external_id=external_id, customer=resolve(customer), status=status, currency=currency,
                  courier=courier, region=region)
    if placed_at:
        order.placed_at = placed_at
    order.save()
    total = Decimal(0)
    rows = []
    for line in lines:
        if line.quantity < 1:
            raise DomainError("invalid_quantity", f"Quantity for {line.sku} must be at least 1.")
        price = products[line.sku].price if line.unit_price is None else _decimal(line.unit_price, "unit_price")
        total += price * line.quantity
        rows.append(OrderLine(order=order, product=products[line.sku], quantity=line.quantity, unit_price=price))
    OrderLine.objects.bulk_create(rows)
    order.total = total
    order.save(update_fields=["total"])
    return order, True
