"""The worker gives way to intake during a burst, and catches up after.

Receiving a queued message (``process_inbound``: customer, ticket, timeline, SLA clocks,
promises) costs the worker far more than accepting it costs the web (docs/benchmarks.md), and
on SQLite it does so inside a write transaction that holds the database's one writer lock. While
messages pour in, that work competes with the accept path for the lock and the CPU. Nothing is
gained by receiving a message a few seconds after its 202 rather than a minute after: the payload
and its job are stored in one transaction, and the ticket's clocks count from the payload's
arrival (``InboundRaw.received_at``), not from when the worker got to it.

So ``tanggap worker`` measures the intake rate, cheaply and the same way for every web process on
every machine: the growth of the newest ``channels_inboundraw`` id per second (``MAX(id)`` reads
the primary key's index; one query a second, outside any transaction). While the rate is at or
above ``TANGGAP_WORKER_YIELD_RATE`` it leaves the intake jobs (``INTAKE_TASKS``) queued and keeps
running every other job (replies to deliver, sweeps, IMAP); between checks it sleeps, holding no
lock and no transaction. It never starves: after ``TANGGAP_WORKER_YIELD_MAX_SECONDS`` of deferral
in a row it receives for as long again whatever the rate, so a sustained overload still gets at
least half the worker's time. Either setting at 0 turns yielding off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Max
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger(__name__)

# The jobs that receive accepted payloads: deferred together (the sweep does the same work for
# payloads whose job went missing, so it waits too; its jobs are not lost, just later).
INTAKE_TASKS = ("tanggap.channels.tasks.process_inbound", "tanggap.channels.tasks.sweep_inbound")

DEFAULT_RATE = 20.0  # accepted messages per second: far above a helpdesk's ordinary traffic
DEFAULT_MAX_SECONDS = 60.0  # the inbound sweep's own grace period


def _setting(name: str, default: float) -> float:
    return max(0.0, float(getattr(settings, name, default)))


def yield_settings() -> tuple[float, float]:
    """``(rate, max_seconds)`` from settings (read from the environment there), else the defaults."""
    return (_setting("TANGGAP_WORKER_YIELD_RATE", DEFAULT_RATE),
            _setting("TANGGAP_WORKER_YIELD_MAX_SECONDS", DEFAULT_MAX_SECONDS))


def _wall_clock() -> float:
    return time.time()  # looked up at each call (tests move it with time-machine)


def newest_inbound_id() -> int:
    from tanggap.channels.models import InboundRaw

    return InboundRaw.objects.aggregate(newest=Max("id"))["newest"] or 0


class IntakePressure:
    """Decides, at most once per ``check_seconds``, whether intake jobs wait.

    ``rate``: accepted messages per second at or above which intake counts as busy (0: never).
    ``max_seconds``: the longest deferral in a row; then the worker receives for as long again.
    """

    def __init__(self, *, rate: float, max_seconds: float, check_seconds: float = 1.0,
                 clock: Callable[[], float] = _wall_clock, sample: Callable[[], int] = newest_inbound_id):
        self.rate = rate
        self.max_seconds = max_seconds
        self.check_seconds = check_seconds
        self.clock = clock
        self.sample = sample
        self.enabled = rate > 0 and max_seconds > 0
        self.measured = 0.0  # accepted/s over the last check
        self.deferring_since: float | None = None
        self.catch_up_until = 0.0
        self._last: tuple[float, int] | None = None

    @classmethod
    def from_settings(cls, **kwargs) -> IntakePressure:
        rate, max_seconds = yield_settings()
        return cls(rate=rate, max_seconds=max_seconds, **kwargs)

    def _measure(self, t: float) -> None:
        if self._last is not None and t - self._last[0] < self.check_seconds:
            return
        newest = self.sample()
        if self._last is not None and self._last[1]:  # from an empty table the first id says nothing
            self.measured = max(0, newest - self._last[1]) / (t - self._last[0])
        self._last = (t, newest)

    def defer(self) -> bool:
        """True while intake jobs should wait."""
        if not self.enabled:
            return False
        t = self.clock()
        if self._last is not None and t < self._last[0]:  # the wall clock was set back: start afresh
            self.measured, self.deferring_since, self.catch_up_until, self._last = 0.0, None, 0.0, None
        self._measure(t)
        if t < self.catch_up_until:
            return False
        if self.measured < self.rate:
            if self.deferring_since is not None:
                logger.info("intake quiet (%.0f/s): receiving the queued messages", self.measured)
            self.deferring_since = None
            return False
        if self.deferring_since is None:
            self.deferring_since = t
            logger.info("intake busy (%.0f/s): queued messages wait, at most %.0f s", self.measured, self.max_seconds)
        elif t - self.deferring_since >= self.max_seconds:
            self.deferring_since = None
            self.catch_up_until = t + self.max_seconds
            logger.warning("intake busy for %.0f s (%.0f/s): receiving for %.0f s before giving way again",
                           self.max_seconds, self.measured, self.max_seconds)
            return False
        return True


class YieldingWorker(Worker):
    """django-tasks' database worker, with intake jobs left queued while ``pressure`` says so.

    The claim (an exclusive transaction on SQLite, ``SELECT ... FOR UPDATE SKIP LOCKED``) and
    ``run_task`` are the library's; what differs is which jobs the claim may take."""

    def __init__(self, *, pressure: IntakePressure, **kwargs):
        super().__init__(**kwargs)
        self.pressure = pressure

    def _ready(self, deferring: bool):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        if deferring:
            tasks = tasks.exclude(task_path__in=INTAKE_TASKS)
        return tasks

    def step(self) -> str:
        """Claim and run one job: "ran", "idle" (nothing ready), "deferred" (only intake jobs, left
        queued) or "locked" (SQLite busy; try again)."""
        deferring = self.pressure.defer()
        tasks = self._ready(deferring)
        if deferring and not tasks.exists():  # a plain read: no write lock while intake is busy
            return "deferred"
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as e:
                if not is_locked_database_exception(e):
                    raise
                return "locked"
        if task_result is None:
            return "deferred" if deferring else "idle"
        self.run_task(task_result)
        return "ran"

    def run(self) -> None:
        logger.info("worker %s: intake yield %s", self.worker_id,
                    f"at {self.pressure.rate:g}/s, at most {self.pressure.max_seconds:g} s in a row"
                    if self.pressure.enabled else "off")
        while self.running:
            close_old_connections()
            did = self.step()
            close_old_connections()
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and did != "ran":
                time.sleep(self.pressure.check_seconds if did == "deferred" else self.interval)
