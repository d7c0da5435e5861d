"""Crash safety (issue 5): 10,000 messages while the web server and the worker are killed
with SIGKILL at random moments and started again; clients retry on failure. Afterwards every
message is stored exactly once, on its ticket, and every queued outbound message reached the
provider stand-in exactly once. ``tests/crash/harness.py`` says how the run is built;
``TANGGAP_CRASH_MESSAGES`` sets the count (default 10,000), ``TANGGAP_CRASH_SEED`` the seed.

It starts its own processes on a database of its own: a SQLite file in the SQLite run; in the
PostgreSQL run (it asks for ``django_db_setup`` so ``tests/conftest.py`` keeps it there) a new
database on that run's cluster, but only with ``TANGGAP_CRASH_PG=1``: the PostgreSQL run is
already the longer of the two, and this test would add minutes to it. By hand:
``python -m tests.pgcluster -- .venv/bin/python -m tests.crash.harness --postgres``.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from tests.crash import harness

MESSAGES = int(os.environ.get("TANGGAP_CRASH_MESSAGES", "10000"))
SEED = int(os.environ.get("TANGGAP_CRASH_SEED", "5"))


@pytest.mark.crash
@pytest.mark.servers
@pytest.mark.timeout(3600)  # 10-15 min here; clients give up after a 5-minute stall
def test_sigkill_of_web_and_worker_loses_and_duplicates_nothing(tmp_path, django_db_setup, settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        if os.environ.get("TANGGAP_CRASH_PG") != "1":
            pytest.skip("on PostgreSQL only with TANGGAP_CRASH_PG=1 (the SQLite run runs it)")
        with harness.postgres_database(os.environ["DATABASE_URL"]) as db_url:
            report = harness.run(workdir=tmp_path, messages=MESSAGES, seed=SEED, db_url=db_url)
    else:
        report = harness.run(workdir=tmp_path, messages=MESSAGES, seed=SEED)
    print("\n" + harness.summary(report))
    stored, provider = report["stored"], report["provider"]

    # The run really crashed things, and the clients had to retry.
    assert report["kills_web"] > 0 and report["kills_worker"] > 0, report["kill_times"]
    assert report["client_errors"] == []
    assert report["answered"] == MESSAGES
    assert report["first_try_not_created"] == 0  # "already stored" only ever answers a retry

    # Every message stored exactly once, on the ticket its answer named.
    assert stored["inbound"] == MESSAGES
    counts = Counter(stored["inbound_external_ids"])
    assert [ext for ext, n in counts.items() if n > 1] == []
    assert set(counts) == set(report["expected_ids"])
    assert stored["inbound_without_ticket"] == 0
    assert stored["ticket_of"] == report["client_tickets"]
    # One conversation per customer (chat-like threading), each opened once.
    assert stored["tickets"] == stored["tickets_with_inbound"] == report["customers"]
    # Every payload that reached the database was processed (the sweep took those a kill left).
    assert set(stored["raw_by_status"]) == {"processed"}, stored["raw_by_status"]

    # Every ticket queued one acknowledgement, and each went out exactly once.
    outbound = stored["outbound"]
    acks = Counter(m["ticket"] for m in outbound if m["purpose"] == "acknowledgement")
    assert len(acks) == stored["tickets"] and set(acks.values()) == {1}
    assert {m["status"] for m in outbound} == {"sent"}
    assert provider["without_key"] == 0 and provider["body_mismatch"] == 0
    assert provider["unique"] == len(outbound)
    assert set(report["provider_ids"]) == {m["key"] for m in outbound}
    # what the database says the provider answered is the provider's id for that message
    assert {m["key"]: m["provider_id"] for m in outbound} == report["provider_ids"]
