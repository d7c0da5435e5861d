"""tanggap under gunicorn with production-like settings (DEBUG off, a real secret key, INFO
logs off): ``POST /api/v1/messages`` with a bearer token from ``tanggap createadmin --token``.

``TanggapAsync`` posts the same with ``Prefer: respond-async``: the server stores the payload and
its job and answers 202; ``tanggap worker --nice 10`` (running during the load, on the same 2
cores, at a lower CPU priority than the web processes) opens the tickets. With its defaults the
worker gives way to intake while messages pour in (TANGGAP_WORKER_YIELD_RATE, at most
TANGGAP_WORKER_YIELD_MAX_SECONDS in a row: docs/operations.md) and catches up after. Its figures are the accepted rate and latency, and separately how fast the worker
turned the accepted messages into tickets (until the queue was empty)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from bench.intake_vs_peer.peer import _clean_env, count_rows, gunicorn_args


class Tanggap:
    name = "tanggap"

    def __init__(self, root: Path, src: Path | None = None, extra_env: dict | None = None) -> None:
        self.root = root
        self.extra_env = extra_env or {}
        self.src = (src or root).resolve()  # another source tree (a `git archive` of an older commit) for before/after
        self.cwd = self.src
        self.venv = root / ".venv"
        self.python = self.venv / "bin" / "python"

    def install(self) -> str:
        out = subprocess.run([str(self.python), "-c", "import importlib.metadata as m;"
                              "print(m.version('django'), m.version('django-ninja'), m.version('gunicorn'))"],
                             check=True, capture_output=True, text=True).stdout.split()
        where = "working tree" if self.src == self.root.resolve() else str(self.src)
        return f"tanggap ({where}), Django {out[0]}, django-ninja {out[1]}, gunicorn {out[2]}"

    def env(self, database_url: str, run_dir: Path) -> dict:
        return {**_clean_env(), "DJANGO_SETTINGS_MODULE": "tanggap.settings", "DATABASE_URL": database_url,
                "TANGGAP_DEBUG": "0", "TANGGAP_SECRET_KEY": "bench-" + os.urandom(24).hex(),
                "TANGGAP_VAR_DIR": str(run_dir), "TANGGAP_MEDIA_ROOT": str(run_dir / "media"),
                "TANGGAP_LOG_LEVEL": "WARNING", "PYTHONPATH": str(self.src),
                # Triage (issue 7) follows each new message as a job of its own; its first run trains the
                # sentiment model for minutes. django-helpdesk has nothing like it, so it is off here and
                # measured by bench/triage; what is compared is opening the ticket.
                "TANGGAP_TRIAGE": "0", **self.extra_env}

    def prepare(self, database_url: str, run_dir: Path) -> dict:
        env = self.env(database_url, run_dir)
        subprocess.run([str(self.python), "-m", "tanggap.cli", "migrate"], env=env, cwd=self.src, check=True,
                       capture_output=True)
        out = subprocess.run([str(self.python), "-m", "tanggap.cli", "createadmin", "--username", "bench",
                              "--password", "bench-password-123", "--token"], env=env, cwd=self.src, check=True,
                             capture_output=True, text=True).stdout
        token = re.search(r"API token: (\S+)", out).group(1)
        return {"env": env, "auth": f"Bearer {token}"}

    def server_cmd(self, port: int, workers: int, threads: int) -> list[str]:
        return [str(self.venv / "bin" / "gunicorn"), "tanggap.wsgi:application", *gunicorn_args(port, workers, threads)]

    def url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/api/v1/messages"

    def count_stored(self, database_url: str) -> int:
        return count_rows(database_url, "conversations_ticket")



class TanggapAsync(Tanggap):
    name = "tanggap-async"
    load_product = "tanggap"
    load_args = ["--prefer-async"]

    worker_nice = 10
    yield_rate: float | None = None  # None: the product's defaults (tanggap/channels/pressure.py)
    yield_max_seconds: float | None = None

    def worker_cmd(self) -> list[str]:
        # at a lower CPU priority (docs/operations.md): the web answers first, the queue catches up
        return [str(self.python), "-m", "tanggap.cli", "worker", "--interval", "0.2", "--nice", str(self.worker_nice)]

    def worker_env(self) -> dict:
        env = {}
        if self.yield_rate is not None:
            env["TANGGAP_WORKER_YIELD_RATE"] = f"{self.yield_rate:g}"
        if self.yield_max_seconds is not None:
            env["TANGGAP_WORKER_YIELD_MAX_SECONDS"] = f"{self.yield_max_seconds:g}"
        return env

    def wait_worker_started(self, database_url: str, proc, timeout: float = 60.0) -> float:
        """Seconds until the worker has started: its first pass of the schedule enqueued the periodic
        jobs and it ran them (about 2 s of CPU on a fresh database). A worker in production has long
        been running when a burst comes; starting it with the load put that CPU into the first
        seconds of the timed requests."""
        import time

        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout and proc.poll() is None:
            if (count_rows(database_url, "common_periodicjob") > 0
                    and count_rows(database_url, "django_tasks_database_dbtaskresult "
                                                 "WHERE status IN ('READY', 'RUNNING')") == 0):
                break
            time.sleep(0.25)
        return time.monotonic() - t0

    def pending(self, database_url: str) -> int:
        return count_rows(database_url, "channels_inboundraw WHERE status = 'received'")
