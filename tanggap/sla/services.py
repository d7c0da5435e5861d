"""Writes for SLA clocks: choose the policy, replay the ticket's history through the engine,
store every clock, record breaches once, and warn people before and at a breach.

``sla_refresh`` is idempotent: the event handlers call it inside the transaction that changed
the ticket, and ``sla_sweep`` calls it for every clock whose warning or due time has come.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tanggap.accounts.models import Role
from tanggap.common.clock import now
from tanggap.common import fastsql
from tanggap.common.fastsql import Prepared
from tanggap.conversations.choices import STATUS_GROUP, Initiator, Status, TimelineKind
from tanggap.conversations.models import Ticket, TimelineEntry
from tanggap.conversations.services import timeline_add
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.notifications.services import notify
from tanggap.sla import engine
from tanggap.sla.models import SlaBreach, SlaPolicy, SlaTarget, TargetStatus, TicketSla
from tanggap.sla.selectors import calendar_spec

log = logging.getLogger(__name__)

GROUP = {"open": engine.OPEN, "paused": engine.PAUSED, "resolved": engine.RESOLVED}
KIND_LABEL = {"first_response": _lazy("first response"), "next_response": _lazy("next response"),
              "resolution": _lazy("resolution")}


def _minutes(value: int | None) -> dt.timedelta | None:
    return dt.timedelta(minutes=value) if value else None


def policy_matches(policy: SlaPolicy, ticket: Ticket) -> bool:
    checks = (
        (policy.priorities, ticket.priority),
        (policy.categories, ticket.category),
        (policy.channels, ticket.channel.kind),
        (policy.tiers, ticket.customer.tier),
    )
    return all(not allowed or value in allowed for allowed, value in checks)


# The active policies and their calendars' specs, read by ``sla_inputs_read_ahead`` before a write
# transaction and used inside it (None: read them when needed).
_read_ahead: contextvars.ContextVar[dict | None] = contextvars.ContextVar("sla_read_ahead", default=None)


_ACTIVE_POLICIES = Prepared(lambda: SlaPolicy.objects.filter(active=True).select_related("calendar")
                            .order_by("position", "id"))


@contextlib.contextmanager
def sla_inputs_read_ahead():
    """Read the active policies and their calendars (hours, closed days) now, for the SLA and
    promise bookkeeping of the write that follows in this thread. On SQLite a write transaction
    holds the one write lock from its start: these reads (three to five statements) are then
    done before it is taken instead of while every other writer waits. Nested: the outer read."""
    if _read_ahead.get() is not None:
        yield
        return
    policies = _ACTIVE_POLICIES.list()
    specs = {}
    for policy in policies:
        if policy.calendar_id and policy.calendar_id not in specs:
            specs[policy.calendar_id] = calendar_spec(calendar=policy.calendar)
    token = _read_ahead.set({"policies": policies, "specs": specs})
    try:
        yield
    finally:
        _read_ahead.reset(token)


def policy_for(ticket: Ticket) -> SlaPolicy | None:
    """The first active policy, by position, whose conditions all match the ticket."""
    ahead = _read_ahead.get()
    policies = ahead["policies"] if ahead is not None else _ACTIVE_POLICIES.list()
    for policy in policies:
        if policy_matches(policy, ticket):
            return policy
    return None


def policy_spec(policy: SlaPolicy | None):
    if not (policy and policy.calendar_id):
        return None
    ahead = _read_ahead.get()
    if ahead is not None and policy.calendar_id in ahead["specs"]:
        return ahead["specs"][policy.calendar_id]
    return calendar_spec(calendar=policy.calendar)


# The statements every intake and reply transaction runs here, compiled once (common.fastsql).
_TIMELINE_FACTS = Prepared(lambda ticket_id: TimelineEntry.objects.filter(
    ticket_id=ticket_id, kind__in=[TimelineKind.MESSAGE_IN, TimelineKind.MESSAGE_OUT, TimelineKind.STATUS,
                                   TimelineKind.REOPENED]).order_by("at", "id").only("at", "kind", "message_id", "data",
                                                                                     "ticket_id"))
_TICKET = Prepared(lambda ticket_id: Ticket.objects.select_related("channel", "customer", "sla").filter(pk=ticket_id))
_TARGETS = Prepared(lambda ticket_id: SlaTarget.objects.filter(ticket_id=ticket_id))


def history(ticket: Ticket) -> list[engine.Fact]:
    """The ticket's timeline as the facts the engine needs."""
    facts = []
    for row in _TIMELINE_FACTS.list(ticket.pk):
        data = row.data or {}
        if row.kind == TimelineKind.MESSAGE_IN and not data.get("automated"):
            facts.append(engine.Fact(at=row.at, kind="in", message_id=row.message_id))
        elif row.kind == TimelineKind.MESSAGE_OUT and not data.get("automated"):
            facts.append(engine.Fact(at=row.at, kind="out", message_id=row.message_id))
        elif row.kind in (TimelineKind.STATUS, TimelineKind.REOPENED) and data.get("new") in Status.values:
            facts.append(engine.Fact(at=row.at, kind="state", state=GROUP[STATUS_GROUP[Status(data["new"])]]))
    return facts


