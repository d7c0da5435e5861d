"""The demo's history as the running product would have written it: every planned step runs
through the real services at its own time, and between steps (and after the last one, up to
the demo's "now") whatever the worker's sweeps would have done happens at the minute it was
due: SLA warnings and breaches, promise warnings, lapsed promises, scheduled progress updates.
The agents react as people do: a promise about to lapse on a ticket that will not be solved
in time is re-dated with a reason (most of the time), or left to break.

The services read the time from ``django.utils.timezone.now`` (through ``common.clock``);
``frozen`` pins it. time-machine does the same in the tests, but it is a development
dependency and ``make demo`` installs without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator

from django.db import transaction
from django.db.models import BooleanField, DateTimeField, F, IntegerField, Value
from django.utils import timezone

from tanggap.common.errors import DomainError
from tanggap.conversations.choices import STATUS_GROUP, Delivery, Direction, Status, StatusGroup, TimelineKind
from tanggap.conversations.models import DeliveryAttempt, Message, Ticket, TimelineEntry
from tanggap.customers.models import Order
from tanggap.demo import catalog as cat
from tanggap.demo.outcomes import resolve_step
from tanggap.demo.specs import Plan, RemedySpec, TicketSpec
from tanggap.promises.models import Promise, PromiseStatus
from tanggap.promises.services import promise_redate, promise_sweep
from tanggap.remedies.models import Remedy, RemedyKind, RemedyStatus
from tanggap.remedies.services import remedy_apply, remedy_decide
from tanggap.sla.models import SlaTarget, TargetStatus, TicketSla
from tanggap.sla.services import sla_refresh

# How likely an agent re-dates a promise that will lapse: the first time, the second time;
# and a promise that broke (nobody was at work when it lapsed) re-dated afterwards.
P_REDATE = (0.4, 0.3)
P_REDATE_AFTER_BREAK = 0.4
MAX_REDATES = 2
MAX_EVENTS = 400  # timed events per ticket: a guard against a clock that never settles


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[dt.datetime]:
    """Every service call inside sees ``at`` as the current time."""
    original = timezone.now
    timezone.now = lambda: at
    try:
        yield at
    finally:
        timezone.now = original


def _next_minute(at: dt.datetime) -> dt.datetime:
    """The sweeps run every minute: something due at 10:03:20 happens at 10:04:00."""
    whole = at.replace(second=0, microsecond=0)
    return whole if whole == at else whole + dt.timedelta(minutes=1)


def _agent_time(rng: random.Random, at: dt.datetime) -> dt.datetime:
    """When an agent gets to it: soon during the shift (08:00-21:00 WIB), else next morning."""
    local = at.astimezone(cat.WIB) + dt.timedelta(minutes=rng.uniform(5, 40))
    if local.hour < 8:
        local = local.replace(hour=8, minute=rng.randrange(5, 50))
    elif local.hour >= 21:
        local = (local + dt.timedelta(days=1)).replace(hour=8, minute=rng.randrange(5, 50))
    return local.astimezone(dt.UTC).replace(microsecond=0)


def mark_sent(ticket_id: int) -> int:
    """The demo has no WhatsApp/SMS/SMTP provider behind it: every queued outbound message is
    recorded as delivered (as the worker would have), so the worker never sends history.
    The same rows as one update and two inserts per message, in three statements."""
    queued = list(Message.objects.filter(ticket_id=ticket_id, direction=Direction.OUTBOUND,
                                         delivery_status=Delivery.QUEUED).values_list("pk", "created_at"))
    if not queued:
        return 0
    Message.objects.filter(pk__in=[pk for pk, _ in queued]).update(
        sent_at=F("created_at"), delivery_status=Delivery.SENT, next_attempt_at=None, attempts=1)
    DeliveryAttempt.objects.bulk_create([
        DeliveryAttempt(message_id=pk, number=1, started_at=at + dt.timedelta(seconds=1),
                        finished_at=at + dt.timedelta(seconds=3), outcome="sent") for pk, at in queued])
    TimelineEntry.objects.bulk_create([
        TimelineEntry(ticket_id=ticket_id, kind=TimelineKind.DELIVERED, message_id=pk, at=at + dt.timedelta(seconds=3),
                      data={"attempts": 1}) for pk, at in queued])
    return len(queued)


_SLA, _PROMISE, _UPDATE = 1, 2, 3
_NO_TIME = Value(None, output_field=DateTimeField())


def _due_times(ticket_id: int) -> list[tuple[int, dt.datetime | None, dt.datetime | None, bool]]:
    """(source, due, warn_at, warned) of what the sweeps may find due on one ticket, in one
    query (it runs before every step and after every sweep): its running SLA clocks not yet
    breached, its active promises, and its scheduled progress update."""
    clocks = SlaTarget.objects.filter(ticket_id=ticket_id, status=TargetStatus.RUNNING, breached_at__isnull=True
                                      ).values_list(Value(_SLA, output_field=IntegerField()), "due_at", _NO_TIME,
                                                    Value(False, output_field=BooleanField()))
    promises = Promise.objects.filter(ticket_id=ticket_id, status=PromiseStatus.ACTIVE).values_list(
        Value(_PROMISE, output_field=IntegerField()), "due_at", "warn_at", "warned")
    update = TicketSla.objects.filter(ticket_id=ticket_id).values_list(
        Value(_UPDATE, output_field=IntegerField()), "next_update_at", _NO_TIME, Value(False, output_field=BooleanField()))
    return list(clocks.union(promises, update, all=True))


class TicketLife:
    """One demo ticket's life between and after its planned steps."""

    def __init__(self, spec: TicketSpec, plan: Plan, agents: dict, counts: Counter):
        self.spec, self.plan, self.agents, self.counts = spec, plan, agents, counts
        self.rng = random.Random(f"{plan.seed}:{spec.idx}:promises")
        self.ticket_id: int | None = None
        self.clock = spec.steps[0].at  # the time of the last thing that happened
        self.next_step = 0  # index of the next planned step
        self.decided: set[int] = set()  # promises the agent has made up their mind about
        self.redate_at: dt.datetime | None = None
        self.redates = 0
        self.ahead = False  # the next re-date is made ahead of time, not at the warning

    # --- the sweeps, at the minute they were due ----------------------------------------
    def until(self, limit: dt.datetime) -> None:
        """Let everything due before ``limit`` happen, in order."""
        if self.ticket_id is None:
            return
        for _ in range(MAX_EVENTS):
            event = self._next_event()
            if event is None or event[0] >= limit:
                return
            self._sweep(*event)
        raise RuntimeError(f"demo ticket {self.spec.idx}: more than {MAX_EVENTS} timed events")

    def _next_event(self) -> tuple[dt.datetime, bool, bool] | None:
        """(when, an SLA clock falls due, a promise or an update falls due) of the next sweep
        that finds something to do. SLA warnings before a breach are left to the final
        evaluation: they only notify, and agents read those notifications long ago."""
        sla, promise = [], []
        for source, due, warn_at, warned in _due_times(self.ticket_id):
            if source == _SLA:
                if due:
                    sla.append(due)
            elif source == _PROMISE:
                promise += [due] + ([warn_at] if warn_at and not warned else [])
            else:
                promise.append(due)
        promise.append(self.redate_at)
        promise = [t for t in promise if t is not None]
        if not sla and not promise:
            return None
        at = max(_next_minute(min(sla + promise)), self.clock)
        return at, bool(sla) and _next_minute(min(sla)) <= at, bool(promise) and _next_minute(min(promise)) <= at

    def _sweep(self, at: dt.datetime, clocks: bool, promises: bool) -> None:
        """What ``sla_sweep`` and ``promise_sweep`` do for this ticket at ``at``; then the agent."""
        self.clock = at
        with frozen(at), transaction.atomic():
            if clocks:
                sla_refresh(ticket=Ticket(pk=self.ticket_id), at=at)
            if promises:
                done = promise_sweep(at=at)
                self.counts["progress_updates"] += done["updates"]
                self._agent_considers(at)
                if self.redate_at is not None and self.redate_at <= at:
                    self._redate(at)
            mark_sent(self.ticket_id)

    # --- the agent and the promise ------------------------------------------------------
    def after_step(self, step) -> None:
        """On the SiCepat/Medan incident the agents know the hub needs days to clear: right
        after telling the customer so, they move the promised date, saying why."""
        if (self.spec.incident and step.kind == "reply" and step.stage in ("ack", "hold") and self.redate_at is None
                and self.redates == 0 and self.rng.random() < 0.6):
            self.redate_at = _agent_time(self.rng, step.at)
            self.ahead = True

    def _resolves_at(self) -> dt.datetime | None:
        step = resolve_step(self.spec, self.next_step)
        return step.at if step else None

    def _agent_considers(self, at: dt.datetime) -> None:
        """A warned promise that the plan will not keep: re-date it (usually) or let it lapse."""
        promise = Promise.objects.filter(ticket_id=self.ticket_id).order_by("-made_at", "-id").first()
        if promise is None or promise.pk in self.decided or self.redate_at is not None:
            return
        if promise.status == PromiseStatus.ACTIVE and promise.warned:
            self.decided.add(promise.pk)
            solved = self._resolves_at()
            if solved is not None and solved <= promise.due_at:
                return  # it will be kept
            if self.redates < MAX_REDATES and self.rng.random() < P_REDATE[self.redates]:
                self.redate_at = _agent_time(self.rng, at)
        elif promise.status == PromiseStatus.BROKEN:
            self.decided.add(promise.pk)
            if self.redates < MAX_REDATES and self.rng.random() < P_REDATE_AFTER_BREAK:
                self.redate_at = _agent_time(self.rng, at)

    def _new_due(self, at: dt.datetime) -> dt.datetime:
        """17:00 WIB on a working day: after the planned solution, or a few days on."""
        solved = self._resolves_at()
        if self.ahead:
            base = at + dt.timedelta(days=self.rng.choice([2, 3]))
        elif solved is not None:
            base = solved + dt.timedelta(hours=2)
        else:
            base = at + dt.timedelta(days=self.rng.choice([1, 2, 2, 3]))
        base = max(base, at + dt.timedelta(hours=3))
        local = base.astimezone(cat.WIB)
        due = local.replace(hour=17, minute=0, second=0, microsecond=0)
        if due < local:
            due += dt.timedelta(days=1)
        if due.weekday() == 6:
            due += dt.timedelta(days=1)
        return due.astimezone(dt.UTC)

    def _redate(self, at: dt.datetime) -> None:
        self.redate_at = None
        ticket = Ticket.objects.select_related("assignee").get(pk=self.ticket_id)
        if STATUS_GROUP[Status(ticket.status)] == StatusGroup.RESOLVED:
            return
        work, waiting = self.spec.redate_reasons
        reason = waiting if ticket.status == Status.PENDING else work
        actor = ticket.assignee or self.agents[next(s.author for s in self.spec.steps if s.kind == "reply")]
        due = self._new_due(at)
        self.ahead = False
        try:
            promise_redate(ticket=ticket, actor=actor, due_at=due, reason=reason)
        except DomainError as exc:
            self.counts[f"redate_refused:{exc.code}"] += 1
            return
        self.redates += 1

    # --- remedies -------------------------------------------------------------------------
    def remedies(self, ticket: Ticket, remedies: list[RemedySpec]) -> None:
        order = Order.objects.get(external_id=self.spec.order.number)
        for spec in remedies:
            try:
                if spec.kind == "approve":
                    pending = Remedy.objects.filter(ticket=ticket, status=RemedyStatus.PENDING).order_by("id").first()
                    if pending is not None:
                        remedy_decide(remedy=pending, actor=self.agents[spec.by], approve=True)
                    continue
                remedy = remedy_apply(ticket=ticket, actor=self.agents[spec.by], kind=spec.kind, order=order,
                                      amount=spec.amount, note=spec.note)
                if remedy.status == RemedyStatus.PENDING and spec.approver:
                    remedy = remedy_decide(remedy=remedy, actor=self.agents[spec.approver], approve=True)
                if spec.kind == RemedyKind.VOUCHER and spec.voucher_code and remedy.voucher_code:
                    _seeded_voucher_code(remedy, spec.voucher_code)
            except DomainError as exc:
                self.counts[f"remedy_refused:{spec.kind}:{exc.code}"] += 1


def _seeded_voucher_code(remedy: Remedy, code: str) -> None:
    """The service draws voucher codes from ``secrets``; the demo must come out the same for
    the same seed, and the agent's reply already quotes the code. Use the planned code,
    everywhere the service wrote its own (the remedy, its message, its timeline row)."""
    old = remedy.voucher_code
    if old == code or Remedy.objects.filter(voucher_code=code).exists():
        return
    Remedy.objects.filter(pk=remedy.pk).update(voucher_code=code)
    if remedy.message_id:
        message = Message.objects.get(pk=remedy.message_id)
        Message.objects.filter(pk=message.pk).update(body_text=message.body_text.replace(old, code),
                                                     body_html=message.body_html.replace(old, code))
    for entry in TimelineEntry.objects.filter(ticket_id=remedy.ticket_id, kind=TimelineKind.REMEDY_APPLIED):
        if entry.data.get("remedy_id") == remedy.pk:
            # Seeding only, before anyone has seen the row (TimelineEntry.save refuses).
            TimelineEntry.objects.filter(pk=entry.pk).update(data={**entry.data, "voucher_code": code})
