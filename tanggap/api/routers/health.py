"""Customer health over the API (issue 7): one customer's score, band and reasons, and the
customers by health (lowest first, filter by band). Staff tokens only (any role: customers are
shared by all staff). The rules live in tanggap.health (docs/health.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tanggap.api.schemas import ErrorOut, Id
from tanggap.common.errors import NotFound
from tanggap.customers.models import Customer
from tanggap.health import selectors, services

router = Router(tags=["customer health"])

BandName = Literal["healthy", "watch", "at_risk"]


class HealthReasonOut(Schema):
    code: str = Field(description="stable code, e.g. broken_promises, negative_trend, no_order_for")
    params: dict = Field(description="the numbers in the reason, e.g. {\"count\": 2}")
    effect: Literal["negative", "neutral", "positive"]
    component: str
    points: float = Field(description="score points the reason's component cost (0 for positive reasons)")
    text: str = Field(description="the reason in words, in the request's language")


class HealthOut(Schema):
    customer_id: int
    score: int = Field(ge=0, le=100)
    band: BandName
    band_label: str
    summary: str = Field(description="the leading negative reasons in one line")
    reasons: list[HealthReasonOut]
    components: dict = Field(description="component -> {points_lost, max, value 0..1 for activity and rfv}")
    p_alive: float | None = Field(description="BG/NBD probability the customer still buys; null under the fallback")
    expected_purchases_90d: float | None
    orders: int = Field(description="purchase days counted")
    last_order_at: dt.datetime | None
    model: Literal["bgnbd", "fallback"]
    stale: bool = Field(description="an event changed the inputs since computed_at; the hourly job recomputes it")
    computed_at: dt.datetime


class HealthPageOut(Schema):
    items: list[HealthOut]
    next_cursor: str | None


class HealthListQuery(Schema):
    band: BandName | None = None
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/customers/{customer_id}/health", response={200: HealthOut, 404: ErrorOut})
def customer_health(request: HttpRequest, customer_id: Id):
    """The customer's health; computed on the spot when the job has not scored the customer yet.
    404 `customer_not_found`, or `no_health` for a customer with neither orders nor tickets."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("customer_not_found", f"No customer {customer_id}.")
    health = selectors.for_customer(customer)
    if health is None:
        from tanggap.customers.services import resolve

        services.health_compute(customer_ids=[resolve(customer).pk])
        health = selectors.for_customer(customer)
    if health is None:
        raise NotFound("no_health", "Nothing to score yet: the customer has no orders and no tickets.")
    return health


@router.get("/health", response={200: HealthPageOut, 400: ErrorOut})
def health_list(request: HttpRequest, query: Query[HealthListQuery]):
    """Customers by health score, lowest first; `band=at_risk` for the customers at risk. Pass
    `next_cursor` back as `cursor` for the next page."""
    page = selectors.health_page(band=query.band, cursor=query.cursor, limit=query.limit)
    return {"items": [selectors.as_dict(row) for row in page.items], "next_cursor": page.next_cursor}
