"""Calls over the API (issue 8): GET /calls (filters, keyset pages), POST /calls (an agent logs
a call), POST /calls/webhook and /calls/webhook/{slug} (a PBX's signed call events, docs/calls.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tanggap.api.schemas import DateTimeIn, ErrorOut, Id
from tanggap.calls import selectors, services, webhook
from tanggap.calls.models import Call, Source
from tanggap.channels.models import Channel
from tanggap.common.errors import DomainError, ParseError, PayloadTooLarge
from tanggap.conversations.selectors import ticket_get
from tanggap.customers.selectors import customer_get

router = Router(tags=["calls"])

DIRECTION_IN = {"inbound": "in", "outbound": "out"}
DIRECTION_OUT = {"in": "inbound", "out": "outbound"}


class CallOut(Schema):
    id: int
    direction: str = Field(description="inbound | outbound")
    number: str = Field(description="the customer's number, E.164")
    line: str = Field(description="our side of the call: the number or extension")
    state: str = Field(description="ringing | answered | ended")
    outcome: str = Field(description="answered | missed | voicemail | busy | failed; empty until the call ends")
    duration_seconds: int
    notes: str
    recording_url: str
    provider_call_id: str
    started_at: dt.datetime
    answered_at: dt.datetime | None
    ended_at: dt.datetime | None
    customer_id: int
    ticket_id: int | None = Field(description="the ticket it is a contact on, when the caller may see it")
    message_id: int | None = Field(description="the ticket message that puts it on the timeline")
    agent: str | None
    source: str = Field(description="console | api | webhook")
    created: bool = False


class CallPage(Schema):
    items: list[CallOut]
    next_cursor: str | None


class CallIn(Schema):
    customer_id: Id
    direction: Literal["inbound", "outbound"]
    number: str = Field(default="", max_length=40, description="default: the customer's latest phone number")
    outcome: Literal["answered", "missed", "voicemail", "busy", "failed"]
    duration_seconds: int = Field(default=0, ge=0, le=86400)
    notes: str = Field(default="", max_length=5000)
    ticket_id: Id | None = Field(default=None, description="the ticket the call was about (one you may see)")
    new_ticket: bool = Field(default=False, description="a call about a new problem: opens a ticket, subject from the notes")
    started_at: DateTimeIn | None = Field(default=None, description="with a time zone; default: now minus the duration")
    recording_url: str = Field(default="", max_length=1000, pattern=r"^(https?://\S+)?$")
    provider_call_id: str = Field(default="", max_length=200)


class CallQuery(Schema):
    customer_id: Id | None = None
    ticket_id: Id | None = None
    direction: Literal["inbound", "outbound"] | None = None
    since: DateTimeIn | None = Field(default=None, description="calls started at or after (with a time zone)")
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=25, ge=1, le=100)


class CallWebhookOut(Schema):
    call_id: int
    event: str
    state: str
    outcome: str
    customer_id: int
    ticket_id: int | None
    created: bool = Field(description="false: this (call_id, event) was already received; nothing changed")


def _out(call: Call, visible_ticket: bool, created: bool = False) -> dict:
    agent = call.agent
    return {
        "id": call.pk, "direction": DIRECTION_OUT[call.direction], "number": call.number, "line": call.line,
        "state": call.state, "outcome": call.outcome, "duration_seconds": call.duration_seconds, "notes": call.notes,
        "recording_url": call.recording_url, "provider_call_id": call.provider_call_id,
        "started_at": call.started_at, "answered_at": call.answered_at, "ended_at": call.ended_at,
        "customer_id": call.customer_id, "ticket_id": call.ticket_id if visible_ticket else None,
        "message_id": call.message_id if visible_ticket else None,
        "agent": (agent.get_full_name() or agent.username) if agent else None, "source": call.source,
        "created": created,
    }


@router.get("/calls", response={200: CallPage, 400: ErrorOut, 422: ErrorOut})
def call_list(request: HttpRequest, query: Query[CallQuery]):
    """Calls on tickets the caller may see (and calls on no ticket), newest first; keyset pages
    (`next_cursor` back as `cursor`)."""
    if query.since is not None and query.since.tzinfo is None:
        raise DomainError("naive_datetime", "Give since with a time zone, e.g. 2026-11-25T00:00:00+07:00.", status=422)
    filters = selectors.CallFilters(customer_id=query.customer_id, ticket_id=query.ticket_id,
                                    direction=DIRECTION_IN.get(query.direction or "", ""), since=query.since)
    page = selectors.call_list(user=request.auth, filters=filters, cursor=query.cursor, limit=query.limit)
    return {"items": [_out(c, True) for c in page.items], "next_cursor": page.next_cursor}


@router.post("/calls", response={201: CallOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def call_post(request: HttpRequest, payload: CallIn):
    """Log a call that happened, on `ticket_id` (a ticket you may see) or on a new ticket
    (`new_ticket`, subject from the notes). Inbound calls count as customer-initiated contacts,
    outbound as company-initiated. Errors: 404 `customer_not_found`, `ticket_not_found`;
    409 `ticket_of_other_customer`, `duplicate_call`; 422 `no_ticket`, `new_ticket_needs_notes`,
    `missing_number`, `bad_phone`, `missing_duration`, `duration_not_connected`, `future_call`,
    `naive_datetime`, `ticket_and_new_ticket`."""
    customer = customer_get(customer_id=payload.customer_id)
    ticket = ticket_get(user=request.auth, ticket_id=payload.ticket_id) if payload.ticket_id else None
    call = services.call_log(
        actor=request.auth, customer=customer, direction=DIRECTION_IN[payload.direction],
        number=payload.number or services.customer_phone(customer), outcome=payload.outcome,
        duration_seconds=payload.duration_seconds, notes=payload.notes, ticket=ticket, new_ticket=payload.new_ticket,
        started_at=payload.started_at, recording_url=payload.recording_url,
        provider_call_id=payload.provider_call_id.strip(), source=Source.API)
    return Status(201, _out(call, True, created=True))


def _webhook(request: HttpRequest, channel: Channel):
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.TANGGAP_MAX_BODY_BYTES:
        raise PayloadTooLarge("payload_too_large",
                              f"The payload is {length} bytes; the limit is {settings.TANGGAP_MAX_BODY_BYTES}.")
    body = request.body
    webhook.verify(channel.secret, body, {k.lower(): v for k, v in request.headers.items()})
    content_type = request.content_type or "application/json"
    try:
        data = webhook.parse(body)
    except ParseError as exc:  # signed but unreadable: kept with its reason for admins
        services.call_event_reject(channel=channel, body=body, content_type=content_type, error=exc)
        raise
    call, created = services.call_event_receive(channel=channel, data=data, body=body, content_type=content_type)
    # The caller is the PBX, not staff: the ticket id is only the one its own events made or joined.
    return Status(200, {"call_id": call.pk, "event": data.kind, "state": call.state, "outcome": call.outcome,
                        "customer_id": call.customer_id, "ticket_id": call.ticket_id, "created": created})


WEBHOOK_RESPONSES = {200: CallWebhookOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}
WEBHOOK_BODY = {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}, "required": True}}


@router.post("/calls/webhook", auth=None, response=WEBHOOK_RESPONSES, openapi_extra=WEBHOOK_BODY)
def call_webhook(request: HttpRequest):
    """One call event from a PBX or cloud telephony service (`call.started`, `call.answered`,
    `call.ended`; shape in docs/calls.md), for the first active phone channel. Signed with
    `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` keyed by that channel's
    secret: unsigned or wrongly signed (or no phone channel with a secret) is 401 `bad_signature`
    and nothing is stored. Idempotent by (`call_id`, `event`); events may arrive in any order."""
    # Not channel_for(): a refused request must not even create the default channel row.
    channel = Channel.objects.filter(kind=services.KIND, active=True).order_by("id").first() or Channel(kind=services.KIND)
    return _webhook(request, channel)


@router.post("/calls/webhook/{slug}", auth=None, response=WEBHOOK_RESPONSES, openapi_extra=WEBHOOK_BODY)
def call_webhook_for(request: HttpRequest, slug: str):
    """As `/calls/webhook`, for the phone channel `slug` (one line per PBX, each with its own secret)."""
    channel = Channel.objects.filter(kind=services.KIND, slug=slug[:50], active=True).first()
    if channel is None:
        raise DomainError("unknown_channel", f"No active phone channel '{slug[:50]}'.", status=404)
    return _webhook(request, channel)
