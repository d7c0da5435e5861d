"""tanggap's SQLite backend queues write transactions on a file lock (tanggap/common/sqlite):
real processes on a database file, as gunicorn's workers and `tanggap worker` use it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "tanggap.settings"
import django
django.setup()
from django.db import connection, transaction

mode, value = sys.argv[1], sys.argv[2]
from django.db import connections
assert type(connections["default"]).__module__ == "tanggap.common.sqlite.base"
if mode == "hold":  # take the write lock, say so, keep it until a line arrives on stdin
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO t(v) VALUES (%s)", ["held"])
        print("locked", flush=True)
        sys.stdin.readline()
elif mode == "write":  # one write transaction, timed (after "go" on stdin if asked to wait)
    if value.startswith("wait:"):
        value = value[5:]
        print("ready", flush=True)
        sys.stdin.readline()
    t = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO t(v) VALUES (%s)", [value])
    print(f"{(time.perf_counter() - t) * 1000:.0f}", flush=True)
elif mode == "exclusive":  # django-tasks-db's kind of transaction (the worker's claims)
    from django_tasks_db.utils import exclusive_transaction
    connection.ensure_connection()  # open, as in a running worker (opening resets the mode to IMMEDIATE)
    print("ready", flush=True)
    with exclusive_transaction():
        with connection.cursor() as c:
            c.execute("INSERT INTO t(v) VALUES (%s)", [value])
    print("done", flush=True)
elif mode == "fail-then-wait":  # a transaction that fails, then stay alive holding nothing
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("INSERT INTO t(v) VALUES (%s)", ["rolled back"])
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    print("failed", flush=True)
    time.sleep(30)
'''


@pytest.fixture
def database(tmp_path):
    db = tmp_path / "db.sqlite3"
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    script = tmp_path / "writer.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "TANGGAP_VAR_DIR": str(tmp_path / "var"),
           "PYTHONPATH": str(ROOT)}
    started: list[subprocess.Popen] = []

    def start(*args) -> subprocess.Popen:
        p = subprocess.Popen([sys.executable, str(script), *args], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        started.append(p)
        return p

    def rows() -> list[str]:
        with sqlite3.connect(db) as c:
            return [r[0] for r in c.execute("SELECT v FROM t ORDER BY id")]

    yield start, rows, db
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait(10)
        p.stdout.close()
        p.stdin.close()


def test_a_writer_queues_behind_the_one_ahead_and_goes_when_it_commits(database):
    start, rows, db = database
    holder = start("hold", "-")
    assert holder.stdout.readline().strip() == "locked"
    writer = start("write", "wait:second")
    assert writer.stdout.readline().strip() == "ready"  # started (Django set up), not yet writing
    writer.stdin.write("go\n")
    writer.stdin.flush()
    time.sleep(1.0)
    assert writer.poll() is None and rows() == []  # queued behind the holder; nothing committed
    holder.stdin.write("commit\n")
    holder.stdin.flush()
    released = time.monotonic()
    assert holder.wait(20) == 0
    ms = int(writer.stdout.readline())
    assert writer.wait(20) == 0
    assert ms >= 900  # its transaction waited for the holder's
    assert time.monotonic() - released < 10  # and went once the holder committed
    assert rows() == ["held", "second"]
    assert Path(f"{db}.writelock").exists()


def test_a_writer_killed_while_holding_the_lock_blocks_no_one(database):
    start, rows, _ = database
    holder = start("hold", "-")
    assert holder.stdout.readline().strip() == "locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    t = time.monotonic()
    writer = start("write", "after the crash")
    assert writer.wait(20) == 0
    assert time.monotonic() - t < 15
    assert rows() == ["after the crash"]  # the killed transaction left nothing


def test_a_failed_transaction_lets_the_next_writer_in(database):
    start, rows, _ = database
    failed = start("fail-then-wait", "-")
    assert failed.stdout.readline().strip() == "failed"  # still running, its transaction rolled back
    writer = start("write", "next")
    assert writer.wait(20) == 0
    assert int(writer.stdout.readline()) < 5000
    assert rows() == ["next"]


def test_the_task_workers_exclusive_transactions_queue_on_the_same_lock(database):
    """django-tasks-db claims jobs in EXCLUSIVE transactions (every poll of an idle worker): they
    wait in the same queue as every other write instead of napping in SQLite's busy handler."""
    import fcntl

    start, rows, db = database
    with open(f"{db}.writelock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the queue's turn is taken (SQLite's own lock is free)
        writer = start("exclusive", "claimed")
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(1.0)
        assert writer.poll() is None and rows() == []  # waiting for its turn
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert writer.stdout.readline().strip() == "done"
    assert writer.wait(20) == 0
    assert rows() == ["claimed"]
