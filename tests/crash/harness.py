"""The crash-safety run: real processes, SIGKILL at random moments, clients that retry.

    python -m tests.crash.harness [--messages N] [--seed S] [--db-url URL]   # by hand, prints the report

What runs, all on 127.0.0.1 on free ports, each in a process group of its own:

* the web server as production runs it: ``tanggap serve`` (gunicorn, 2 processes × 4 threads);
* the background worker: ``tanggap worker`` (django-tasks' db_worker plus the schedule);
* a provider stand-in (``Provider``, in this process) for the WhatsApp channel's replies: it
  dedupes by the ``Idempotency-Key`` header, as real providers do, and counts raw attempts and
  unique deliveries;
* client threads sending N WhatsApp messages, half as signed webhooks
  (``/api/v1/channels/whatsapp/webhook``), half through ``POST /api/v1/messages``, each with its
  external id. On a connection error, a timeout or a 5xx a client sends the same request again
  (same external id) until it gets an answer;
* a killer thread (seeded ``random.Random``) that SIGKILLs the web server, the worker or both
  at random moments and starts them again.

Every new ticket gets an automatic acknowledgement (the SLA policy's ``acknowledge``), queued
for the worker, which posts it to the stand-in. After the last message: the worker drains the
queue, then ``dbtool recover`` runs the worker once with the clock 11 minutes ahead (the sweeps
that pick up what a killed process left behind), and ``dbtool inspect`` reports what is stored.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.fixtures.net import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-webhook-secret"
SEND_PATH = "/v17.0/1234567890/messages"
# the webhook's verification handshake: cheap, and answered only by a server that reaches the database
READY_PATH = "/api/v1/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=crash-verify&hub.challenge=ready"


# --- the provider stand-in -----------------------------------------------------------------


class Provider:
    """Accepts a message, records it, then answers after ``delay`` seconds: a worker killed in
    that window never hears the answer and sends the message again with the same key."""

    def __init__(self, delay: float = 0.005) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.attempts = 0
        self.unique: dict[str, dict[str, Any]] = {}  # key -> {"id", "body", "count"}
        self.without_key = 0
        self.body_mismatch = 0
        self.httpd = _QuietServer(("127.0.0.1", 0), _ProviderHandler)
        self.httpd.provider = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{SEND_PATH}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       name="provider", daemon=True)

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def accept(self, key: str, body: bytes) -> str:
        with self.lock:
            self.attempts += 1
            if not key:  # nothing to dedupe by: every attempt is a delivery
                self.without_key += 1
                key = f"(no key #{self.attempts})"
            seen = self.unique.get(key)
            if seen is not None:
                seen["count"] += 1
                if seen["body"] != body:
                    self.body_mismatch += 1
                return seen["id"]  # the first answer again, nothing delivered twice
            provider_id = f"wamid.out.{len(self.unique) + 1}"
            self.unique[key] = {"id": provider_id, "body": body, "count": 1}
            return provider_id

    def figures(self) -> dict[str, int]:
        with self.lock:
            return {"attempts": self.attempts, "unique": len(self.unique),
                    "duplicates_absorbed": self.attempts - len(self.unique), "without_key": self.without_key,
                    "body_mismatch": self.body_mismatch}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a killed worker's socket
            super().handle_error(request, client_address)


class _ProviderHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != SEND_PATH or self.headers.get("Authorization") != "Bearer crash-send-token":
            self._answer(404, {"error": {"message": "unknown path or token"}})
            return
        provider = self.server.provider
        provider_id = provider.accept(self.headers.get("Idempotency-Key", ""), body)
        time.sleep(provider.delay)
        self._answer(200, {"messaging_product": "whatsapp", "messages": [{"id": provider_id}]})

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the worker was killed while waiting: it never hears the answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the live processes of a process group (Linux /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "(comm)": state, ppid, pgrp, ..., utime(11), stime(12)
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# --- the processes --------------------------------------------------------------------------


class Proc:
    """One tanggap process in its own process group, so SIGKILL takes its children too."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.name, self.argv, self.env, self.log, self.port = name, argv, env, log, port
        self.popen: subprocess.Popen | None = None
        self.starts = 0
        self.dead = False
        self.cpu_seconds = 0.0  # used by every incarnation, counted just before each kill or stop

    def start(self) -> None:
        with open(self.log, "ab") as out:
            out.write(f"\n=== start {self.starts + 1} at {time.time():.3f}\n".encode())
            self.popen = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        self.starts += 1
        self.dead = False

    def kill(self, count: bool = True) -> None:
        if self.popen is None or self.dead:
            return
        if count:
            self.cpu_seconds += _group_cpu(self.popen.pid)
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        # gunicorn's workers may outlive the master by a moment: wait for the whole group
        for _ in range(200):
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                break
            os.killpg(self.popen.pid, signal.SIGKILL)
            time.sleep(0.01)
        self.dead = True

    def stop(self) -> None:
        """SIGTERM (a graceful stop), SIGKILL if it does not go."""
        if self.popen is None or self.dead or self.popen.poll() is not None:
            self.kill()
            return
        self.cpu_seconds += _group_cpu(self.popen.pid)
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(20)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            pass
        self.kill(count=False)

    def wait_ready(self, timeout: float = 60) -> None:
        if self.port is None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; see {self.log}")
            try:
                # A refused connection (not bound yet) fails at once; once gunicorn has bound the
                # port, the request waits in the backlog until a worker answers it.
                if httpx.get(f"http://127.0.0.1:{self.port}{READY_PATH}", timeout=30).text == "ready":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} not answering on port {self.port} after {timeout:g}s; see {self.log}")


