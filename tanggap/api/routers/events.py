"""Journey events (touchpoints): POST /events (one, or a batch of up to 1000), and the
customer's journey, GET /customers/{id}/journey (events and ticket touchpoints, newest first)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema, Status
from pydantic import Discriminator, Tag

from tanggap.api.schemas import DateTimeIn, ErrorOut, Id
from tanggap.common.errors import DomainError
from tanggap.customers.selectors import customer_get
from tanggap.journeys import selectors, services
from tanggap.journeys.choices import Kind

router = Router()


# ---- schemas --------------------------------------------------------------------------------

class EventCustomerIn(Schema):
    """Who, found or created exactly like the sender of POST /messages: email, else phone,
    else a handle (scoped by the event's channel)."""

    email: str | None = None
    phone: str | None = None
    handle: str | None = None
    name: str | None = None


class EventIn(Schema):
    kind: str = Field(min_length=1, max_length=30, description=f"one of: {', '.join(Kind.values)}")
    external_id: str = Field(min_length=1, max_length=200, description="the event's id at its source")
    source: str = Field(default="", max_length=50, description="the reporting system; idempotency key with external_id")
    occurred_at: DateTimeIn | None = Field(default=None, description="with a time zone; default now")
    channel: str = Field(default="", max_length=30, description="where it happened: web, app, store, instagram, ...")
    customer_id: int | None = None
    customer: EventCustomerIn | None = None
    order: str | None = Field(default=None, max_length=64, description="the order's external id")
    product: str | None = Field(default=None, max_length=64, description="a product sku")
    summary: str = Field(default="", max_length=300)
    data: dict[str, Any] = Field(default_factory=dict)


class EventBatchIn(Schema):
    events: list[EventIn] = Field(min_length=1, description=f"at most {services.MAX_BATCH}")


def _payload_kind(value) -> str:
    return "batch" if isinstance(value, dict) and "events" in value else "one"


EventsIn = Annotated[
    Annotated[EventBatchIn, Tag("batch")] | Annotated[EventIn, Tag("one")],
    Discriminator(_payload_kind),
]


class EventOut(Schema):
    id: int
    kind: str
    customer_id: int
    occurred_at: dt.datetime
    channel: str
    source: str
    external_id: str
    order: str | None
    product: str | None
    summary: str
    data: dict[str, Any]
    created_at: dt.datetime
    created: bool


class EventBatchOut(Schema):
    created: int
    events: list[EventOut]


class JourneyItemOut(Schema):
    type: str = Field(description="event (a journey event) or ticket (a ticket's touchpoint)")
    kind: str = Field(description="an event kind, or ticket.opened, ticket.reopened, message.in, message.out")
    id: int
    at: dt.datetime
    summary: str
    channel: str
    initiated_by: str
    ticket_id: int | None
    ticket_reference: str
    order: str
    product: str
    source: str
    data: dict[str, Any]


class JourneyOut(Schema):
    items: list[JourneyItemOut]
    next_cursor: str | None


class JourneyQuery(Schema):
    cursor: str | None = None
    limit: int = 25


# ---- views -------------------------------------------------------------------------------------

def _fields(e: EventIn) -> dict:
    c = e.customer
    identity = services.event_identity(email=c.email or "", phone=c.phone or "", handle=c.handle or "",
                                       name=c.name or "", channel=e.channel) if c else None
    return {"kind": e.kind, "external_id": e.external_id, "source": e.source, "occurred_at": e.occurred_at,
            "channel": e.channel, "customer_id": e.customer_id, "identity": identity,
            "order_external_id": e.order or "", "product_sku": e.product or "", "summary": e.summary,
            "data": e.data}


def _at(index: int, fn, *args):
    """Call ``fn``; a DomainError names the batch position it came from."""
    try:
        return fn(*args)
    except DomainError as exc:
        raise DomainError(exc.code, f"events[{index}]: {exc.message}", status=exc.status) from None


def _event_out(event, created: bool) -> dict:
    return {"id": event.pk, "kind": event.kind, "customer_id": event.customer_id, "occurred_at": event.occurred_at,
            "channel": event.channel, "source": event.source, "external_id": event.external_id,
            "order": event.order.external_id if event.order_id else None,
            "product": event.product.sku if event.product_id else None,
            "summary": event.summary, "data": event.data, "created_at": event.created_at, "created": created}


@router.post("/events", response={200: EventOut | EventBatchOut, 201: EventOut | EventBatchOut,
                                  400: ErrorOut, 413: ErrorOut, 422: ErrorOut})
def events_post(request: HttpRequest, payload: Body[EventsIn]):
    """Record one journey event, or `{"events": [...]}` (up to 1000, all or nothing: the first
    bad one answers 422 with its position). Idempotent by (source, external_id): a repeat answers
    with the stored event and `created: false`. 201 when anything was stored, else 200.

    Errors (422): `unknown_kind`, `missing_customer`, `customer_not_found`, `unknown_order`,
    `order_required` (order kinds need `order`), `order_customer_mismatch`, `unknown_product`,
    `naive_datetime`, `invalid_email`, `bad_phone`; 413 `batch_too_large`."""
    if isinstance(payload, EventBatchIn):
        if len(payload.events) > services.MAX_BATCH:  # refused before any event is looked at
            raise DomainError("batch_too_large", f"At most {services.MAX_BATCH} events per request, "
                                                 f"got {len(payload.events)}.", status=413)
        results = services.event_record_batch(events=[_at(i, _fields, e) for i, e in enumerate(payload.events)])
        created = sum(1 for _, c in results if c)
        return Status(201 if created else 200,
                      {"created": created, "events": [_event_out(e, c) for e, c in results]})
    event, created = services.event_record(**_fields(payload))
    return Status(201 if created else 200, _event_out(event, created))


@router.get("/customers/{customer_id}/journey", response={200: JourneyOut, 400: ErrorOut, 404: ErrorOut})
def customer_journey(request: HttpRequest, customer_id: Id, query: Query[JourneyQuery]):
    """The customer's journey, newest first: journey events and the touchpoints of the tickets
    the caller may see (ticket opened, customer messages, replies). Keyset pages: pass
    `next_cursor` back as `cursor`; `limit` at most 100."""
    customer = customer_get(customer_id=customer_id)
    page = selectors.customer_journey(customer=customer, user=request.auth, cursor=query.cursor, limit=query.limit)
    return {
        "items": [{"type": i.type, "kind": i.kind, "id": i.id, "at": i.at, "summary": i.summary, "channel": i.channel,
                   "initiated_by": i.initiated_by, "ticket_id": i.ticket_id, "ticket_reference": i.ticket_reference,
                   "order": i.order_external_id, "product": i.product_sku, "source": i.source, "data": i.data}
                  for i in page.items],
        "next_cursor": page.next_cursor,
    }
