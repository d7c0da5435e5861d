"""Promises to the customer and the scheduled progress updates that keep them informed.

- **Made** when a ticket is first answered (a person's reply or the automatic
  acknowledgement) and has no promise standing: the date is the resolution clock's due time,
  rounded up to the quarter hour, and the sentence telling it is added to that very message
  in the customer's language. The same happens for the first answer after a reopen.
- **Kept** when the ticket is solved on or before the date; **broken** when the date passes
  with the ticket unsolved (``promise_sweep``); **re-dated** when an agent moves the date with
  a reason, which the customer is told.
- **Progress updates** go out every ``update_interval_minutes`` of business time while the
  ticket is open or on hold, unless a person wrote to the customer in that interval.

Every one of these is a stored row changed by a conditional UPDATE, so a restarted worker
neither loses a promise nor sends an update twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.common import fastsql
from tanggap.common.fastsql import Prepared
from tanggap.conversations.choices import STATUS_GROUP, Status, StatusGroup, TimelineKind
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import reply_send, timeline_add
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.notifications.services import notify
from tanggap.promises.models import Promise, PromiseStatus
from tanggap.sla import engine
from tanggap.sla.models import SlaTarget, TargetKind, TargetStatus, TicketSla
from tanggap.sla.services import people_to_warn, policy_for, policy_spec, staff_time
from tanggap.texts.services import customer_zone, format_when, render

log = logging.getLogger(__name__)

QUARTER = 15 * 60
# Statuses in which the customer waits for us and gets progress updates.
UPDATE_STATUSES = {Status.NEW, Status.OPEN, Status.ON_HOLD}


def _round_up(at: dt.datetime) -> dt.datetime:
    """Up to the next quarter hour; never earlier than ``at`` (a fraction of a second counts)."""
    extra = dt.timedelta(seconds=(at.minute * 60 + at.second) % QUARTER, microseconds=at.microsecond)
    return at if not extra else at - extra + dt.timedelta(seconds=QUARTER)


def _zone(ticket: Ticket) -> str | None:
    """The policy calendar's time zone; for a 24/7 policy, the customer's country's, else the site's."""
    state = TicketSla.objects.filter(ticket=ticket).select_related("policy__calendar").first()
    policy = state.policy if state else None
    if policy and policy.calendar_id:
        return policy.calendar.time_zone
    return customer_zone(ticket.customer)


def promise_date_text(ticket: Ticket, at: dt.datetime) -> str:
    return format_when(at, ticket.customer.language, _zone(ticket))


def _fields(ticket: Ticket, promise: Promise | None = None, **extra) -> dict:
    return {"customer_name": ticket.customer.name or "", "reference": ticket.reference, "subject": ticket.subject,
            "promise_date": promise_date_text(ticket, promise.due_at) if promise else "", **extra}


def promise_due_for(ticket: Ticket, at: dt.datetime | None = None) -> dt.datetime | None:
    """When the ticket's resolution is due under its policy, counting from now if the clock is
    paused; None when the policy sets no resolution target or the target has already passed."""
    at = at or now()
    target = SlaTarget.objects.filter(ticket=ticket, kind=TargetKind.RESOLUTION).first()
    if target is None:
        return None
    if target.status == TargetStatus.RUNNING and target.breached_at is None and target.due_at:
        return _round_up(target.due_at)
    if target.status == TargetStatus.PAUSED or (target.status == TargetStatus.MET and target.breached_at is None):
        remaining = dt.timedelta(seconds=max(target.target_seconds - target.used_seconds, 0))
        if remaining:
            policy = TicketSla.objects.select_related("policy__calendar").get(ticket=ticket).policy
            return _round_up(engine.add_time(policy_spec(policy), at, remaining))
    return None


def _settle(promise: Promise, status: str, ticket: Ticket, at: dt.datetime) -> bool:
    """Settle an active promise once (conditional UPDATE); False if someone else did."""
    won = Promise.objects.filter(pk=promise.pk, status=PromiseStatus.ACTIVE).update(
        status=status, settled_at=at, agent=ticket.assignee, team=ticket.team)
    if won:
        promise.status, promise.settled_at = status, at
    return bool(won)


def _schedule_update(ticket: Ticket, at: dt.datetime, *, active: bool | None = None,
                     state: TicketSla | None = None) -> None:
    """Set (or clear) the next progress update, counted from ``at`` in business time. ``active``:
    whether the ticket has an active promise, and ``state`` its SLA state (with its policy and
    calendar), when the caller has them (else they are looked up)."""
    if state is None:
        state, _ = TicketSla.objects.select_related("policy__calendar").get_or_create(ticket=ticket)
    policy = state.policy
    next_at = None
    if (policy and policy.update_interval_minutes and ticket.status in UPDATE_STATUSES
            and (active if active is not None
                 else Promise.objects.filter(ticket=ticket, status=PromiseStatus.ACTIVE).exists())):
        next_at = engine.add_time(policy_spec(policy), at, dt.timedelta(minutes=policy.update_interval_minutes))
    fastsql.update(TicketSla, state.pk, next_update_at=next_at)


# The reads every reply and customer message makes here, compiled once (common.fastsql).
_TICKET = Prepared(lambda ticket_id: Ticket.objects.select_related("customer", "team", "assignee").filter(pk=ticket_id))
_ACTIVE = Prepared(lambda ticket_id: Promise.objects.filter(ticket_id=ticket_id, status=PromiseStatus.ACTIVE)
                   .order_by("pk")[:1])
_STATE = Prepared(lambda ticket_id: TicketSla.objects.filter(ticket_id=ticket_id).select_related("policy__calendar")
                  .order_by("pk")[:1])


def promise_on_answer(*, ticket_id: int, message_id: int, automated: bool, purpose: str) -> Promise | None:
    """Called inside the transaction of every outbound message (before it is delivered)."""
    ticket = _TICKET.get(ticket_id)
    at = now()
    if purpose not in ("reply", "acknowledgement"):
        if not automated:
            _schedule_update(ticket, at)
        return None
    group = STATUS_GROUP[Status(ticket.status)]
    made = None
    active = _ACTIVE.first(ticket.pk) is not None
    if group != StatusGroup.RESOLVED and not active:
        made = _make_first(ticket, message_id, at)
    if not automated or made is not None:
        _schedule_update(ticket, at, active=active or made is not None)
    return made


def _make_first(ticket: Ticket, message_id: int, at: dt.datetime) -> Promise | None:
    latest = Promise.objects.filter(ticket=ticket).order_by("-made_at", "-id").first()
    if latest is not None and latest.status == PromiseStatus.BROKEN and not ticket.timeline.filter(
            kind=TimelineKind.REOPENED, at__gt=latest.settled_at).exists():
        return None  # a broken promise is re-dated by a person, with a reason; never silently
    due = promise_due_for(ticket, at)
    if due is None or due <= at:
        return None
    message = Message.objects.get(pk=message_id)
    promise = Promise.objects.create(ticket=ticket, due_at=due, made_at=at, made_by=message.author, message=message,
                                     warn_at=_warn_at(ticket, due))
    sentence = render("promise_made", ticket.customer.language, **_fields(ticket, promise))
    message.body_text = f"{message.body_text.rstrip()}\n\n{sentence}"
    if message.body_html:
        from django.utils.html import escape

        message.body_html = f"{message.body_html}<p>{escape(sentence)}</p>"
    message.meta = {**message.meta, "promise_id": promise.pk}
    message.save(update_fields=["body_text", "body_html", "meta"])
    timeline_add(ticket=ticket, kind=TimelineKind.PROMISE_MADE, actor=message.author, message=message,
                 due_at=due.isoformat(), promise_id=promise.pk)
    publish(names.PROMISE_MADE, ticket_id=ticket.pk, promise_id=promise.pk)
    return promise


def _warn_at(ticket: Ticket, due: dt.datetime) -> dt.datetime:
    state = TicketSla.objects.filter(ticket=ticket).select_related("policy").first()
    minutes = state.policy.warn_before_minutes if state and state.policy else 60
    return due - dt.timedelta(minutes=minutes)


@transaction.atomic
def promise_redate(*, ticket: Ticket, actor, due_at: dt.datetime, reason: str) -> Promise:
    """Move the promise to a new date and tell the customer why. Allowed while the ticket is
    not solved, for the standing promise or the latest broken one."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "Say why the date moves; the customer is told the reason.", status=422)
    at = now()
    if due_at <= at:
        raise DomainError("date_in_past", "The new date must be in the future.", status=422)
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("customer", "team", "assignee").get(pk=ticket.pk)
    if STATUS_GROUP[Status(ticket.status)] == StatusGroup.RESOLVED:
        raise DomainError("ticket_solved", "The ticket is solved; there is nothing left to promise.", status=409)
    latest = Promise.objects.filter(ticket=ticket).order_by("-made_at", "-id").first()
    if latest is None or latest.status not in (PromiseStatus.ACTIVE, PromiseStatus.BROKEN) or \
            Promise.objects.filter(previous=latest).exists():
        raise DomainError("no_promise", "This ticket has no promise to re-date yet; answer the customer first.",
                          status=409)
    if latest.status == PromiseStatus.ACTIVE and not _settle(latest, PromiseStatus.REDATED, ticket, at):
        raise DomainError("promise_changed", "The promise changed meanwhile; reload and try again.", status=409)
    due = _round_up(due_at)
    promise = Promise.objects.create(ticket=ticket, due_at=due, reason=reason[:2000], previous=latest, made_at=at,
                                     made_by=actor, warn_at=_warn_at(ticket, due))
    text = render("promise_redated", ticket.customer.language, **_fields(ticket, promise, reason=_sentence(reason)))
    message = reply_send(ticket=ticket, author=actor, body_text=text, purpose="promise_redated",
                         meta={"promise_id": promise.pk})
    Promise.objects.filter(pk=promise.pk).update(message=message)
    promise.message = message
    timeline_add(ticket=ticket, kind=TimelineKind.PROMISE_REDATED, actor=actor, message=message,
                 old_due_at=latest.due_at.isoformat(), due_at=due.isoformat(), reason=reason, promise_id=promise.pk)
    publish(names.PROMISE_REDATED, ticket_id=ticket.pk, promise_id=promise.pk)
    return promise


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def promise_on_status(*, ticket_id: int) -> None:
    """A status change: solving keeps (or, if late, breaks) the standing promise; pausing and
    resuming move the next progress update."""
    ticket = _TICKET.get(ticket_id)
    at = now()
    promise = _ACTIVE.first(ticket.pk)
    if promise and STATUS_GROUP[Status(ticket.status)] == StatusGroup.RESOLVED:
        outcome = PromiseStatus.KEPT if at <= promise.due_at else PromiseStatus.BROKEN
        if _settle(promise, outcome, ticket, at):
            kind = TimelineKind.PROMISE_KEPT if outcome == PromiseStatus.KEPT else TimelineKind.PROMISE_BROKEN
            timeline_add(ticket=ticket, kind=kind, due_at=promise.due_at.isoformat(), promise_id=promise.pk)
            publish(names.PROMISE_KEPT if outcome == PromiseStatus.KEPT else names.PROMISE_BROKEN,
                    ticket_id=ticket.pk, promise_id=promise.pk)
    state = _STATE.first(ticket.pk)
    if ticket.status not in UPDATE_STATUSES:
        TicketSla.objects.filter(ticket=ticket).update(next_update_at=None)
    elif state is None or state.next_update_at is None:
        _schedule_update(ticket, at, active=promise is not None, state=state)  # not resolved: nothing settled it


