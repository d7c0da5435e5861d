"""The customer's journey: one timeline of journey events and ticket touchpoints, newest first.

Two sources are merged: ``JourneyEvent`` rows, and the timeline rows of the customer's tickets
that are contacts (ticket opened or reopened, a customer message, a reply) — only tickets the
caller may see (``tickets_visible_to``). Pages are keyset pages over (time, source, id): the
cursor names the last item shown, and each source is read from there with one query, so a deep
page costs the same as the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from tanggap.common.errors import DomainError
from tanggap.common.pagination import Page, _decode, _encode
from tanggap.conversations.choices import TimelineKind
from tanggap.conversations.models import TimelineEntry
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.customers.models import Customer
from tanggap.journeys.models import JourneyEvent

# Ticket timeline kinds that are touchpoints with the customer (notes and bookkeeping are not).
TICKET_TOUCHPOINTS = [TimelineKind.OPENED, TimelineKind.REOPENED, TimelineKind.MESSAGE_IN, TimelineKind.MESSAGE_OUT]

# Sort rank of each source among items with the same time (newest first, then this, then id).
_EVENT, _TICKET = 2, 1
MAX_LIMIT = 100
EXCERPT = 160


@dataclass
class JourneyItem:
    at: dt.datetime
    type: str  # "event" (a journey event) | "ticket" (a ticket's touchpoint)
    kind: str  # a journeys Kind value, or a TimelineKind value (ticket.opened, message.in, message.out)
    id: int  # the JourneyEvent or TimelineEntry id
    summary: str = ""
    channel: str = ""
    initiated_by: str = ""  # ticket items: customer | company
    ticket_id: int | None = None
    ticket_reference: str = ""
    order_external_id: str = ""
    product_sku: str = ""
    product_name: str = ""
    source: str = ""
    data: dict = field(default_factory=dict)

    @property
    def rank(self) -> int:
        return _EVENT if self.type == "event" else _TICKET

    @property
    def sort_key(self) -> tuple:
        return (self.at, self.rank, self.id)


def _after(cursor: list, rank: int, time_field: str) -> Q:
    """Rows strictly older than the cursor item in the order (time desc, rank desc, id desc)."""
    at, cursor_rank, cursor_id = cursor
    if rank < cursor_rank:
        return Q(**{f"{time_field}__lte": at})
    if rank > cursor_rank:
        return Q(**{f"{time_field}__lt": at})
    return Q(**{f"{time_field}__lt": at}) | Q(**{time_field: at, "id__lt": cursor_id})


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _event_item(e: JourneyEvent) -> JourneyItem:
    return JourneyItem(
        at=e.occurred_at, type="event", kind=e.kind, id=e.pk, summary=e.summary, channel=e.channel,
        order_external_id=e.order.external_id if e.order_id else "",
        product_sku=e.product.sku if e.product_id else "", product_name=e.product.name if e.product_id else "",
        source=e.source, data=e.data,
    )


def _ticket_item(t: TimelineEntry) -> JourneyItem:
    summary = _excerpt(t.message.body_text) if t.message_id else ""
    if t.kind in (TimelineKind.OPENED, TimelineKind.REOPENED):
        summary = t.ticket.subject
    return JourneyItem(
        at=t.at, type="ticket", kind=t.kind, id=t.pk, summary=summary,
        channel=t.message.channel_kind if t.message_id else t.ticket.channel.kind,
        initiated_by=t.initiated_by, ticket_id=t.ticket_id, ticket_reference=t.ticket.reference,
    )


def _decode_cursor(cursor: str) -> list:
    values = _decode(cursor)
    if (len(values) != 3 or not isinstance(values[0], dt.datetime) or values[1] not in (_EVENT, _TICKET)
            or not isinstance(values[2], int)):
        raise DomainError("bad_cursor", "The page cursor is not valid.")
    return values


def customer_journey(*, customer: Customer, user, cursor: str | None = None, limit: int = 25) -> Page:
    """One page of the customer's journey, newest first: ``Page(items=[JourneyItem], next_cursor)``.

    Journey events are shown to every staff member (like the customer's orders); ticket
    touchpoints only for tickets ``user`` may see. Three queries per page, whatever its depth.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    events = (JourneyEvent.objects.filter(customer=customer).select_related("order", "product")
              .order_by("-occurred_at", "-id"))
    entries = (TimelineEntry.objects.filter(ticket__in=tickets_visible_to(user).filter(customer=customer),
                                            kind__in=TICKET_TOUCHPOINTS)
               .select_related("ticket__channel", "message").order_by("-at", "-id"))
    if cursor:
        values = _decode_cursor(cursor)
        events = events.filter(_after(values, _EVENT, "occurred_at"))
        entries = entries.filter(_after(values, _TICKET, "at"))
    merged = [_event_item(e) for e in events[: limit + 1]] + [_ticket_item(t) for t in entries[: limit + 1]]
    merged.sort(key=lambda item: item.sort_key, reverse=True)
    items = merged[:limit]
    next_cursor = None
    if len(merged) > limit:
        last = items[-1]
        next_cursor = _encode([last.at, last.rank, last.id])
    return Page(items=items, next_cursor=next_cursor)
