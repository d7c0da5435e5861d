"""Reads for incidents. Incidents are visible to all staff; the tickets linked to one are
listed only as far as the caller may see them (``tickets_visible_to``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from tanggap.common.clock import now
from tanggap.common.errors import NotFound
from tanggap.conversations.models import Ticket
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.customers.models import Order
from tanggap.incidents.models import Incident, IncidentStatus, IncidentTicket

ACTIVE = (IncidentStatus.OPEN, IncidentStatus.MONITORING)
# Orders that can explain a customer's message: not delivered yet (placed in the last 60 days),
# or delivered (or placed, when the delivery date is unknown) in the last 14 days.
UNDELIVERED_DAYS = 60
RECENT_DAYS = 14
ORDERS_CONSIDERED = 10


def incident_list(*, status: str = "", limit: int = 100, after_id: int | None = None) -> list[Incident]:
    """Newest first; ``status`` "active" means open or monitoring."""
    qs = Incident.objects.annotate(ticket_count=Count("ticket_links", distinct=True)).order_by("-id")
    if status == "active":
        qs = qs.filter(status__in=ACTIVE)
    elif status:
        qs = qs.filter(status=status)
    if after_id:
        qs = qs.filter(pk__lt=after_id)
    return list(qs[:limit])


def incident_get(*, incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).select_related("opened_by", "playbook").first()
    if incident is None:
        raise NotFound("incident_not_found", "No such incident.")
    return incident


def incident_tickets(*, incident: Incident, user) -> list[IncidentTicket]:
    """The links to tickets the user may see, newest first."""
    visible = tickets_visible_to(user)
    return list(IncidentTicket.objects.filter(incident=incident, ticket__in=visible)
                .select_related("ticket", "ticket__customer", "linked_by").order_by("-linked_at", "-id"))


def ticket_incidents(*, ticket: Ticket) -> list[IncidentTicket]:
    """The incidents a ticket is linked to, newest link first."""
    return list(IncidentTicket.objects.filter(ticket=ticket).select_related("incident", "linked_by").order_by("-linked_at", "-id"))


def candidate_orders(*, customer, at: dt.datetime) -> list[Order]:
    """The customer's orders that may be behind a message sent at ``at``, newest first."""
    undelivered = Q(status__in=[Order.Status.PLACED, Order.Status.PAID, Order.Status.SHIPPED],
                    placed_at__gte=at - dt.timedelta(days=UNDELIVERED_DAYS))
    recent = (Q(status=Order.Status.DELIVERED)
              & (Q(delivered_at__gte=at - dt.timedelta(days=RECENT_DAYS))
                 | Q(delivered_at__isnull=True, placed_at__gte=at - dt.timedelta(days=RECENT_DAYS))))
    return list(Order.objects.filter(customer=customer, placed_at__lte=at).filter(undelivered | recent)
                .prefetch_related("lines").order_by("-placed_at", "-id")[:ORDERS_CONSIDERED])


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().casefold() == b.strip().casefold()


def scope_matches(scope: dict, *, ticket: Ticket, orders: list[Order]) -> bool:
    """Every key of the scope holds. Order keys (products, courier, region) must hold for one
    and the same order; the region may also be the customer's own."""
    if not scope:
        return False
    if "category" in scope and scope["category"] != ticket.category:
        return False
    if "channel" in scope and not _same(scope["channel"], ticket.channel.kind):
        return False
    order_keys = {"product_ids", "courier", "region"} & set(scope)
    if not order_keys:
        return True
    if order_keys == {"region"} and _same(scope["region"], ticket.customer.region):
        return True
    for order in orders:
        if "courier" in scope and not _same(scope["courier"], order.courier):
            continue
        if "region" in scope and not (_same(scope["region"], order.region)
                                      or _same(scope["region"], ticket.customer.region)):
            continue
        if "product_ids" in scope and not ({line.product_id for line in order.lines.all()}
                                           & set(scope["product_ids"])):
            continue
        return True
    return False


def incident_matching(ticket: Ticket, *, at: dt.datetime | None = None) -> list[Incident]:
    """Active incidents whose window holds the ticket's opening and whose scope matches it,
    most recently opened first."""
    at = at or ticket.created_at or now()
    incidents = list(Incident.objects.filter(status__in=ACTIVE, window_start__lte=at)
                     .filter(Q(window_end__isnull=True) | Q(window_end__gte=at))
                     .exclude(scope={}).order_by("-opened_at", "-id"))
    if not incidents:
        return []
    orders = candidate_orders(customer=ticket.customer, at=at)
    return [i for i in incidents if scope_matches(i.scope, ticket=ticket, orders=orders)]


def incidents_overlapping(*, key: str, value, start: dt.datetime, end: dt.datetime | None = None) -> list[Incident]:
    """Active incidents whose window meets [start, end] and whose scope has the same ``key``
    and value (for product_ids: any shared product), oldest first: what an alert joins."""
    end = end or start
    qs = (Incident.objects.filter(status__in=ACTIVE, window_start__lte=end)
          .filter(Q(window_end__isnull=True) | Q(window_end__gte=start)).order_by("opened_at", "id"))
    out = []
    for incident in qs:
        have = (incident.scope or {}).get(key)
        if have is None:
            continue
        if key == "product_ids":
            if set(have) & set(value if isinstance(value, (list, tuple)) else [value]):
                out.append(incident)
        elif _same(str(have), str(value)):
            out.append(incident)
    return out


def incidents_active_count() -> int:
    return Incident.objects.filter(status__in=ACTIVE).count()