def promise_sweep(*, at: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Warn before a promise lapses, record lapsed promises as broken, send due progress
    updates. Idempotent; several workers may run it at once."""
    at = at or now()
    counts = {"warned": 0, "broken": 0, "updates": 0}
    for promise in (Promise.objects.filter(status=PromiseStatus.ACTIVE, warned=False, warn_at__lte=at, due_at__gt=at)
                    .select_related("ticket__team__lead", "ticket__assignee", "ticket__customer")[:limit]):
        if Promise.objects.filter(pk=promise.pk, warned=False).update(warned=True):
            ticket = promise.ticket
            notify(users=people_to_warn(ticket), kind="promise.warning", ticket=ticket,
                   dedupe_key=f"promise:{promise.pk}:warn",
                   text=_("%(ref)s: the promise to the customer lapses at %(when)s. Solve it or re-date it with a reason.")
                   % {"ref": ticket.reference, "when": staff_time(promise.due_at)})
            counts["warned"] += 1
    for promise in (Promise.objects.filter(status=PromiseStatus.ACTIVE, due_at__lte=at)
                    .select_related("ticket__team__lead", "ticket__assignee", "ticket__customer")[:limit]):
        with transaction.atomic():
            ticket = promise.ticket
            # settled when it lapsed, not when the sweep noticed: weekly counts stay in the right week
            if _settle(promise, PromiseStatus.BROKEN, ticket, promise.due_at):
                timeline_add(ticket=ticket, kind=TimelineKind.PROMISE_BROKEN, due_at=promise.due_at.isoformat(),
                             promise_id=promise.pk)
                TicketSla.objects.filter(ticket=ticket).update(next_update_at=None)
                notify(users=people_to_warn(ticket), kind="promise.broken", ticket=ticket,
                       dedupe_key=f"promise:{promise.pk}:broken",
                       text=_("%(ref)s: the promise to the customer was broken. Re-date it with a reason.")
                       % {"ref": ticket.reference})
                publish(names.PROMISE_BROKEN, ticket_id=ticket.pk, promise_id=promise.pk)
                counts["broken"] += 1
    for state in TicketSla.objects.filter(next_update_at__lte=at).select_related("ticket")[:limit]:
        try:
            if progress_update_send(ticket_id=state.ticket_id, expected=state.next_update_at, at=at):
                counts["updates"] += 1
        except DomainError as exc:  # e.g. the customer has no address left: stop updating, say so
            log.warning("progress update for ticket %s not sent: %s", state.ticket_id, exc.message)
            TicketSla.objects.filter(pk=state.pk, next_update_at=state.next_update_at).update(next_update_at=None)
    return counts


@transaction.atomic
def progress_update_send(*, ticket_id: int, expected: dt.datetime, at: dt.datetime | None = None) -> Message | None:
    """Send one scheduled update. The claim (moving ``next_update_at`` on from the value we
    read) and the queued message commit together, so an update is sent at most once."""
    at = at or now()
    state = TicketSla.objects.select_related("policy__calendar").get(ticket_id=ticket_id)
    ticket = Ticket.objects.select_related("customer", "channel").get(pk=ticket_id)
    promise = Promise.objects.filter(ticket=ticket, status=PromiseStatus.ACTIVE).first()
    policy = state.policy
    if (ticket.status not in UPDATE_STATUSES or promise is None or policy is None
            or not policy.update_interval_minutes):
        TicketSla.objects.filter(pk=state.pk, next_update_at=expected).update(next_update_at=None)
        return None
    next_at = engine.add_time(policy_spec(policy), at, dt.timedelta(minutes=policy.update_interval_minutes))
    if not TicketSla.objects.filter(pk=state.pk, next_update_at=expected).update(
            next_update_at=next_at, updates_sent=state.updates_sent + 1):
        return None  # another worker sent it
    text = render("progress_update", ticket.customer.language, **_fields(ticket, promise))
    message = reply_send(ticket=ticket, author=None, body_text=text, automated=True, purpose="progress_update",
                         meta={"promise_id": promise.pk})
    timeline_add(ticket=ticket, kind=TimelineKind.UPDATE_SENT, message=message, promise_id=promise.pk)
    return message


def acknowledge(*, ticket_id: int) -> Message | None:
    """The automatic acknowledgement of a new customer ticket, when its policy asks for one.
    It carries the promise (added by ``promise_on_answer`` like any first answer)."""
    ticket = Ticket.objects.select_related("customer", "channel", "sla__policy").get(pk=ticket_id)
    # The SLA refresh of this same transaction (its handler runs first) chose the policy.
    state = getattr(ticket, "sla", None)
    policy = state.policy if state is not None else policy_for(ticket)
    if policy is None or not policy.acknowledge:
        return None
    text = render("acknowledgement", ticket.customer.language, **_fields(ticket))
    try:
        return reply_send(ticket=ticket, author=None, body_text=text, automated=True, purpose="acknowledgement")
    except DomainError as exc:
        log.info("no acknowledgement for %s: %s", ticket.reference, exc.message)
        return None
