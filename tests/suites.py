"""Run the test suite on SQLite and on PostgreSQL at the same time (what `make test` does).

    python -m tests.suites [pytest args...]

Two pytest processes: one on SQLite (the default database), one on a throw-away PostgreSQL
cluster (`tests/pgcluster.py`, started before and stopped after that run, also on failure).
Each gets its own temp dir (pytest's --basetemp, TANGGAP_VAR_DIR, Playwright's output dir) so
they never share a file, and every server a test starts takes a free port on 127.0.0.1.

Every output line is prefixed with the database it comes from ("[sqlite] ", "[postgres] ");
the end prints one verdict per database. The exit status is non-zero if either run failed.
TANGGAP_TEST_DBS=sqlite (or postgres) runs only one of them.

The whole suite (no pytest arguments) runs the crash-safety test (``-m crash``, about 6 minutes
of mostly CPU-bound work) as a third process of its own ("[crash] "), started with the other two,
instead of inside the SQLite run: the SQLite run was the longer of the two by about as much as
that test takes, so for its last minutes one core sat idle. TANGGAP_CRASH_SEPARATE=0 keeps it
in the SQLite run. With pytest arguments nothing is split.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL", "crash": "SQLite crash test"}
CRASH_TESTS = "tests/crash"


def _command(db: str, tmp: str, args: list[str]) -> list[str]:
    # The slowest tests of each run are listed at the end (where the suite's time goes, in CI too).
    pytest = [sys.executable, "-m", "pytest", f"--basetemp={tmp}/pytest", f"--output=test-results/{db}",
              "--durations=20", "--durations-min=5", *args]
    if db == "postgres":
        return [sys.executable, "-m", "tests.pgcluster", "--", *pytest]
    return pytest


def _runs(dbs: list[str], args: list[str]) -> dict[str, list[str]]:
    """The pytest arguments of each run: the crash test in a run of its own for the whole suite."""
    runs = {db: list(args) for db in dbs}
    if "sqlite" in runs and not args and os.environ.get("TANGGAP_CRASH_SEPARATE", "1") != "0":
        runs["sqlite"] = ["-m", "not crash"]
        runs["crash"] = ["-m", "crash", CRASH_TESTS]
    return runs


def _pump(db: str, stream, lock: threading.Lock) -> None:
    prefix = f"[{db}] "
    for line in stream:
        with lock:
            sys.stdout.write(prefix + line)
            sys.stdout.flush()


def main(args: list[str]) -> int:
    dbs = [d.strip() for d in os.environ.get("TANGGAP_TEST_DBS", "sqlite,postgres").split(",") if d.strip()]
    unknown = set(dbs) - set(LABELS)
    if unknown:
        print(f"TANGGAP_TEST_DBS: unknown database(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    lock, runs = threading.Lock(), {}
    run_args = _runs(dbs, args)
    tmps = {db: tempfile.mkdtemp(prefix=f"tanggap-test-{db}-") for db in run_args}
    try:
        for db, db_args in run_args.items():
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update(TANGGAP_VAR_DIR=f"{tmps[db]}/var", PYTHONUNBUFFERED="1")
            proc = subprocess.Popen(_command(db, tmps[db], db_args), env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, bufsize=1)
            pump = threading.Thread(target=_pump, args=(db, proc.stdout, lock), daemon=True)
            pump.start()
            runs[db] = (proc, pump, time.monotonic())
        results = {}
        by_pid = {proc.pid: db for db, (proc, _, _) in runs.items()}
        while by_pid:
            # whichever ends first (its wall time is its own, not the wait for an earlier one),
            # like proc.wait(), plus the CPU time it used
            pid, status, usage = os.wait4(-1, 0)
            if pid not in by_pid:
                continue
            db = by_pid.pop(pid)
            proc, pump, started = runs[db]
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            if db in ("postgres", "crash") and code == 5:  # pytest: no tests ran (e.g. no database test)
                code = 0
            pump.join()
            results[db] = (code, time.monotonic() - started, usage.ru_utime + usage.ru_stime)
        results = {db: results[db] for db in runs}
    except KeyboardInterrupt:
        for proc, _, _ in runs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc, _, _ in runs.values():
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
        return 130
    finally:
        for tmp in tmps.values():
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    for db, (code, seconds, cpu) in results.items():
        verdict = "passed" if code == 0 else f"FAILED (exit status {code})"
        name = LABELS[db] if db == "crash" else f"{LABELS[db]} suite"
        print(f"{name}: {verdict} in {seconds:.0f} s ({cpu:.0f} s CPU in the test processes)")
    failed = [LABELS[db] for db, (code, _, _) in results.items() if code != 0]
    if failed:
        print(f"Test suite failed on: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
