"""SLA clocks as a pure function of a ticket's history.

``evaluate(history, targets, spec, now)`` replays what happened to a ticket (its timeline:
opened, customer messages, replies, status changes) and returns every clock with how much
business time it has used, when it is due, whether it was met, and when it was breached.
Because the result depends only on the history, the policy and the calendar, evaluating
twice gives the same answer: event handlers and the periodic sweep can both call it.

The rules (docs/sla-and-promises.md says the same in prose):

- The ticket *runs* while its status is in the open group (new, open); it is *paused* while
  waiting on the customer or a third party (pending, on hold) and *stopped* while solved or
  closed. Clocks count business time only while the ticket runs.
- **First response**: from the moment a customer opens the ticket to the first reply written
  by a person (automatic messages do not count). Solving the ticket before any reply stops it
  without a hit or a miss, unless it had already been missed.
- **Next response**: from the oldest customer message the company has not answered (after the
  first response, or after the ticket was solved: a reopening message waits for an answer even
  if nobody had replied before) to the next reply written by a person. One clock per such message.
- **Resolution**: from the moment the ticket is opened until it is solved. Reopening resumes
  it: time while solved is not counted, time before solving still is.
- A clock is *breached* at the moment its used business time reaches the target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tanggap.sla.calendar import CalendarSpec, add_business_time, business_time_between

OPEN, PAUSED, RESOLVED = "open", "paused", "resolved"
ZERO = dt.timedelta(0)


@dataclass(frozen=True)
class Fact:
    at: dt.datetime
    kind: str  # "in" (customer message), "out" (reply by a person), "state" (status group change)
    message_id: int | None = None
    state: str = ""  # for "state": open | paused | resolved


@dataclass(frozen=True)
class Targets:
    first_response: dt.timedelta | None = None
    next_response: dt.timedelta | None = None
    resolution: dt.timedelta | None = None


@dataclass
class Clock:
    key: str
    kind: str
    started_at: dt.datetime
    target: dt.timedelta
    message_id: int | None = None
    used: dt.timedelta = ZERO
    status: str = "running"  # running | paused | met | missed | stopped
    due_at: dt.datetime | None = None
    met_at: dt.datetime | None = None
    breached_at: dt.datetime | None = None
    # (start, end) stretches in which this clock could run; end None = still going
    _stop: dt.datetime | None = field(default=None, repr=False)

    @property
    def remaining(self) -> dt.timedelta:
        return max(self.target - self.used, ZERO)


def _between(spec: CalendarSpec | None, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    if b <= a:
        return ZERO
    return b - a if spec is None else business_time_between(spec, a, b)


def _add(spec: CalendarSpec | None, a: dt.datetime, d: dt.timedelta) -> dt.datetime:
    return a + d if spec is None else add_business_time(spec, a, d)


def add_time(spec: CalendarSpec | None, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """Business-time addition, or plain addition for a 24/7 policy (no calendar)."""
    return _add(spec, start, duration)


def _open_intervals(created_at: dt.datetime, facts: list[Fact]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    intervals: list[tuple[dt.datetime, dt.datetime | None]] = []
    state, since = OPEN, created_at
    for fact in facts:
        if fact.kind != "state" or fact.state == state:
            continue
        if state == OPEN:
            intervals.append((since, fact.at))
        state, since = fact.state, fact.at
    if state == OPEN:
        intervals.append((since, None))
    return intervals


def _run(clock: Clock, intervals, spec, now: dt.datetime, ticket_state: str) -> None:
    """Count the clock over the ticket's open intervals between its start and stop."""
    start, stop = clock.started_at, clock._stop
    used = ZERO
    running_from: dt.datetime | None = None
    for a, b in intervals:
        a = max(a, start)
        end = b if b is not None else None
        if stop is not None:
            end = stop if end is None else min(end, stop)
        if end is not None and end <= a:
            continue
        if end is None:  # the stretch that is still going
            running_from = a
            break
        piece = _between(spec, a, end)
        if clock.breached_at is None and used + piece >= clock.target:
            clock.breached_at = _add(spec, a, clock.target - used)
        used += piece
    if running_from is not None:
        due = _add(spec, running_from, clock.target - used) if used < clock.target else None
        if clock.breached_at is None and due is not None and due <= now:
            clock.breached_at = due
        used += _between(spec, running_from, now)
        clock.due_at = due if clock.breached_at is None else clock.breached_at
        clock.status = "running"
    else:
        clock.due_at = None
        if stop is None and ticket_state == PAUSED:
            clock.status = "paused"
    clock.used = used
    if clock.met_at is not None:
        clock.status = "missed" if clock.breached_at is not None else "met"
        clock.due_at = None


def evaluate(*, created_at: dt.datetime, customer_initiated: bool, facts: list[Fact], targets: Targets,
             spec: CalendarSpec | None, now: dt.datetime) -> list[Clock]:
    facts = sorted((f for f in facts if f.at <= now), key=lambda f: f.at)
    intervals = _open_intervals(created_at, facts)
    state, resolved_since = OPEN, None
    for f in facts:
        if f.kind == "state":
            if f.state == RESOLVED and state != RESOLVED:
                resolved_since = f.at  # solved; closing it later (same group) is not a new solve
            state = f.state
    clocks: list[Clock] = []

    first: Clock | None = None
    if customer_initiated and targets.first_response:
        first = Clock(key="first_response", kind="first_response", started_at=created_at, target=targets.first_response)
        clocks.append(first)
    resolution: Clock | None = None
    if targets.resolution:
        resolution = Clock(key="resolution", kind="resolution", started_at=created_at, target=targets.resolution)
        clocks.append(resolution)

    answered_once = not customer_initiated  # company-initiated: every customer message awaits a next response
    waiting: Clock | None = None  # the next-response clock of the oldest unanswered message
    waiting_since_any = False
    for f in facts:
        if f.kind == "out":
            if first is not None and first.met_at is None and first._stop is None:
                first.met_at = first._stop = f.at
            if waiting is not None:
                waiting.met_at = waiting._stop = f.at
                waiting = None
            waiting_since_any = False
            answered_once = True
        elif f.kind == "in":
            if not answered_once or waiting_since_any:
                continue  # covered by the first response, or an older message is already waiting
            waiting_since_any = True
            if targets.next_response:
                waiting = Clock(key=f"next_response:{f.message_id}", kind="next_response", started_at=f.at,
                                target=targets.next_response, message_id=f.message_id)
                clocks.append(waiting)
        elif f.kind == "state" and f.state == RESOLVED:
            # Solving stops the response clocks: nobody is waiting for an answer any more.
            if first is not None and first.met_at is None and first._stop is None:
                first._stop = f.at
            if waiting is not None:
                waiting._stop = f.at
                waiting = None
            waiting_since_any = False
            # A customer who writes again after this (reopening) waits for a next response,
            # even when the first response was stopped before anyone answered.
            answered_once = True
    if resolution is not None and state == RESOLVED:
        resolution.met_at = resolved_since

    for clock in clocks:
        _run(clock, intervals, spec, now, state)
        if clock.met_at is None and clock._stop is not None:
            # stopped by solving without an answer: a miss if it was already breached
            clock.status = "missed" if clock.breached_at is not None else "stopped"
            clock.due_at = None
    return clocks
