"""Reads for remedies: the catalog, a ticket's remedies, and what waits for a manager's approval."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.common.errors import NotFound
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.remedies.models import Remedy, RemedyRule, RemedyStatus, WindowFrom

# The kinds that act on one order, and the kinds that carry an amount of money.
NEEDS_ORDER = {"replace", "return", "refund"}
TAKES_AMOUNT = {"refund", "voucher", "points"}  # points: a whole number of loyalty points


def remedy_rules_for(category: str) -> list[RemedyRule]:
    """The active rules for one ticket category: what an agent may offer, with its limits."""
    return list(RemedyRule.objects.filter(category=category, active=True).order_by("kind"))


def remedy_catalog(*, category: str = "", include_inactive: bool = False) -> list[RemedyRule]:
    qs = RemedyRule.objects.all()
    if category:
        qs = qs.filter(category=category)
    if not include_inactive:
        qs = qs.filter(active=True)
    return list(qs.order_by("category", "kind"))


def _remedies():
    return Remedy.objects.select_related("order", "replacement_order", "requested_by", "decided_by", "ticket")


def ticket_remedies(ticket) -> list[Remedy]:
    """Every remedy on the ticket, oldest first (applied, pending and rejected)."""
    return list(_remedies().filter(ticket=ticket).order_by("created_at", "id"))


def remedy_get(*, ticket, remedy_id: int) -> Remedy:
    remedy = _remedies().filter(ticket=ticket, pk=remedy_id).first()
    if remedy is None:
        raise NotFound("remedy_not_found", f"Remedy {remedy_id} does not exist on this ticket.")
    return remedy


def can_decide(user) -> bool:
    """Team leads and admins approve or reject remedies."""
    return role_of(user) in (Role.LEAD, Role.ADMIN)


def remedies_pending_for(user, *, limit: int = 200) -> list[Remedy]:
    """Remedies awaiting approval on tickets this lead or admin may see, oldest first."""
    if not can_decide(user):
        return []
    return list(_remedies().select_related("ticket__customer", "ticket__team")
                .filter(status=RemedyStatus.PENDING, ticket__in=tickets_visible_to(user))
                .order_by("created_at", "id")[:limit])


def window_deadline(rule: RemedyRule, order) -> dt.datetime | None:
    """The last moment the rule's window allows, or None when the window does not apply
    (no window on the rule, no order, or an order not delivered yet).

    "Within N days of delivery" counts calendar days in the site's time zone: an order
    delivered on 1 December with a 7-day window may be remedied until 8 December, 23:59:59."""
    if rule.window_days is None or order is None:
        return None
    start = order.delivered_at if rule.window_from == WindowFrom.DELIVERED else order.placed_at
    if start is None:
        return None
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    last_day = start.astimezone(zone).date() + dt.timedelta(days=rule.window_days)
    return dt.datetime.combine(last_day, dt.time(23, 59, 59), tzinfo=zone)
