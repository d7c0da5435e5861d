"""Load test of live chat: N concurrent chat visitors against ``tanggap serve`` on 127.0.0.1.

    python -m bench.chat_load [--visitors 200] [--seconds 60] [--interval 10] [--database-url URL]

Starts ``tanggap serve`` (2 processes; uvicorn workers under gunicorn) and ``tanggap worker`` on a
fresh SQLite file (or the PostgreSQL database of ``--database-url``, which must be empty), then:

* each visitor opens a session and an SSE stream like widget.js, and sends a message every
  ``--interval`` seconds on average (random, so they do not march in step);
* one agent console stream (an admin's session) receives every visitor message; the agents answer
  each one through the API (``POST /api/v1/tickets/{id}/replies``, ``--agents`` at a time), and the
  visitor's stream receives the reply.

Prints delivery latency p50/p95/p99 of visitor message -> agent stream and agent reply -> visitor
stream (from just before the POST to the frame arriving), and of the POSTs alone (the write: the
rest of a delivery is the stream's part), throughput, errors and the peak RSS of the server
processes. Target (issue 8): p95 under 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pgid: int) -> float:
    """User + system CPU time of every process in the group so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in group_pids(pgid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def group_pids(pgid: int) -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.getpgid(int(name)) == pgid:
                    pids.append(int(name))
            except OSError:
                pass
    return pids


class RssSampler(threading.Thread):
    def __init__(self, pgid: int) -> None:
        super().__init__(daemon=True)
        self.pgid, self.stop_flag = pgid, threading.Event()
        self.peak_one = self.peak_total = 0

    def run(self) -> None:
        while not self.stop_flag.is_set():
            sizes = [rss_kib(p) for p in group_pids(self.pgid)]
            if sizes:
                self.peak_one = max(self.peak_one, max(sizes))
                self.peak_total = max(self.peak_total, sum(sizes))
            self.stop_flag.wait(1.0)


def seed(env: dict) -> dict:
    """Migrate, and create the chat channel, an admin (API token and console session)."""
    code = r"""
import json, django
django.setup()
from django.conf import settings
from importlib import import_module
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from tanggap.accounts.services import agent_create, api_token_create
from tanggap.channels.models import Channel
Channel.objects.create(kind="chat", slug="bench-chat", name="Bench chat", config={
    "allowed_origins": ["http://127.0.0.1"], "visitor_messages_per_minute": 1000,
    "ip_messages_per_minute": 1000000, "ip_sessions_per_hour": 1000000})
user = agent_create(username="benchadmin", password="rahasia-bench-123", role="admin")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(json.dumps({"token": api_token_create(user=user, name="bench")[1], "session": store.session_key,
                  "cookie": settings.SESSION_COOKIE_NAME}))
"""
    subprocess.run([sys.executable, "-m", "tanggap.cli", "migrate"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Load:
    def __init__(self, base: str, creds: dict, args) -> None:
        self.base, self.creds, self.args = base, creds, args
        self.sent: dict[str, float] = {}  # tag -> when the visitor's POST started
        self.replied: dict[str, float] = {}  # tag -> when the agent's reply POST started
        self.to_agent: list[float] = []
        self.to_visitor: list[float] = []
        self.message_posts: list[float] = []  # the visitor's POST answered (the write done)
        self.reply_posts: list[float] = []
        self.errors: dict[str, int] = {}
        self.messages = self.replies = 0
        self.measuring = False
        self.stop = asyncio.Event()
        self.groups: dict[str, int] = {}  # name -> process group whose CPU time is counted
        self.cpu: dict[str, float] = {}  # name -> CPU seconds while measuring
        self.window = [0.0, 0.0]  # wall-clock start and end of the measuring (time.time())

    def cpu_now(self) -> dict[str, float]:
        own = os.times()
        return {**{name: cpu_seconds(pgid) for name, pgid in self.groups.items()}, "load client": own.user + own.system}

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    async def sse(self, client: httpx.AsyncClient, url: str, on_event, ready: asyncio.Event, **kw) -> None:
        last = None
        while not self.stop.is_set():
            headers = {"Last-Event-ID": str(last)} if last else {}
            try:
                async with client.stream("GET", url, headers=headers, timeout=httpx.Timeout(10, read=60), **kw) as r:
                    if r.status_code != 200:
                        self.error(f"stream {r.status_code}")
                        await asyncio.sleep(1)
                        continue
                    ready.set()
                    async for line in r.aiter_lines():
                        if line.startswith("id: "):
                            last = line[4:]
                        elif line.startswith("data: "):
                            on_event(json.loads(line[6:]), time.perf_counter())
                        if self.stop.is_set():
                            return
            except (httpx.HTTPError, asyncio.CancelledError) as exc:
                if self.stop.is_set() or isinstance(exc, asyncio.CancelledError):
                    return
                self.error(f"stream {type(exc).__name__}")
                await asyncio.sleep(0.5)

    async def visitor(self, client: httpx.AsyncClient, n: int, ready_count: list) -> None:
        api = f"{self.base}/chat/api/bench-chat/"
        try:
            session = (await client.post(api + "session", json={"lang": "id"})).json()
        except httpx.HTTPError as exc:
            self.error(f"session {type(exc).__name__}")
            return
        token = session["token"]

        def on_event(ev, at):
            if ev.get("kind") == "message" and ev.get("sender") == "agent":
                tag = (ev.get("text") or "").split(" ", 1)[0].removeprefix("re:")
                started = self.replied.pop(tag, None)
                if started is not None and self.measuring:
                    self.to_visitor.append(at - started)

        ready = asyncio.Event()
        stream = asyncio.create_task(self.sse(client, api + "stream", on_event, ready,
                                              params={"token": token, "after": 0}))
        await ready.wait()
        ready_count.append(n)
        await asyncio.sleep(random.uniform(0, self.args.interval))
        i = 0
        while not self.stop.is_set():
            i += 1
            tag = f"v{n}m{i}"
            started = time.perf_counter()
            self.sent[tag] = started
            try:
                r = await client.post(api + "messages", json={"token": token, "text": f"{tag} halo, pesanan saya?",
                                                              "client_id": tag})
                if r.status_code != 200:
                    self.error(f"message {r.status_code}")
                elif self.measuring:
                    self.messages += 1
                    self.message_posts.append(time.perf_counter() - started)
            except httpx.HTTPError as exc:
                self.error(f"message {type(exc).__name__}")
            try:
                await asyncio.wait_for(self.stop.wait(), timeout=random.expovariate(1 / self.args.interval))
            except TimeoutError:
                pass
        stream.cancel()

    async def agents(self, client: httpx.AsyncClient, ready: asyncio.Event) -> None:
        queue: asyncio.Queue = asyncio.Queue()

        def on_event(ev, at):
            if ev.get("kind") == "message" and ev.get("sender") == "visitor":
                tag = (ev.get("text") or "").split(" ", 1)[0]
                started = self.sent.pop(tag, None)
                if started is not None:
                    if self.measuring:
                        self.to_agent.append(at - started)
                    queue.put_nowait((ev["ticket_id"], tag))

        async def answer():
            headers = {"Authorization": f"Bearer {self.creds['token']}"}
            while True:
                ticket_id, tag = await queue.get()
                self.replied[tag] = started = time.perf_counter()
                try:
                    r = await client.post(f"{self.base}/api/v1/tickets/{ticket_id}/replies",
                                          json={"body": f"re:{tag} Baik, kami cek dulu ya."}, headers=headers)
                    if r.status_code != 201:
                        self.error(f"reply {r.status_code}")
                    elif self.measuring:
                        self.replies += 1
                        self.reply_posts.append(time.perf_counter() - started)
                except httpx.HTTPError as exc:
                    self.error(f"reply {type(exc).__name__}")

        workers = [asyncio.create_task(answer()) for _ in range(self.args.agents)]
        await self.sse(client, f"{self.base}/chat/console/stream", on_event, ready,
                       cookies={self.creds["cookie"]: self.creds["session"]})
        for w in workers:
            w.cancel()

    async def run(self) -> float:
        limits = httpx.Limits(max_connections=self.args.visitors * 2 + 50, max_keepalive_connections=self.args.visitors * 2)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            agent_ready = asyncio.Event()
            agent = asyncio.create_task(self.agents(client, agent_ready))
            await agent_ready.wait()
            ready: list = []
            tasks = []
            for n in range(self.args.visitors):
                tasks.append(asyncio.create_task(self.visitor(client, n, ready)))
                await asyncio.sleep(0.01)
            while len(ready) < self.args.visitors and not all(t.done() for t in tasks):
                await asyncio.sleep(0.2)
            print(f"{len(ready)} visitors connected; measuring for {self.args.seconds} s", flush=True)
            self.measuring = True
            started, cpu_before = time.perf_counter(), self.cpu_now()
            self.window = [time.time(), 0.0]
            await asyncio.sleep(self.args.seconds)
            self.measuring = False
            self.window[1] = time.time()
            elapsed = time.perf_counter() - started
            self.cpu = {k: v - cpu_before[k] for k, v in self.cpu_now().items()}
            await asyncio.sleep(2)  # let what is in flight land (not counted)
            self.stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            agent.cancel()
            return elapsed


def lock_summary(log: Path, window: list[float]) -> None:
    """SQLite's one write lock while measuring, from the servers' and worker's logs (TANGGAP_SQLITE_LOCK_LOG)."""
    rows = []
    for path in log.parent.glob(log.name + ".*"):
        for line in path.read_text().splitlines():
            asked, waited, held = map(float, line.split())
            if window[0] <= asked + waited <= window[1]:
                rows.append((waited, held))
    if not rows:
        return
    span = window[1] - window[0]
    waits, holds = [r[0] for r in rows], [r[1] for r in rows]
    ms = lambda v: f"{v * 1000:.1f} ms"  # noqa: E731
    print(f"  SQLite write lock: {len(rows) / span:.1f} write transactions/s, held {sum(holds) / span * 100:.0f}% "
          f"of the time; hold p50 {ms(pct(holds, 50))} p95 {ms(pct(holds, 95))}; wait for it p50 "
          f"{ms(pct(waits, 50))} p95 {ms(pct(waits, 95))} p99 {ms(pct(waits, 99))}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chat_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=10, help="mean seconds between a visitor's messages")
    parser.add_argument("--agents", type=int, default=8, help="replies in flight at once")
    parser.add_argument("--workers", type=int, default=2, help="tanggap serve --workers")
    parser.add_argument("--threads", type=int, default=0, help="tanggap serve --threads (default: serve's own)")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: a new SQLite file)")
    parser.add_argument("--no-worker", action="store_true",
                        help="no tanggap worker (chat needs none; shows what its polling costs the writes)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="chat_load-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tanggap.settings", TANGGAP_VAR_DIR=str(tmp), TANGGAP_TRIAGE="0",
               DATABASE_URL=args.database_url or f"sqlite:///{tmp / 'chat.sqlite3'}")
    creds = seed(env)
    lock_log = tmp / "writelock"
    env["TANGGAP_SQLITE_LOCK_LOG"] = str(lock_log)  # SQLite: each write transaction's wait and hold
    port = free_port()
    log = open(tmp / "serve.log", "w")
    threads = ["--threads", str(args.threads)] if args.threads else []
    server = subprocess.Popen([sys.executable, "-m", "tanggap.cli", "serve", "--port", str(port),
                               "--workers", str(args.workers), *threads], env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    worker = None if args.no_worker else subprocess.Popen(
        [sys.executable, "-m", "tanggap.cli", "worker", "--nice", "5"], env=env, cwd=ROOT,
        stdout=open(tmp / "worker.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    sampler = RssSampler(server.pid)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        sampler.start()
        load = Load(f"http://127.0.0.1:{port}", creds, args)
        load.groups = {"server": server.pid, **({"worker": worker.pid} if worker else {})}
        elapsed = asyncio.run(load.run())
    finally:
        sampler.stop_flag.set()
        for proc in (p for p in (server, worker) if p is not None):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    db = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    print(f"live chat load: {args.visitors} visitors, {elapsed:.0f} s, {db}, tanggap serve --workers {args.workers}, "
          f"{'--threads ' + str(args.threads) + ', ' if args.threads else ''}{'no worker, ' if args.no_worker else ''}"
          f"a message every {args.interval:g} s per visitor (mean), {args.agents} replies in flight")
    for name, values in (("visitor -> agent stream", load.to_agent), ("agent reply -> visitor stream", load.to_visitor)):
        print(f"  {name}: n={len(values)} p50 {ms(pct(values, 50))}  p95 {ms(pct(values, 95))}  "
              f"p99 {ms(pct(values, 99))}  max {ms(max(values) if values else float('nan'))}")
    for name, values in (("of which the visitor's POST (the write)", load.message_posts),
                         ("of which the reply's POST (the write)", load.reply_posts)):
        print(f"  {name}: p50 {ms(pct(values, 50))}  p95 {ms(pct(values, 95))}  p99 {ms(pct(values, 99))}")
    print(f"  throughput: {load.messages / elapsed:.1f} visitor messages/s + {load.replies / elapsed:.1f} replies/s")
    print(f"  errors: {sum(load.errors.values())} {load.errors or ''}")
    requests = load.messages + load.replies
    print("  CPU while measuring: " + ", ".join(f"{name} {seconds / elapsed * 100:.0f}% of a core"
                                               for name, seconds in load.cpu.items())
          + (f"; server {load.cpu.get('server', 0) / requests * 1000:.1f} ms per message or reply" if requests else ""))
    print(f"  server RSS peak: one process {sampler.peak_one / 1024:.0f} MiB, all server processes "
          f"{sampler.peak_total / 1024:.0f} MiB")
    lock_summary(lock_log, load.window)
    both = load.to_agent + load.to_visitor
    p95 = pct(both, 95)
    print(f"  p95 both directions {ms(p95)}: target < 500 ms {'met' if p95 < 0.5 else 'NOT met'}")
    print(f"  logs: {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
