"""Reads for calls, scoped like tickets: a caller sees the calls on tickets they may see
(``tickets_visible_to``) and the calls on no ticket (customers are shared by all staff)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tanggap.accounts.selectors import role_of
from tanggap.calls.models import Call
from tanggap.common.errors import NotFound
from tanggap.common.pagination import Page, keyset_page
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.customers.models import Customer


def calls_visible_to(user) -> QuerySet[Call]:
    if role_of(user) is None:
        return Call.objects.none()
    return Call.objects.filter(Q(ticket__isnull=True) | Q(ticket__in=tickets_visible_to(user)))


@dataclass
class CallFilters:
    customer_id: int | None = None
    ticket_id: int | None = None
    direction: str = ""  # in | out
    since: dt.datetime | None = None  # started at or after


def call_list(*, user, filters: CallFilters, cursor: str | None = None, limit: int = 25) -> Page:
    """Newest first, keyset pages over (started_at, id)."""
    qs = calls_visible_to(user).select_related("ticket", "agent")
    if filters.customer_id is not None:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.ticket_id is not None:
        qs = qs.filter(ticket_id=filters.ticket_id)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.since is not None:
        qs = qs.filter(started_at__gte=filters.since)
    return keyset_page(qs, order=["-started_at", "-id"], cursor=cursor, limit=max(1, min(int(limit), 100)))


def call_get(*, user, call_id: int) -> Call:
    call = calls_visible_to(user).select_related("ticket", "agent").filter(pk=call_id).first()
    if call is None:
        raise NotFound("call_not_found", f"Call {call_id} does not exist.")
    return call


def calls_of_ticket(*, ticket, limit: int = 20) -> list[Call]:
    """The calls of a ticket the caller already fetched through ``ticket_get``."""
    return list(Call.objects.filter(ticket=ticket).select_related("agent").order_by("-started_at", "-id")[:limit])


def calls_of_customer(*, user, customer: Customer, limit: int = 10) -> list[Call]:
    return list(calls_visible_to(user).filter(customer=customer).select_related("ticket", "agent")
                .order_by("-started_at", "-id")[:limit])
