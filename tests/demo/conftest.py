"""The demo store, generated once for every test in tests/demo (inside a transaction rolled
back at the end)."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.db import transaction

SEED = 1

# The first test of this package pays for generating the whole store (about 60 s on SQLite and
# 80 s on PostgreSQL on an idle machine, more in CI beside the other run). pytest-timeout counts
# fixture setup in the test that triggers it, so every test here gets a budget that fits a
# generation on a busy machine. (A 300 s timeout here in CI was a slow query plan, not generation:
# see generate._analyze.)
DEMO_TIMEOUT = 900


def pytest_collection_modifyitems(items):
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.timeout(DEMO_TIMEOUT))


def demo_now() -> dt.datetime:
    """The demo's "now" for tests: the latest working Tuesday, 14:00 in Jakarta, before today.
    The demo itself loads at the real time; tests pin the time of day and weekday so that
    what they assert about open clocks (some breached, most running, spread out) does not
    depend on when CI happens to run (a load at night bunches deadlines at the next opening)."""
    import holidays

    day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    while day.weekday() != 1 or day in holidays.country_holidays("ID", years=day.year, categories=("public", "government")):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)  # 14:00 WIB


@pytest.fixture(scope="package")
def demo(request, django_db_setup, django_db_blocker):
    from tanggap.demo.generate import generate

    from django.db import connection

    now = demo_now()
    with django_db_blocker.unblock(), transaction.atomic():
        if connection.vendor == "postgresql":
            # Check foreign keys as rows go in. Deferred, PostgreSQL queues a check per inserted
            # row for the end of the transaction, and every test's teardown (SET CONSTRAINTS ALL
            # IMMEDIATE) walks that queue of tens of thousands of rows and savepoints: minutes
            # of CPU per test in this package-long transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        counts = generate(seed=SEED, now=now)
        seconds = time.perf_counter() - started
        reporter = request.config.pluginmanager.getplugin("terminalreporter")
        line = f"demo generate(seed={SEED}): {seconds:.1f} s - {counts}"
        if reporter:
            reporter.write_line("\n" + line)
        yield SimpleNamespace(counts=counts, now=now, seconds=seconds, seed=SEED)
        transaction.set_rollback(True)
