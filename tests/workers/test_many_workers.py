"""Several workers on PostgreSQL never take the same job twice: 4 real `tanggap worker`
processes drain 10,000 stored jobs; every job's side effect happens exactly once.

Only on PostgreSQL (the suite's SQLite test database is in memory, so other processes can't see
it; `.ci/run` runs the suite on both databases, so CI runs this one).
"""

import collections
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

JOBS = 10_000
WORKERS = 4
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: workers share the test database"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.servers,
]


def _worker_env(tmp_path: Path) -> dict:
    db = connection.settings_dict  # the test database pytest-django created
    url = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TANGGAP_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "tanggap.settings", "PYTHONPATH": str(ROOT)}


@pytest.mark.timeout(300)
def test_four_worker_processes_never_take_the_same_job_twice(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from tests.workers.jobs import record

    logs = tmp_path / "logs"
    logs.mkdir()
    started = time.monotonic()
    with transaction.atomic():
        for job in range(JOBS):
            record.enqueue(job, str(logs))
    enqueued = time.monotonic()

    env = _worker_env(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-m", "tanggap.cli", "worker", "--batch", "--interval", "0"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(WORKERS)]
    try:
        outputs = [proc.communicate(timeout=240)[0] for proc in procs]
    finally:
        for proc in procs:  # only if communicate timed out: stop what we started
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc, out in zip(procs, outputs):
        assert proc.returncode == 0, out[-3000:]
    drained = time.monotonic()

    seen = collections.Counter()
    by_worker = collections.Counter()
    for log in logs.iterdir():
        for line in log.read_text().splitlines():
            job, pid = line.split()
            seen[int(job)] += 1
            by_worker[pid] += 1
    twice = {job: n for job, n in seen.items() if n > 1}
    assert not twice, f"{len(twice)} jobs ran more than once, e.g. {list(twice.items())[:10]}"
    assert set(seen) == set(range(JOBS)), f"{JOBS - len(seen)} jobs never ran"
    assert len(by_worker) == WORKERS, f"not every worker took jobs: {dict(by_worker)}"

    results = DBTaskResult.objects.filter(task_path="tests.workers.jobs.record")
    assert results.count() == JOBS
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}
    claims = collections.Counter(len(ids) for ids in results.values_list("worker_ids", flat=True))
    assert claims == {1: JOBS}, f"claims per job: {dict(claims)}"
    print(f"\n{JOBS} jobs: enqueued in {enqueued - started:.1f}s, drained by {WORKERS} workers in "
          f"{drained - enqueued:.1f}s; per worker {sorted(by_worker.values())}")
