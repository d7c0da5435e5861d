"""A throw-away PostgreSQL 15 cluster on 127.0.0.1 (../shared/RECIPES.md, recipe 1): initdb as
the postgres user into a temp dir, start on a free port, stop by the postmaster's PID."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PGBIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True)


class Cluster:
    def __init__(self) -> None:
        if not (PGBIN / "initdb").exists():
            raise RuntimeError(f"no PostgreSQL at {PGBIN} (apt-get install -y postgresql)")
        self.tmp = tempfile.mkdtemp(prefix="bench-pg-")
        shutil.chown(self.tmp, "postgres", "postgres")
        self.data = f"{self.tmp}/db"
        self.port = free_port()
        self.pid: int | None = None

    def start(self) -> "Cluster":
        if not Path(self.data, "PG_VERSION").exists():  # a kept data directory (bench.kb_search --keep) is reused
            _as_postgres(str(PGBIN / "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync")
        # Same settings as the test recipe: durability off on a throw-away cluster, for both products alike.
        # max_connections: 2 products x workers x threads stay well below it.
        _as_postgres(str(PGBIN / "pg_ctl"), "-D", self.data, "-l", f"{self.tmp}/log", "-w", "start", "-o",
                     f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off"
                     " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        with open(f"{self.data}/postmaster.pid") as f:
            self.pid = int(f.readline())
        return self

    def create_db(self, name: str) -> str:
        _as_postgres(str(PGBIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-qc",
                     f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, 2)  # SIGINT: fast shutdown of the postmaster, by PID
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 30
            while os.path.exists(f"{self.data}/postmaster.pid") and time.monotonic() < deadline:
                time.sleep(0.05)
            self.pid = None
        shutil.rmtree(self.tmp, ignore_errors=True)
