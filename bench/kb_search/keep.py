"""Built databases kept between runs (``--keep DIR``): loading 100,000 articles takes minutes
(6 on SQLite, 20 on PostgreSQL here), a query trial takes seconds.

``DIR/kb_search-<n>.sqlite3`` is the SQLite file, ``DIR/pg-<n>/`` a PostgreSQL 15 cluster's data
directory (started on a free port for the run and stopped after it, by its postmaster's PID, but
not removed). A database whose load finished (a marker file beside it, written after a run that
loaded it) is reused: the run migrates it (new migrations apply to the loaded rows) and measures
only. Without the marker (first run, or a load that failed half-way) it is built again.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from bench.intake_vs_peer import pg


def sqlite_path(keep: Path, articles: int) -> Path:
    return keep / f"kb_search-{articles}.sqlite3"


def marker(keep: Path, db: str, articles: int) -> Path:
    return keep / f"{db}-{articles}.loaded"


class KeptCluster(pg.Cluster):
    """``pg.Cluster`` on a fixed data directory that outlives the run."""

    def __init__(self, keep: Path, articles: int) -> None:
        super().__init__()
        shutil.rmtree(self.tmp, ignore_errors=True)  # the parent's temp dir: not used
        keep.mkdir(parents=True, exist_ok=True)
        os.chmod(keep, 0o755)
        self.tmp = str(keep / f"pg-{articles}")
        Path(self.tmp).mkdir(exist_ok=True)
        shutil.chown(self.tmp, "postgres", "postgres")
        self.data = f"{self.tmp}/db"
        self.port = pg.free_port()

    def create_db(self, name: str) -> str:
        url = f"postgresql://postgres@127.0.0.1:{self.port}/{name}"
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                c.execute(f"CREATE DATABASE {name}")
        return url

    def drop_db(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")

    def stop(self) -> None:  # stop, keep the data directory
        if self.pid is not None:
            try:
                os.kill(self.pid, 2)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 60
            while os.path.exists(f"{self.data}/postmaster.pid") and time.monotonic() < deadline:
                time.sleep(0.05)
            self.pid = None
