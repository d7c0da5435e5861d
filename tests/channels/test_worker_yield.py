"""`tanggap worker` gives way to intake during a burst and catches up after
(tanggap/channels/pressure.py, docs/operations.md "The worker during a burst").

Messages are accepted through the API with `Prefer: respond-async` (payload and job stored, 202),
and the worker's loop is stepped one job at a time on a frozen clock that the test moves, so
"accepted per second" is exact. Each test accepts one message before the worker's first look:
the rate is read from the growth of the newest payload id, and an empty table has none. Real SQLite / PostgreSQL, real jobs, real receiving."""

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from tanggap.channels.models import InboundRaw
from tanggap.channels.pressure import IntakePressure, YieldingWorker, yield_settings
from tanggap.conversations.models import Ticket

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}
START = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def accept(api, inbound_message):
    sent = []

    def accept(n: int) -> None:
        for _ in range(n):
            i = len(sent)
            r = api.post("/messages", inbound_message(external_id=f"burst-{i}", email=f"c{i}@example.co.id"), **ASYNC)
            assert r.status_code == 202
            sent.append(r.body["inbound_id"])

    accept.sent = sent
    return accept


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def make_worker(rate=5.0, max_seconds=60.0):
    return YieldingWorker(pressure=IntakePressure(rate=rate, max_seconds=max_seconds), queue_names=["*"],
                          interval=0, batch=False, backend_name="default", startup_delay=False, max_tasks=None,
                          worker_id="test-worker", excluded_queue_names=[])


def intake_jobs_waiting() -> int:
    return DBTaskResult.objects.ready().filter(task_path="tanggap.channels.tasks.process_inbound").count()


def drain(worker, limit=100) -> list[str]:
    steps = []
    for _ in range(limit):
        steps.append(worker.step())
        if steps[-1] != "ran":
            return steps
    return steps


def test_defers_intake_during_a_burst_keeps_other_jobs_running_and_catches_up_when_quiet(accept, clock):
    from tanggap.channels.tasks import sweep_inbound
    from tanggap.conversations.tasks import sweep_outbound

    accept(1)
    worker = make_worker(rate=5)
    assert drain(worker) == ["ran", "idle"]  # first look at the intake: nothing to measure yet
    accept(8)  # 8 accepted in one second: busy
    other = sweep_outbound.enqueue()
    same_work = sweep_inbound.enqueue()  # receives payloads too: it waits with the intake jobs
    clock.shift(1)
    assert worker.step() == "ran"  # the reply sweep is not held back ...
    assert DBTaskResult.objects.get(id=other.id).status == "SUCCESSFUL"
    assert worker.step() == "deferred"  # ... the intake jobs are
    assert (Ticket.objects.count(), intake_jobs_waiting()) == (1, 8)
    assert DBTaskResult.objects.get(id=same_work.id).status == "READY"
    accept(6)
    clock.shift(1)
    assert worker.step() == "deferred"  # still 6/s
    assert (Ticket.objects.count(), intake_jobs_waiting()) == (1, 14)
    clock.shift(1)  # nothing new for a second: quiet, so the worker catches up
    assert drain(worker) == ["ran"] * (14 + 1) + ["idle"]
    assert DBTaskResult.objects.get(id=same_work.id).status == "SUCCESSFUL"
    assert Ticket.objects.count() == InboundRaw.objects.filter(status="processed").count() == len(accept.sent) == 15


def test_under_a_sustained_burst_the_cap_makes_it_receive_anyway(accept, clock):
    accept(1)
    worker = make_worker(rate=5, max_seconds=3)
    drain(worker)
    history = []
    for second in range(1, 11):  # 10 s of 6 accepted per second, never quiet
        accept(6)
        clock.shift(1)
        done = 0
        while done < 4:  # the worker's pace: 4 a second
            if (step := worker.step()) != "ran":
                break
            done += 1
        history.append("received" if done else step)
    # 3 s of giving way, then 3 s of receiving whatever the rate, then giving way again
    assert history == ["deferred"] * 3 + ["received"] * 3 + ["deferred"] * 3 + ["received"]
    assert Ticket.objects.count() == 1 + 16  # 4 a second in each of the 4 receiving seconds
    clock.shift(1)
    drain(worker)
    assert Ticket.objects.count() == len(accept.sent) == 61  # nothing lost, nothing twice
    assert intake_jobs_waiting() == 0


def test_ordinary_traffic_and_turned_off_receive_at_once(accept, clock):
    accept(1)
    slow = make_worker(rate=5)
    drain(slow)
    accept(3)  # 3/s: below the threshold
    clock.shift(1)
    assert drain(slow) == ["ran"] * 3 + ["idle"]
    off = make_worker(rate=0)
    accept(50)
    clock.shift(1)
    assert drain(off) == ["ran"] * 50 + ["idle"]
    assert Ticket.objects.count() == 54


def test_settings(settings):
    assert yield_settings() == (20.0, 60.0)
    settings.TANGGAP_WORKER_YIELD_RATE = 0
    assert not IntakePressure.from_settings().enabled
    settings.TANGGAP_WORKER_YIELD_RATE = 100
    settings.TANGGAP_WORKER_YIELD_MAX_SECONDS = 15
    assert yield_settings() == (100.0, 15.0)


def test_the_loop_sleeps_outside_any_transaction_while_giving_way(accept, clock, monkeypatch):
    from django.db import connection

    from tanggap.channels import pressure

    monkeypatch.setattr(pressure, "close_old_connections", lambda: None)  # the test's own transaction
    depth = len(connection.atomic_blocks)
    sleeps = []

    def sleep(seconds):
        sleeps.append((seconds, len(connection.atomic_blocks) - depth, Ticket.objects.count()))
        clock.shift(1)  # and no new message in that second: quiet from the next check

    monkeypatch.setattr(pressure.time, "sleep", sleep)
    accept(1)
    worker = make_worker(rate=5)
    drain(worker)
    worker.max_tasks = 1 + 7
    accept(7)
    clock.shift(1)
    worker.run()  # defers, sleeps a check's length, sees quiet, receives the 7, stops at max_tasks
    assert sleeps == [(1.0, 0, 1)]
    assert Ticket.objects.count() == 8


def test_a_clock_set_back_never_leaves_intake_waiting(accept, clock):
    accept(1)
    worker = make_worker(rate=5, max_seconds=3)
    drain(worker)
    accept(8)
    clock.shift(1)
    assert worker.step() == "deferred"
    clock.shift(-3600)  # NTP sets the wall clock back an hour: the cap would never come
    assert drain(worker) == ["ran"] * 8 + ["idle"]
