"""Live chat over the API (issue 8): the open chats a staff member may see, and their presence
(online/away) that decides what the website widget tells visitors. The visitor side is not here:
the widget talks to /chat/api/<channel>/... (tanggap.livechat.views) with its signed token."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tanggap.api.schemas import ErrorOut
from tanggap.livechat import services
from tanggap.livechat.models import AgentPresence
from tanggap.livechat.views import open_chats

router = Router(tags=["live chat"])


class ChatOut(Schema):
    conversation_id: int
    ticket_id: int
    ticket_reference: str
    subject: str
    customer_id: int | None
    customer_name: str
    email: str = Field(description="given by the visitor in the chat, not verified")
    language: str
    by_email: bool = Field(description="the visitor chose to continue by email")
    last_visitor_at: dt.datetime


class ChatQuery(Schema):
    limit: int = Field(default=50, ge=1, le=200)


class PresenceIn(Schema):
    status: Literal["online", "away"]


class PresenceOut(Schema):
    status: str
    seen_at: dt.datetime
    agents_online: int


@router.get("/livechat/chats", response={200: list[ChatOut], 422: ErrorOut})
def chat_list(request: HttpRequest, query: Query[ChatQuery]):
    """Open chats (their ticket not solved or closed) on tickets the caller may see, latest first."""
    return [ChatOut(conversation_id=c.pk, ticket_id=c.ticket_id, ticket_reference=c.ticket.reference,
                    subject=c.ticket.subject, customer_id=c.customer_id,
                    customer_name=c.customer.name if c.customer else "", email=c.email, language=c.language,
                    by_email=c.by_email, last_visitor_at=c.last_visitor_at)
            for c in open_chats(request.auth, limit=query.limit)]


@router.put("/livechat/presence", response={200: PresenceOut, 422: ErrorOut})
def presence_put(request: HttpRequest, payload: PresenceIn):
    """Set the caller online or away. Online lasts ``presence_timeout_seconds`` (default 120) after
    the last sign of life (this call, or an open console stream)."""
    presence = services.presence_set(user=request.auth, status=payload.status)
    return PresenceOut(status=presence.status, seen_at=presence.seen_at, agents_online=services.agents_online())


@router.get("/livechat/presence", response={200: PresenceOut})
def presence_get(request: HttpRequest):
    presence = AgentPresence.objects.filter(user=request.auth).first()
    status = presence.status if presence else AgentPresence.Status.AWAY
    seen = presence.seen_at if presence else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return PresenceOut(status=status, seen_at=seen, agents_online=services.agents_online())
