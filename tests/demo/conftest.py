"""The demo store, generated once for every test in tests/demo (inside a transaction rolled
back at the end)."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.db import transaction

SEED = 1


@pytest.fixture(scope="package")
def demo(request, django_db_setup, django_db_blocker):
    from tanggap.demo.generate import generate

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.perf_counter()
        counts = generate(seed=SEED, now=now)
        seconds = time.perf_counter() - started
        reporter = request.config.pluginmanager.getplugin("terminalreporter")
        line = f"demo generate(seed={SEED}): {seconds:.1f} s - {counts}"
        if reporter:
            reporter.write_line("\n" + line)
        yield SimpleNamespace(counts=counts, now=now, seconds=seconds, seed=SEED)
        transaction.set_rollback(True)
