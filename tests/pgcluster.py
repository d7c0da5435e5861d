"""A throw-away PostgreSQL 15 cluster for the test suite (Debian's `postgresql` package).

    python -m tests.pgcluster -- pytest -q tests/api

initdb's a cluster in a temp dir (as the `postgres` user: initdb refuses root), starts it on
127.0.0.1 on a free port with the Unix socket in that dir, creates the role `tanggap` (CREATEDB,
so pytest-django can create `test_tanggap`), runs the command with DATABASE_URL pointing at it,
and stops the postmaster by its PID and removes the dir afterwards: also when the command fails,
is interrupted (Ctrl-C) or is sent SIGTERM. The command's exit status is returned.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

PGBIN = os.environ.get("TANGGAP_PGBIN", "/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    run = subprocess.run([*prefix, *cmd], capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stdout}{run.stderr}")


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh cluster; stop and remove it on exit."""
    tmp = tempfile.mkdtemp(prefix="tanggap-pg-")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    data, pid = f"{tmp}/db", None
    try:
        _as_postgres(f"{PGBIN}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
                     "--locale", "C.UTF-8")
        for attempt in range(5):  # the free port may be taken by someone else before postgres binds it
            port = _free_port()
            try:
                _as_postgres(f"{PGBIN}/pg_ctl", "-D", data, "-l", f"{tmp}/log", "-w", "start", "-o",
                             f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off "
                             "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
                break
            except RuntimeError:
                if attempt == 4:
                    raise
        with open(f"{data}/postmaster.pid") as fh:
            pid = int(fh.readline())
        _as_postgres(f"{PGBIN}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc",
                     "CREATE USER tanggap PASSWORD 'tanggap' CREATEDB",
                     "-c", "CREATE DATABASE tanggap OWNER tanggap")
        yield f"postgresql://tanggap:tanggap@127.0.0.1:{port}/tanggap"
    finally:
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)  # "fast" shutdown of the postmaster we started
            deadline = time.monotonic() + 30
            while os.path.exists(f"{data}/postmaster.pid") and time.monotonic() < deadline:
                time.sleep(0.05)
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2

    def _terminate(signum, frame):  # turn SIGTERM into an exception so the cluster is stopped
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    with cluster() as url:
        proc = subprocess.Popen(argv, env={**os.environ, "DATABASE_URL": url})
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
