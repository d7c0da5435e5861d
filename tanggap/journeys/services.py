"""Writes for journey events: record one (or a batch), idempotently by (source, external_id).

Order kinds (placed, paid, shipped, delivered, returned) also move their order's status, and
``order_delivered`` sets ``Order.delivered_at``; neither ever goes backwards in time (see
``_order_follow``). Every stored event publishes ``journey.event`` when the transaction commits.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from tanggap.channels.normalized import IDENTITY_EMAIL, IDENTITY_HANDLE, IDENTITY_PHONE, InboundIdentity
from tanggap.common.errors import DomainError
from tanggap.customers.models import Customer, Order, Product
from tanggap.customers.services import customer_find_or_create, register_merge_hook, resolve
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.journeys.choices import ORDER_STATUS_OF_KIND, Kind
from tanggap.journeys.models import JourneyEvent

MAX_BATCH = 1000

# How far along its life an order is. Used when the order's status was set by something other
# than journey events (the order import, a remedy): an event then only moves it forward.
_LIFECYCLE = {"placed": 0, "paid": 1, "shipped": 2, "delivered": 3, "returned": 4, "cancelled": 5}


def _invalid(code: str, message: str) -> DomainError:
    return DomainError(code, message, status=422)


def event_identity(*, email: str = "", phone: str = "", handle: str = "", name: str = "",
                   channel: str = "") -> InboundIdentity | None:
    """The customer identity of an event, read the way ``POST /messages`` reads its sender:
    email first, then phone, then a handle scoped by the channel. None when there is none."""
    name = (name or "").strip()[:200]
    if email and email.strip():
        value = email.strip().lower()
        if "@" not in value:
            raise _invalid("invalid_email", f"'{value}' is not an email address.")
        return InboundIdentity(kind=IDENTITY_EMAIL, value=value, name=name)
    if phone and phone.strip():
        return InboundIdentity(kind=IDENTITY_PHONE, value=phone.strip(), name=name)
    if handle and handle.strip():
        return InboundIdentity(kind=IDENTITY_HANDLE, value=handle.strip(), name=name,
                               namespace=(channel or "").strip().lower())
    return None


def _customer_for(*, customer: Customer | None, customer_id: int | None, identity: InboundIdentity | None,
                  order: Order | None) -> Customer:
    if customer is not None:
        found = resolve(customer)
    elif customer_id:
        row = Customer.objects.filter(pk=customer_id).first()
        if row is None:
            raise _invalid("customer_not_found", f"Customer {customer_id} does not exist.")
        found = resolve(row)
    elif identity is not None:
        found, _ = customer_find_or_create(identity=identity)
    elif order is not None:
        return resolve(order.customer)
    else:
        raise _invalid("missing_customer", "An event needs customer_id, or customer with an email, phone or handle "
                                           "(or an order, whose customer it then belongs to).")
    if order is not None and resolve(order.customer).pk != found.pk:
        raise _invalid("order_customer_mismatch",
                       f"Order {order.external_id} belongs to customer {resolve(order.customer).pk}, "
                       f"not to customer {found.pk}; merge the two customers first.")
    return found


def _order_follow(*, order: Order, event: JourneyEvent) -> None:
    """Move the order along with an order event, never backwards in time.

    * ``delivered_at`` becomes the latest delivery time known (a late, older delivery event
      never moves it back).
    * The status follows the newest order event: an event older than one already recorded
      leaves it as it is. When two events share a time, or the current status was set by
      something else (the order was imported as shipped, a remedy marked it returned), an
      event moves it only forward along placed → paid → shipped → delivered → returned, and
      never out of cancelled.
    """
    status = ORDER_STATUS_OF_KIND.get(event.kind)
    if status is None:
        return
    order = Order.objects.select_for_update().get(pk=order.pk)
    fields = []
    if event.kind == Kind.ORDER_DELIVERED and (order.delivered_at is None or event.occurred_at > order.delivered_at):
        order.delivered_at = event.occurred_at
        fields.append("delivered_at")
    last = (JourneyEvent.objects.filter(order=order, kind__in=list(ORDER_STATUS_OF_KIND)).exclude(pk=event.pk)
            .order_by("-occurred_at", "-id").first())
    if last is not None and event.occurred_at < last.occurred_at:
        moves = False
    elif last is not None and event.occurred_at > last.occurred_at and ORDER_STATUS_OF_KIND[last.kind] == order.status:
        moves = True  # the status is the one our own history set: time order decides
    else:
        moves = _LIFECYCLE[status] >= _LIFECYCLE.get(order.status, 0)
    if moves and order.status != status:
        order.status = status
        fields.append("status")
    if fields:
        order.save(update_fields=[*fields, "updated_at"])


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise _invalid("naive_datetime", "occurred_at needs a time zone offset (e.g. 2026-11-20T10:00:00+07:00).")
    return value.astimezone(dt.UTC)


@transaction.atomic
def event_record(
    *, kind: str, external_id: str, source: str = "", occurred_at: dt.datetime | None = None,
    customer: Customer | None = None, customer_id: int | None = None, identity: InboundIdentity | None = None,
    order_external_id: str = "", product_sku: str = "", channel: str = "", summary: str = "",
    data: dict | None = None,
) -> tuple[JourneyEvent, bool]:
    """Store one journey event. A repeat of (source, external_id) returns the stored event
    with created=False and changes nothing.

    The customer is ``customer``/``customer_id``, else found or created by ``identity`` exactly as
    channel intake does, else the order's customer. Failures are 422 DomainErrors:
    ``unknown_kind``, ``missing_field``, ``missing_customer``, ``customer_not_found``,
    ``unknown_order``, ``order_required``, ``order_customer_mismatch``, ``unknown_product``,
    ``naive_datetime``, ``invalid_email``, ``bad_phone``.
    """
    external_id, source = (external_id or "").strip(), (source or "").strip()
    if not external_id:
        raise _invalid("missing_field", "An event needs an external_id (its id in the system that reported it).")
    existing = JourneyEvent.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing, False
    if kind not in Kind.values:
        raise _invalid("unknown_kind", f"Unknown event kind '{kind}'; one of: {', '.join(Kind.values)}.")
    if len(external_id) > 200 or len(source) > 50:
        raise _invalid("invalid_input", "external_id is at most 200 characters and source at most 50.")
    occurred_at = _aware(occurred_at)
    order = None
    if order_external_id and order_external_id.strip():
        order = Order.objects.select_related("customer").filter(external_id=order_external_id.strip()).first()
        if order is None:
            raise _invalid("unknown_order", f"Unknown order '{order_external_id.strip()}'; post it to /orders first.")
    elif kind in ORDER_STATUS_OF_KIND:
        raise _invalid("order_required", f"A {kind} event needs the order it is about (its external id).")
    product = None
    if product_sku and product_sku.strip():
        product = Product.objects.filter(sku=product_sku.strip()).first()
        if product is None:
            raise _invalid("unknown_product", f"Unknown product sku '{product_sku.strip()}'.")
    who = _customer_for(customer=customer, customer_id=customer_id, identity=identity, order=order)
    event = JourneyEvent(
        customer=who, kind=kind, source=source, external_id=external_id, order=order, product=product,
        channel=(channel or "").strip().lower()[:30], summary=(summary or "").strip()[:300], data=data or {},
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:  # the same event, stored by a concurrent request a moment ago
        return JourneyEvent.objects.get(source=source, external_id=external_id), False
    if order is not None:
        _order_follow(order=order, event=event)
    publish(names.JOURNEY_EVENT, event_id=event.pk, kind=event.kind, customer_id=who.pk, order_id=event.order_id)
    return event, True


@transaction.atomic
def event_record_batch(*, events: list[dict]) -> list[tuple[JourneyEvent, bool]]:
    """Record up to ``MAX_BATCH`` events, all or nothing: the first bad one fails the batch
    with its position in the message (``events[3]: ...``). Each item holds the keyword
    arguments of ``event_record``."""
    if len(events) > MAX_BATCH:
        raise DomainError("batch_too_large", f"At most {MAX_BATCH} events per request, got {len(events)}.", status=413)
    results = []
    for i, fields in enumerate(events):
        try:
            results.append(event_record(**fields))
        except DomainError as exc:
            raise DomainError(exc.code, f"events[{i}]: {exc.message}", status=exc.status) from None
    return results


@register_merge_hook
def _events_follow_customer(source: Customer, target: Customer) -> None:
    JourneyEvent.objects.filter(customer=source).update(customer=target)
