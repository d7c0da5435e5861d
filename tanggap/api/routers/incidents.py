"""Incidents over the API: list, open, read, update, and link a ticket. Incidents are visible
to all staff; changing an incident's status, scope or customer wording is for team leads and
admins; any staff member may open one and link the tickets they can see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.api.schemas import DateTimeIn, ErrorOut, Id
from tanggap.common.errors import DomainError, PermissionDenied
from tanggap.conversations.selectors import ticket_get
from tanggap.incidents import selectors, services
from tanggap.incidents.models import IncidentStatus, ProblemType

router = Router()


class IncidentIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    problem_type: str = Field(default=ProblemType.OTHER, description=f"one of: {', '.join(ProblemType.values)}")
    scope: dict[str, Any] = Field(default_factory=dict, description="any of product_ids, products (skus), region, "
                                                                   "courier, category, channel")
    window_start: DateTimeIn | None = None
    window_end: DateTimeIn | None = None
    customer_status: dict[str, str] = Field(default_factory=dict, description='per language: {"id": ..., "ms": ..., "en": ...}')
    expected_resolution_at: DateTimeIn | None = None


class IncidentPatch(Schema):
    title: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, description=f"one of: {', '.join(IncidentStatus.values)}")
    problem_type: str | None = None
    scope: dict[str, Any] | None = None
    customer_status: dict[str, str] | None = Field(default=None, description="merged per language; \"\" removes one")
    expected_resolution_at: DateTimeIn | None = None
    window_end: DateTimeIn | None = None


class LinkIn(Schema):
    ticket_id: int
    answer: bool = Field(default=False, description="also send the customer the incident's current status")


class LinkOut(Schema):
    incident_id: int
    ticket_id: int
    ticket_reference: str
    linked_at: dt.datetime
    linked_by: str | None
    answered: bool
    created: bool


class IncidentOut(Schema):
    id: int
    title: str
    problem_type: str
    status: str
    scope: dict[str, Any]
    window_start: dt.datetime
    window_end: dt.datetime | None
    customer_status: dict[str, str]
    expected_resolution_at: dt.datetime | None
    opened_at: dt.datetime
    opened_by: str | None
    resolved_at: dt.datetime | None
    first_alert_at: dt.datetime | None
    playbook_id: int | None
    ticket_count: int


class IncidentDetailOut(IncidentOut):
    tickets: list[LinkOut]
    alert_ids: list[int]


class IncidentQuery(Schema):
    status: str = Field(default="", description="open | monitoring | resolved | active (open or monitoring)")
    after_id: int | None = None
    limit: int = Field(default=50, ge=1, le=200)


def _manager(user) -> None:
    if role_of(user) not in (Role.LEAD, Role.ADMIN):
        raise PermissionDenied("not_a_manager", "Only team leads and admins change an incident.")


def _aware(*values) -> None:
    for v in values:
        if v is not None and v.tzinfo is None:
            raise DomainError("naive_datetime", "Dates need a time zone (e.g. 2026-11-24T10:00:00+07:00).", status=422)


def incident_out(i) -> dict:
    ticket_count = getattr(i, "ticket_count", None)
    if ticket_count is None:
        ticket_count = i.ticket_links.count()
    return {"id": i.pk, "title": i.title, "problem_type": i.problem_type, "status": i.status, "scope": i.scope,
            "window_start": i.window_start, "window_end": i.window_end, "customer_status": i.customer_status,
            "expected_resolution_at": i.expected_resolution_at, "opened_at": i.opened_at,
            "opened_by": i.opened_by.username if i.opened_by_id else None, "resolved_at": i.resolved_at,
            "first_alert_at": i.first_alert_at, "playbook_id": i.playbook_id,
            "ticket_count": ticket_count}


def link_out(link, created: bool = False) -> dict:
    return {"incident_id": link.incident_id, "ticket_id": link.ticket_id, "ticket_reference": link.ticket.reference,
            "linked_at": link.linked_at, "linked_by": link.linked_by.username if link.linked_by_id else None,
            "answered": link.answered, "created": created}


def _detail(request, incident) -> dict:
    links = selectors.incident_tickets(incident=incident, user=request.auth)
    return {**incident_out(incident), "tickets": [link_out(link) for link in links],
            "alert_ids": list(incident.alerts.order_by("id").values_list("id", flat=True))}


@router.get("/incidents", response={200: list[IncidentOut]})
def incident_list(request: HttpRequest, query: Query[IncidentQuery]):
    """Incidents, newest first. `status=active` lists the open and monitoring ones."""
    return [incident_out(i) for i in selectors.incident_list(status=query.status, after_id=query.after_id,
                                                             limit=query.limit)]


@router.post("/incidents", response={201: IncidentDetailOut, 400: ErrorOut, 422: ErrorOut})
def incident_post(request: HttpRequest, payload: IncidentIn):
    """Open an incident by hand. New customer tickets matching its scope inside its window are
    linked to it and answered with its status. Errors (422): `invalid_scope`,
    `unknown_product`, `invalid_problem_type`, `invalid_window`, `invalid_language`."""
    _aware(payload.window_start, payload.window_end, payload.expected_resolution_at)
    incident = services.incident_open(
        title=payload.title, problem_type=payload.problem_type, scope=payload.scope,
        window_start=payload.window_start, window_end=payload.window_end, customer_status=payload.customer_status,
        expected_resolution_at=payload.expected_resolution_at, actor=request.auth)
    return Status(201, _detail(request, selectors.incident_get(incident_id=incident.pk)))


@router.get("/incidents/{incident_id}", response={200: IncidentDetailOut, 404: ErrorOut})
def incident_detail(request: HttpRequest, incident_id: Id):
    """One incident with the linked tickets the caller may see and its alerts' ids."""
    return _detail(request, selectors.incident_get(incident_id=incident_id))