def clocks_for(ticket: Ticket, policy: SlaPolicy | None, at: dt.datetime | None = None) -> list[engine.Clock]:
    if policy is None:
        return []
    targets = engine.Targets(first_response=_minutes(policy.first_response_minutes),
                             next_response=_minutes(policy.next_response_minutes),
                             resolution=_minutes(policy.resolution_minutes))
    return engine.evaluate(created_at=ticket.created_at, customer_initiated=ticket.initiated_by == Initiator.CUSTOMER,
                           facts=history(ticket), targets=targets, spec=policy_spec(policy), now=at or now())


def people_to_warn(ticket: Ticket) -> list:
    """The assignee and the team lead; with neither, the admins."""
    users = [u for u in (ticket.assignee, ticket.team.lead if ticket.team_id else None) if u is not None]
    if not users:
        users = list(get_user_model().objects.filter(profile__role=Role.ADMIN, is_active=True))
    return users


def staff_time(at: dt.datetime) -> str:
    """A time for staff notifications: "24 Nov 15:00" in the site's zone and active language."""
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(at), "j M H:i")


TARGET_FIELDS = ("started_at", "target_seconds", "used_seconds", "warned", "status", "due_at", "warn_at", "met_at",
                 "breached_at")


def sla_refresh(*, ticket: Ticket, at: dt.datetime | None = None, savepoint: bool = True) -> list[SlaTarget]:
    """Bring the ticket's stored clocks, breaches, warnings and ``sla_due_at`` up to date.
    ``savepoint=False``: the caller's atomic block has a savepoint of its own to roll back to
    (the event bus gives each in-transaction handler one), so this one would only cost two
    statements more in every intake and reply transaction."""
    with transaction.atomic(savepoint=savepoint):
        return _refresh(ticket_id=ticket.pk, at=at or now())


def _refresh(*, ticket_id: int, at: dt.datetime) -> list[SlaTarget]:
    # It runs inside every intake and reply transaction, so it keeps to few statements: new
    # clocks in one INSERT, a stored clock written only when it changed, the state upserted.
    ticket = _TICKET.get(ticket_id)
    # Targets are written only here, with the state row: a ticket without one has none yet
    # (a ticket opened in this very transaction), so its lookup is skipped.
    has_state = _state_of(ticket) is not None
    policy = policy_for(ticket)
    clocks = clocks_for(ticket, policy, at)
    stored = {t.key: t for t in _TARGETS.list(ticket.pk)} if has_state else {}
    warn_before = dt.timedelta(minutes=policy.warn_before_minutes) if policy else dt.timedelta(0)
    targets: list[SlaTarget] = []
    new_rows: list[SlaTarget] = []
    for clock in clocks:
        row = stored.pop(clock.key, None)
        before = None
        if row is None:
            row = SlaTarget(ticket=ticket, key=clock.key, kind=clock.kind, message_id=clock.message_id)
            new_rows.append(row)
        else:
            before = [getattr(row, f) for f in TARGET_FIELDS]
        row.started_at = clock.started_at
        row.target_seconds = int(clock.target.total_seconds())
        row.used_seconds = int(clock.used.total_seconds())
        if clock.due_at is not None and clock.due_at != row.due_at:
            row.warned = False  # a new due time (resumed, re-targeted) deserves its own warning
        row.status = clock.status
        row.due_at = clock.due_at
        row.warn_at = clock.due_at - warn_before if clock.due_at else None
        row.met_at = clock.met_at
        row.breached_at = clock.breached_at
        if before is not None and before != [getattr(row, f) for f in TARGET_FIELDS]:
            fastsql.update(SlaTarget, row.pk, **{f: getattr(row, f) for f in TARGET_FIELDS})
        targets.append(row)
    if new_rows:
        SlaTarget.objects.bulk_create(new_rows)  # sets the primary keys (RETURNING) on SQLite and PostgreSQL
    for row in stored.values():  # the policy no longer has this target
        if row.status in (TargetStatus.RUNNING, TargetStatus.PAUSED):
            row.status, row.due_at, row.warn_at = TargetStatus.STOPPED, None, None
            row.save(update_fields=["status", "due_at", "warn_at"])
    for row in targets:
        if row.breached_at is not None and row.breached_at <= at:
            _record_breach(ticket, row)
        elif row.status == TargetStatus.RUNNING and row.warn_at and row.warn_at <= at and not row.warned:
            _warn(ticket, row)
    running = [t.due_at for t in targets if t.status == TargetStatus.RUNNING and t.due_at]
    due = min(running) if running else None
    if ticket.sla_due_at != due:
        fastsql.update(Ticket, ticket.pk, sla_due_at=due)
    _state_save(ticket_id=ticket.pk, policy=policy, at=at, exists=has_state)
    return targets


