"""Remedies on a ticket: apply under policy, approve, reject; the catalog; the approval queue.
The rules live in remedies.services (docs/remedies.md); this router only parses and shapes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from tanggap.api.schemas import ErrorOut, Id, UserRef
from tanggap.common.errors import DomainError, PermissionDenied
from tanggap.conversations.selectors import ticket_get
from tanggap.remedies import selectors, services

router = Router()


class OrderRef(Schema):
    id: int
    external_id: str


class RemedyIn(Schema):
    kind: str = Field(min_length=1, max_length=10, description="answer | fix | replace | return | refund | voucher")
    order_id: int | None = None
    amount: Decimal | None = Field(default=None, description="refund or voucher amount, in the order's currency")
    note: str = Field(default="", max_length=2000, description="added to the customer's message")


class DecisionIn(Schema):
    note: str = Field(default="", max_length=2000)


class RemedyOut(Schema):
    id: int
    ticket_id: int
    kind: str
    status: str
    order: OrderRef | None
    amount: Decimal | None
    currency: str
    note: str
    requested_by: UserRef | None
    decided_by: UserRef | None
    decided_at: dt.datetime | None
    decision_note: str
    applied_at: dt.datetime | None
    replacement_order: OrderRef | None
    voucher_code: str
    message_id: int | None
    customer_told: bool
    created_at: dt.datetime


class RuleOut(Schema):
    id: int
    category: str
    kind: str
    approval_above: Decimal | None
    max_amount: Decimal | None
    window_days: int | None
    window_from: str
    note: str


class CatalogQuery(Schema):
    category: str = ""


def _order_ref(order):
    return {"id": order.pk, "external_id": order.external_id} if order else None


def _user_ref(user):
    return {"id": user.pk, "username": user.username} if user else None


def remedy_out(r) -> dict:
    return {
        "id": r.pk, "ticket_id": r.ticket_id, "kind": r.kind, "status": r.status, "order": _order_ref(r.order),
        "amount": r.amount, "currency": r.currency, "note": r.note, "requested_by": _user_ref(r.requested_by),
        "decided_by": _user_ref(r.decided_by), "decided_at": r.decided_at, "decision_note": r.decision_note,
        "applied_at": r.applied_at, "replacement_order": _order_ref(r.replacement_order),
        "voucher_code": r.voucher_code, "message_id": r.message_id,
        "customer_told": r.message_id is not None, "created_at": r.created_at,
    }


def rule_out(rule) -> dict:
    return {"id": rule.pk, "category": rule.category, "kind": rule.kind, "approval_above": rule.approval_above,
            "max_amount": rule.max_amount, "window_days": rule.window_days, "window_from": rule.window_from,
            "note": rule.note}


@router.get("/tickets/{ticket_id}/remedies", response={200: list[RemedyOut], 404: ErrorOut})
def remedy_list(request: HttpRequest, ticket_id: Id):
    """Every remedy on the ticket, oldest first: applied, pending approval and rejected."""
    ticket = ticket_get(user=request.auth, ticket_id=ticket_id)
    return [remedy_out(r) for r in selectors.ticket_remedies(ticket)]


@router.post("/tickets/{ticket_id}/remedies",
             response={201: RemedyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def remedy_post(request: HttpRequest, ticket_id: Id, payload: RemedyIn):
    """Apply a remedy allowed by the ticket's category. `status` is `applied` (order updated,
    customer message queued unless `customer_told` is false) or `pending` (a lead must approve)."""
    ticket = ticket_get(user=request.auth, ticket_id=ticket_id)
    remedy = services.remedy_apply(ticket=ticket, actor=request.auth, kind=payload.kind, order=payload.order_id,
                                   amount=payload.amount, note=payload.note)
    return Status(201, remedy_out(selectors.remedy_get(ticket=ticket, remedy_id=remedy.pk)))


def _decision_note(request: HttpRequest) -> str:
    """The optional body {"note": "..."} (JSON, or a form field); an empty body is fine."""
    if not (request.content_type or "").endswith("json"):
        return str(request.POST.get("note", ""))[:2000]
    if not request.body.strip():
        return ""
    try:
        data = json.loads(request.body)
        return DecisionIn(**data).note if isinstance(data, dict) else DecisionIn(note=data).note
    except (ValueError, TypeError, PydanticValidationError):
        raise DomainError("invalid_input", 'The body must be empty or {"note": "..."} (at most 2000 characters).',
                          status=422) from None


def _decide(request, ticket_id: int, remedy_id: int, approve: bool):
    ticket = ticket_get(user=request.auth, ticket_id=ticket_id)
    remedy = selectors.remedy_get(ticket=ticket, remedy_id=remedy_id)
    services.remedy_decide(remedy=remedy, actor=request.auth, approve=approve, note=_decision_note(request))
    return remedy_out(selectors.remedy_get(ticket=ticket, remedy_id=remedy_id))


_DECISION_BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": {
    "type": "object", "properties": {"note": {"type": "string", "maxLength": 2000}}}}}}}


@router.post("/tickets/{ticket_id}/remedies/{remedy_id}/approve", openapi_extra=_DECISION_BODY,
             response={200: RemedyOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def remedy_approve(request: HttpRequest, ticket_id: Id, remedy_id: Id):
    """Leads and admins: the remedy takes effect and the customer is told. Body (optional): {"note": "..."}."""
    return _decide(request, ticket_id, remedy_id, approve=True)


@router.post("/tickets/{ticket_id}/remedies/{remedy_id}/reject", openapi_extra=_DECISION_BODY,
             response={200: RemedyOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def remedy_reject(request: HttpRequest, ticket_id: Id, remedy_id: Id):
    """Leads and admins: nothing changes on the order; the requesting agent is notified.
    Body (optional): {"note": "the reason"}."""
    return _decide(request, ticket_id, remedy_id, approve=False)


@router.get("/remedies/catalog", response={200: list[RuleOut]})
def remedy_catalog(request: HttpRequest, query: Query[CatalogQuery]):
    """The active rules, optionally for one ticket category."""
    return [rule_out(r) for r in selectors.remedy_catalog(category=query.category)]


@router.get("/remedies/pending", response={200: list[RemedyOut], 403: ErrorOut})
def remedy_pending(request: HttpRequest):
    """Leads and admins: remedies awaiting approval on tickets they may see, oldest first."""
    if not selectors.can_decide(request.auth):
        raise PermissionDenied("not_a_manager", "Only team leads and admins see remedies awaiting approval.")
    return [remedy_out(r) for r in selectors.remedies_pending_for(request.auth)]