@router.patch("/incidents/{incident_id}", response={200: IncidentDetailOut, 403: ErrorOut, 404: ErrorOut,
                                                    422: ErrorOut})
def incident_patch(request: HttpRequest, incident_id: Id, payload: IncidentPatch):
    """Leads and admins: change the status (open, monitoring, resolved), scope, customer status
    text per language, expected resolution date or window end. Fields left out stay as they
    are; `expected_resolution_at: null` clears the date."""
    _manager(request.auth)
    incident = selectors.incident_get(incident_id=incident_id)
    given = payload.model_fields_set
    _aware(payload.expected_resolution_at, payload.window_end)
    kwargs: dict = {"title": payload.title, "status": payload.status, "problem_type": payload.problem_type,
                    "scope": payload.scope, "customer_status": payload.customer_status}
    if "expected_resolution_at" in given:
        kwargs["expected_resolution_at"] = payload.expected_resolution_at
    if "window_end" in given:
        kwargs["window_end"] = payload.window_end
    services.incident_update(incident=incident, actor=request.auth, **kwargs)
    return _detail(request, selectors.incident_get(incident_id=incident_id))


@router.post("/incidents/{incident_id}/tickets", response={200: LinkOut, 201: LinkOut, 404: ErrorOut})
def incident_link(request: HttpRequest, incident_id: Id, payload: LinkIn):
    """Link a ticket the caller can see (404 otherwise). Idempotent: linking again answers 200
    with `created: false`. With `answer: true` the customer also gets the incident's status
    (once per link)."""
    incident = selectors.incident_get(incident_id=incident_id)
    ticket = ticket_get(user=request.auth, ticket_id=payload.ticket_id)
    link, created = services.incident_link_ticket(incident=incident, ticket=ticket, actor=request.auth,
                                                  answer=payload.answer)
    link = type(link).objects.select_related("ticket", "linked_by").get(pk=link.pk)
    return Status(201 if created else 200, link_out(link, created))