def _state_of(ticket: Ticket) -> TicketSla | None:
    try:
        return ticket.sla
    except TicketSla.DoesNotExist:
        return None


def _state_save(*, ticket_id: int, policy: SlaPolicy | None, at: dt.datetime, exists: bool) -> None:
    """Update or insert the ticket's SLA state without a savepoint. A concurrent refresh that
    inserted the row first wins (its evaluation is as fresh as this one)."""
    if exists and fastsql.update(TicketSla, ticket_id, policy=policy, evaluated_at=at):
        return
    TicketSla.objects.bulk_create([TicketSla(ticket_id=ticket_id, policy=policy, evaluated_at=at)],
                                  ignore_conflicts=True)


def _record_breach(ticket: Ticket, target: SlaTarget) -> None:
    if SlaBreach.objects.filter(target=target).exists():
        return
    SlaBreach.objects.create(target=target, ticket=ticket, kind=target.kind, breached_at=target.breached_at,
                             assignee=ticket.assignee, team=ticket.team)
    timeline_add(ticket=ticket, kind=TimelineKind.SLA_BREACHED, target=target.kind, key=target.key,
                 breached_at=target.breached_at.isoformat())
    if not target.warned:
        SlaTarget.objects.filter(pk=target.pk).update(warned=True)
    notify(users=people_to_warn(ticket), kind="sla.breached", ticket=ticket, dedupe_key=f"sla:{target.pk}:breached",
           text=_("%(ref)s: %(target)s target missed at %(when)s.") % {
               "ref": ticket.reference, "target": KIND_LABEL[target.kind], "when": staff_time(target.breached_at)})
    publish(names.SLA_BREACHED, ticket_id=ticket.pk, target=target.kind, key=target.key)


def _warn(ticket: Ticket, target: SlaTarget) -> None:
    SlaTarget.objects.filter(pk=target.pk).update(warned=True)
    target.warned = True
    notify(users=people_to_warn(ticket), kind="sla.warning", ticket=ticket,
           dedupe_key=f"sla:{target.pk}:warn:{target.due_at:%Y%m%d%H%M}",
           text=_("%(ref)s: %(target)s due at %(when)s.") % {
               "ref": ticket.reference, "target": KIND_LABEL[target.kind], "when": staff_time(target.due_at)})
    publish(names.SLA_WARNING, ticket_id=ticket.pk, target=target.kind, key=target.key)


def sla_refresh_quietly(*, ticket_id: int, savepoint: bool = True) -> None:
    """For event handlers: never let SLA bookkeeping fail the change that triggered it.
    A failure leaves the ticket's evaluation stale; ``sla_sweep`` picks it up. Its writes are
    rolled back to a savepoint: its own, or (``savepoint=False``, the bus's handlers) the caller's,
    which Django rolls back to when that block ends after a failure inside it."""
    try:
        sla_refresh(ticket=Ticket(pk=ticket_id), savepoint=savepoint)
    except Exception:
        log.exception("SLA refresh failed for ticket %s; the sweep will retry", ticket_id)


def sla_sweep(*, at: dt.datetime | None = None, limit: int = 500) -> int:
    """Re-evaluate every ticket with a warning or due time that has come, and every ticket
    changed since it was last evaluated. Safe to run from several workers at once."""
    at = at or now()
    due = (SlaTarget.objects.filter(status=TargetStatus.RUNNING)
           .filter(Q(due_at__lte=at, breached_at__isnull=True) | Q(warn_at__lte=at, warned=False))
           .values_list("ticket_id", flat=True)[:limit])
    stale = (Ticket.objects.filter(Q(sla__isnull=True) | Q(sla__evaluated_at__isnull=True)
                                   | Q(sla__evaluated_at__lt=F("updated_at")))
             .exclude(status=Status.CLOSED).values_list("pk", flat=True)[:limit])
    ids = sorted(set(due) | set(stale))
    for ticket_id in ids:
        sla_refresh_quietly(ticket_id=ticket_id)
    return len(ids)


def sla_settings_changed() -> None:
    """A policy or calendar changed: re-evaluate the tickets still in progress, in the worker."""
    from tanggap.sla.tasks import sla_recompute_open

    transaction.on_commit(lambda: sla_recompute_open.enqueue(), robust=True)


def sla_recompute_open(*, batch: int = 500) -> int:
    count = 0
    ids = list(Ticket.objects.exclude(status__in=[Status.SOLVED, Status.CLOSED]).values_list("pk", flat=True))
    for ticket_id in ids:
        sla_refresh_quietly(ticket_id=ticket_id)
        count += 1
    return count
