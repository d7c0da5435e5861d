"""The next best actions over the API (issue 7): GET /customers/{id}/next-actions (one customer)
and GET /next-actions (today's work across customers), best first, each with its reason."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tanggap.api.schemas import ErrorOut, Id
from tanggap.common.errors import NotFound
from tanggap.customers.models import Customer
from tanggap.nextbest import selectors

router = Router(tags=["next best action"])


class ActionOut(Schema):
    kind: str
    label: str
    weight: int
    customer_id: int
    ticket_id: int | None
    ticket_reference: str | None
    at: dt.datetime | None
    reason: str
    url: str


class WorkQuery(Schema):
    kind: str = Field(default="", description="one of " + ", ".join(selectors.WORK_KINDS) + "; empty: all")
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/customers/{customer_id}/next-actions", response={200: list[ActionOut], 404: ErrorOut})
def customer_next_actions(request: HttpRequest, customer_id: Id):
    """What the business should do now for this customer, best first: keep a promise that is
    due, answer a waiting message, recover a low survey score, tell them about an incident, win
    back a customer at risk, send the check-in, invite to a loyalty tier, offer a complementary
    product. Ticket actions only for tickets the caller may see."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("customer_not_found", f"No customer {customer_id}.")
    return [a.as_dict() for a in selectors.for_customer(user=request.user, customer=customer)]


@router.get("/next-actions", response={200: list[ActionOut], 422: ErrorOut})
def work_list(request: HttpRequest, query: Query[WorkQuery]):
    """Today's work across customers (the console's "Today's work"), best first."""
    from tanggap.common.errors import DomainError

    if query.kind and query.kind not in selectors.WORK_KINDS:
        raise DomainError("invalid_input", f"kind is one of {', '.join(selectors.WORK_KINDS)}.", status=422)
    return [a.as_dict() for a in selectors.work_list(user=request.user, kind=query.kind, limit=query.limit)]