# --- the clients ----------------------------------------------------------------------------


@dataclass
class ClientFigures:
    sent: int = 0  # messages answered 2xx
    requests: int = 0  # HTTP attempts, retries included
    retries: int = 0  # attempts after a connection error, timeout or 5xx
    retried_messages: int = 0
    repeats_answered: int = 0  # a retry answered "already stored" (created: false)
    first_try_not_created: int = 0  # must stay 0: a first attempt cannot be a repeat
    errors: list[str] = field(default_factory=list)  # 4xx, or gave up
    ticket_of: dict[str, int] = field(default_factory=dict)


def message_plan(n: int, per_customer: int) -> list[tuple[int, int]]:
    """(customer, nth message of that customer) for every message."""
    return [(i // per_customer, i % per_customer) for i in range(n)]


def external_id(customer: int, nth: int) -> str:
    return f"wamid.crash.{customer:05d}.{nth}"


def _phone(customer: int) -> str:
    return f"62812{customer:08d}"


def _sign(body: bytes) -> str:
    """As the provider signs a webhook (and ``webhook.sign_body``): HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def _request(base: str, token: str, customer: int, nth: int) -> tuple[str, bytes, dict[str, str]]:
    ext = external_id(customer, nth)
    text = f"Pesanan #{customer} belum sampai, ini pesan ke-{nth + 1}."
    if (customer + nth) % 2 == 0:  # the provider's signed webhook
        body = json.dumps({
            "object": "whatsapp_business_account",
            "entry": [{"id": "crash-waba", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1234567890"},
                "contacts": [{"profile": {"name": f"Pelanggan {customer}"}, "wa_id": _phone(customer)}],
                "messages": [{"from": _phone(customer), "id": ext, "timestamp": str(int(time.time())),
                              "type": "text", "text": {"body": text}}]}}]}],
        }).encode()
        return (f"{base}/api/v1/channels/whatsapp/webhook", body,
                {"Content-Type": "application/json", "X-Hub-Signature-256": _sign(body)})
    body = json.dumps({"channel": "whatsapp", "external_id": ext,
                       "from": {"phone": _phone(customer), "name": f"Pelanggan {customer}"}, "body": text}).encode()
    return f"{base}/api/v1/messages", body, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}


STALL_SECONDS = 300  # clients give up when no message at all was answered for this long
BACKOFF_CAP = 0.25  # seconds between a client's attempts at most


def _client(base: str, token: str, work: list[tuple[int, int]], figures: ClientFigures, progress: list[float],
            abort: threading.Event) -> None:
    with httpx.Client(timeout=httpx.Timeout(60, connect=5)) as http:
        for customer, nth in work:
            if abort.is_set():
                return
            url, body, headers = _request(base, token, customer, nth)
            attempt = 0
            while True:
                attempt += 1
                figures.requests += 1
                if attempt > 1:
                    figures.retries += 1
                try:
                    response = http.post(url, content=body, headers=headers)
                except httpx.TransportError:  # refused (server down), reset (killed mid-request), timeout
                    response = None
                if response is not None and response.status_code < 500:
                    break
                if time.monotonic() - progress[0] > STALL_SECONDS or abort.is_set():
                    figures.errors.append(f"{external_id(customer, nth)}: gave up after {attempt} attempts")
                    return
                # Short back-off: a refused connection costs nothing, and a longer wait only
                # leaves the server idle after it is back (up to 1 s per kill with a 1 s cap).
                abort.wait(min(0.05 * 2 ** min(attempt, 3), BACKOFF_CAP) * random.uniform(0.5, 1.0))
            if attempt > 1:
                figures.retried_messages += 1
            if response.status_code >= 300:
                figures.errors.append(f"{external_id(customer, nth)}: {response.status_code} {response.text[:200]}")
                continue
            data = response.json()
            answer = data["messages"][0] if "messages" in data else data
            created = answer["created"]
            if not created:
                if attempt == 1:
                    figures.first_try_not_created += 1
                else:
                    figures.repeats_answered += 1
            figures.ticket_of[external_id(customer, nth)] = answer["ticket_id"]
            figures.sent += 1
            progress[0] = time.monotonic()


# --- the run --------------------------------------------------------------------------------


def _tanggap(*args: str) -> list[str]:
    return [sys.executable, "-m", "tanggap.cli", *args]


def _count(db_url: str, sql: str) -> int:
    if db_url.startswith("sqlite:///"):
        with sqlite3.connect(f"file:{db_url[len('sqlite:///'):]}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute(sql).fetchone()[0]


def _execute(db_url: str, sql: str) -> None:
    if db_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(db_url[len("sqlite:///"):], timeout=30)) as conn, conn:
            conn.execute(sql)
        return
    import psycopg

    with psycopg.connect(db_url) as conn:
        conn.execute(sql)


# the outbound sweep's next turn, moved to the past: the worker's scheduler runs it on its next tick
SWEEP_DUE_SQL = "UPDATE common_periodicjob SET next_run_at = '2000-01-01 00:00:00' WHERE name = 'sweep_outbound'"
QUEUED_SQL = "SELECT count(*) FROM conversations_message WHERE direction = 'out' AND delivery_status = 'queued'"
SENDING_SQL = "SELECT count(*) FROM conversations_message WHERE direction = 'out' AND delivery_status = 'sending'"


def run(*, workdir: Path, messages: int = 10_000, seed: int = 5, db_url: str | None = None, clients: int = 8,
        per_customer: int = 8, kill_gap: tuple[float, float] = (4.0, 14.0), kills: bool = True,
        log=print) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    db_url = db_url or f"sqlite:///{workdir / 'crash.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANGGAP_", "DATABASE_URL"))}
    env.update(DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="tanggap.settings", TANGGAP_VAR_DIR=str(workdir / "var"),
               TANGGAP_LOG_LEVEL="WARNING", TANGGAP_OUTBOUND_BACKOFF_SECONDS="1",
               TANGGAP_SECRET_KEY="crash-test-secret-key-not-for-production",
               # Triage (issue 7) would train its model and embed 10,000 messages in the worker: minutes
               # of CPU beside what this test is about. Off unless the caller turns it on.
               TANGGAP_TRIAGE=os.environ.get("TANGGAP_CRASH_TRIAGE", "0"),
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
    rng = random.Random(seed)
    provider = Provider().start()
    port = free_port()
    web = Proc("web", _tanggap("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                               "--threads", "4"), env, workdir / "web.log", port=port)
    worker = Proc("worker", _tanggap("worker"), env, workdir / "worker.log")
    procs = {"web": web, "worker": worker}
    report: dict[str, Any] = {"messages": messages, "seed": seed, "database": db_url.split(":", 1)[0],
                              "clients": clients, "customers": -(-messages // per_customer)}
    stop_killing, abort = threading.Event(), threading.Event()
    kill_log: list[tuple[float, str]] = []
    web_down: list[float] = []  # seconds from each kill of the web server until it answered again
    t0, cpu0 = time.monotonic(), time.process_time()
    try:
        setup = subprocess.run([sys.executable, "-m", "tests.crash.dbtool", "setup", provider.url, SECRET],
                               env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        if setup.returncode != 0:
            raise RuntimeError(f"setup failed:\n{setup.stdout}\n{setup.stderr}")
        token = json.loads(setup.stdout.strip().splitlines()[-1])["token"]
        web.start()
        worker.start()
        web.wait_ready()
        report["setup_seconds"] = round(time.monotonic() - t0, 1)

        first = rng.sample(["web", "worker"], 2)

        def killer() -> None:
            while not stop_killing.wait(rng.uniform(1.0, 4.0) if first else rng.uniform(*kill_gap)):
                # both kinds early on (a short run still kills each), then at random
                target = first.pop() if first else rng.choices(["web", "worker", "both"], weights=[2, 2, 1])[0]
                names = ["web", "worker"] if target == "both" else [target]
                killed_at = time.monotonic()
                for name in names:
                    procs[name].kill()
                kill_log.append((round(time.monotonic() - t0, 1), target))
                stop_killing.wait(rng.uniform(0.0, 0.5))  # down for a moment, then started again
                for name in names:
                    procs[name].start()
                try:
                    web.wait_ready()  # let some work through before the next kill
                except RuntimeError as exc:
                    log(f"killer: {exc}")
                if "web" in names:
                    web_down.append(time.monotonic() - killed_at)

        plan = message_plan(messages, per_customer)
        buckets: list[list[tuple[int, int]]] = [[] for _ in range(clients)]
        for customer, nth in plan:  # a customer's messages go in order through one client
            buckets[customer % clients].append((customer, nth))
        for bucket in buckets:
            bucket.sort(key=lambda cn: (cn[1], cn[0]))
        figures = [ClientFigures() for _ in range(clients)]
        started = time.monotonic()
        progress = [started]  # when any client last got an answer
        threads = [threading.Thread(target=_client, args=(f"http://127.0.0.1:{port}", token, bucket, fig, progress, abort),
                                    name=f"client-{i}") for i, (bucket, fig) in enumerate(zip(buckets, figures))]
        kill_thread = threading.Thread(target=killer, name="killer", daemon=True)
        for thread in threads:
            thread.start()
        if kills:
            kill_thread.start()
        last = time.monotonic()
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            if time.monotonic() - last > 15:
                last = time.monotonic()
                done = sum(f.sent for f in figures)
                log(f"  {time.monotonic() - started:6.0f}s  {done} messages answered, {len(kill_log)} kills")
        stop_killing.set()
        if kills:
            kill_thread.join(120)
        intake_seconds = time.monotonic() - started
        for name, proc in procs.items():  # the killer may have left one down for a moment
            if proc.popen is None or proc.popen.poll() is not None:
                proc.start()
        web.wait_ready()

        # The worker drains what is queued. A message whose delivery task a kill lost stays
        # queued until the outbound sweep (every 30 s) delivers it: the drain makes the sweep
        # due at once, and again every few seconds while anything is queued, instead of idling
        # up to 30 s for its next turn (the live worker's scheduler still runs it).
        drain_started = last_nudge = time.monotonic()
        _execute(db_url, SWEEP_DUE_SQL)
        while time.monotonic() - drain_started < 300 and _count(db_url, QUEUED_SQL) > 0:
            time.sleep(0.2)
            if time.monotonic() - last_nudge > 6:
                last_nudge = time.monotonic()
                _execute(db_url, SWEEP_DUE_SQL)
        report["drain_seconds"] = round(time.monotonic() - drain_started, 1)
        report["left_sending_by_kills"] = _count(db_url, SENDING_SQL)
        report["left_queued_after_drain"] = _count(db_url, QUEUED_SQL)
        stop_started = time.monotonic()
        stoppers = [threading.Thread(target=proc.stop, name=f"stop-{name}") for name, proc in procs.items()]
        for thread in stoppers:  # both at once: each may take seconds to stop gracefully
            thread.start()
        for thread in stoppers:
            thread.join()
        report["stop_seconds"] = round(time.monotonic() - stop_started, 1)
        recover_started = time.monotonic()
        recovered = subprocess.run([sys.executable, "-m", "tests.crash.dbtool", "recover"], env=env, cwd=ROOT,
                                   capture_output=True, text=True, timeout=600)
        if recovered.returncode != 0:
            raise RuntimeError(f"recover failed:\n{recovered.stdout[-3000:]}\n{recovered.stderr[-3000:]}")
        report["recover_seconds"] = round(time.monotonic() - recover_started, 1)
        inspect_started = time.monotonic()
        inspected = subprocess.run([sys.executable, "-m", "tests.crash.dbtool", "inspect"], env=env, cwd=ROOT,
                                   capture_output=True, text=True, timeout=300)
        if inspected.returncode != 0:
            raise RuntimeError(f"inspect failed:\n{inspected.stderr[-3000:]}")
        stored = json.loads(inspected.stdout)
        report["inspect_seconds"] = round(time.monotonic() - inspect_started, 1)

        kinds = Counter(target for _, target in kill_log)
        report.update(
            intake_seconds=round(intake_seconds, 1),
            intake_rate=round(messages / intake_seconds, 1),
            kills=len(kill_log), kills_web=kinds["web"] + kinds["both"], kills_worker=kinds["worker"] + kinds["both"],
            kill_times=kill_log,
            web_down_seconds=round(sum(web_down), 1),
            web_starts=web.starts, worker_starts=worker.starts,
            cpu_seconds={"web": round(web.cpu_seconds, 1), "worker": round(worker.cpu_seconds, 1),
                         "test_process": round(time.process_time() - cpu0, 1)},
            requests=sum(f.requests for f in figures), retries=sum(f.retries for f in figures),
            retried_messages=sum(f.retried_messages for f in figures),
            repeats_answered_created_false=sum(f.repeats_answered for f in figures),
            first_try_not_created=sum(f.first_try_not_created for f in figures),
            answered=sum(f.sent for f in figures),
            client_errors=[e for f in figures for e in f.errors],
            provider=provider.figures(),
            provider_counts=Counter(v["count"] for v in provider.unique.values()),
            stored=stored,
            expected_ids=[external_id(c, n) for c, n in plan],
            client_tickets={k: v for f in figures for k, v in f.ticket_of.items()},
            provider_ids={k: v["id"] for k, v in provider.unique.items()},
            total_seconds=round(time.monotonic() - t0, 1),
        )
        return report
    finally:
        stop_killing.set()
        abort.set()
        for proc in procs.values():
            proc.kill()
        provider.stop()


def summary(report: dict[str, Any]) -> str:
    stored, provider = report["stored"], report["provider"]
    outbound = stored["outbound"]
    return "\n".join([
        f"crash run ({report['database']}, seed {report['seed']}): {report['messages']} messages from "
        f"{report['customers']} customers through {report['clients']} clients",
        f"  intake {report['intake_seconds']} s ({report['intake_rate']} msg/s) with {report['kills']} kills "
        f"(web {report['kills_web']}, worker {report['kills_worker']}); drain {report['drain_seconds']} s, "
        f"recover {report['recover_seconds']} s; total {report['total_seconds']} s; CPU s {report['cpu_seconds']}",
        f"  phases: setup {report['setup_seconds']} s, web down {report['web_down_seconds']} s in all during the "
        f"intake, stop {report['stop_seconds']} s, inspect {report['inspect_seconds']} s",
        f"  clients: {report['requests']} requests, {report['retries']} retries for {report['retried_messages']} "
        f"messages; {report['repeats_answered_created_false']} retries answered 'already stored'",
        f"  stored: {stored['inbound']} inbound messages ({len(set(stored['inbound_external_ids']))} distinct ids) "
        f"on {stored['tickets']} tickets; raw payloads {stored['raw_by_status']}, "
        f"{stored['raw_repeats']} of them repeats that stored nothing new",
        f"  outbound: {len(outbound)} queued, {sum(1 for m in outbound if m['status'] == 'sent')} sent; "
        f"{report['left_sending_by_kills']} left 'sending' by a killed worker (recovered by the sweep)",
        f"  provider: {provider['attempts']} attempts, {provider['unique']} unique deliveries, "
        f"{provider['duplicates_absorbed']} duplicates absorbed by the Idempotency-Key",
    ])


@contextlib.contextmanager
def postgres_database(server_url: str):
    """A fresh database on the PostgreSQL server of ``server_url`` (e.g. ``tests.pgcluster``'s
    ``DATABASE_URL``) for one run, dropped afterwards; yields its URL."""
    import uuid

    import psycopg

    name = f"tanggap_crash_{uuid.uuid4().hex[:10]}"
    base, _, _ = server_url.rpartition("/")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=int(os.environ.get("TANGGAP_CRASH_MESSAGES", 10_000)))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--db-url", default=None, help="a database to run on (default: a new SQLite file)")
    parser.add_argument("--postgres", action="store_true",
                        help="run on a new database of the PostgreSQL server in DATABASE_URL (python -m tests.pgcluster -- ...)")
    parser.add_argument("--no-kills", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs, database)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tanggap-crash-"))
    with contextlib.ExitStack() as stack:
        db_url = args.db_url
        if args.postgres:
            server = os.environ.get("DATABASE_URL", "")
            if not server.startswith("postgres"):
                parser.error("--postgres needs DATABASE_URL=postgresql://... (run it under python -m tests.pgcluster --)")
            db_url = stack.enter_context(postgres_database(server))
        report = run(workdir=workdir, messages=args.messages, seed=args.seed, db_url=db_url, kills=not args.no_kills)
    print(summary(report))
    print("work dir:", workdir)


if __name__ == "__main__":
    main()
