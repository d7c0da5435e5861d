"""Ticket intake, tanggap against django-helpdesk, side by side (issue 5, benchmarks 1 and 3).

    .venv/bin/python -m bench.intake_vs_peer                       # SQLite and PostgreSQL, 10,000 tickets, 32 clients
    .venv/bin/python -m bench.intake_vs_peer --db sqlite --tickets 2000 --max-seconds 30   # a quick look
    .venv/bin/python -m bench.intake_vs_peer --runs 3              # medians of 3 runs

For each kind of database: a fresh database per product (SQLite file, or a database in a
throw-away PostgreSQL cluster on 127.0.0.1), each product under gunicorn with the same options
(--workers, --threads, gthread), then a separate load process posts new tickets (unique customer
and external id each) with --clients concurrent keep-alive connections until --tickets are sent or
--max-seconds have passed. Prints tickets/s, latency p50/p95/p99, errors, the peak RSS of a server
process, the CPU the server used, and how many cores other work on the machine used meanwhile;
then the ratio tanggap/peer, and checks that tanggap stored exactly the tickets it acknowledged.
django-helpdesk is installed into var/bench/helpdesk-venv (reused); everything else under
var/bench/run-*/ is made anew. Servers and the cluster are stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.intake_vs_peer import pg  # noqa: E402
from bench.intake_vs_peer.ours import Tanggap, TanggapAsync  # noqa: E402
from bench.intake_vs_peer.peer import Peer  # noqa: E402
from bench.intake_vs_peer.procs import NCPU, Sampler  # noqa: E402
from bench.intake_vs_peer.stats import summarize  # noqa: E402

RSS_LIMIT_MIB = 300  # issue 5, benchmark 3: per server process
GOAL_RATIO, GOAL_P99_MS = 5.0, 100.0


@dataclass
class Phase:
    product: str
    db: str
    rate: float
    p50: float
    p95: float
    p99: float
    ok: int
    sent: int
    errors: int
    error_reasons: list
    peak_rss_mib: float
    total_rss_mib: float
    server_cpu_s: float
    elapsed: float
    other_cores: float
    ours_cores: float
    stored: int | None = None
    acked: int | None = None
    drain: dict | None = None

    @property
    def cpu_ms_per_ticket(self) -> float:
        return self.server_cpu_s / self.ok * 1000 if self.ok else 0.0


class Server:
    """gunicorn in its own session, stopped by its master's PID (then its group, if anything is left)."""

    def __init__(self, cmd: list[str], env: dict, cwd: Path, log: Path) -> None:
        self.log = open(log, "ab")
        self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nothing listening on {port} after {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group we created for it
                self.proc.wait(5)
        self.log.close()


def run_phase(product, db: str, database_url: str, run_dir: Path, args, run_no: int, extra_roots: list[int]) -> Phase:
    prep = product.prepare(database_url, run_dir)
    port = pg.free_port()
    server = Server(product.server_cmd(port, args.workers, args.threads), prep["env"],
                    cwd=product.cwd, log=run_dir / f"{slug(product.name)}-{db}.log")
    worker = None
    if hasattr(product, "worker_cmd"):
        worker = Server(product.worker_cmd(), {**prep["env"], **product.worker_env()}, cwd=product.cwd,
                        log=run_dir / "worker.log")
    try:
        server.wait_ready(port)
        if worker:
            print(f"      worker started in {product.wait_worker_started(database_url, worker.proc):.1f} s "
                  "(its first periodic jobs done) before the load", flush=True)
        cmd = [sys.executable, "-m", "bench.intake_vs_peer.load", "--product", getattr(product, "load_product", product.name),
               *getattr(product, "load_args", []), "--url", product.url(port),
               "--auth", prep["auth"], "--tickets", str(args.tickets), "--clients", str(args.clients),
               "--max-seconds", str(args.max_seconds), "--run-id", f"{db}{run_no}-{os.getpid()}"]
        if prep.get("queue"):
            cmd += ["--queue", str(prep["queue"])]
        load = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        ours = [load.pid, os.getpid(), *extra_roots, *([worker.proc.pid] if worker else [])]
        sampler = Sampler(server_root=server.proc.pid, other_roots=ours).start()
        started = time.monotonic()
        try:
            out, _ = load.communicate(timeout=args.max_seconds + 120)
        finally:
            if load.poll() is None:
                load.kill()
                load.wait()
            sampler.stop()
        if load.returncode != 0:
            raise RuntimeError(f"load process failed ({load.returncode})")
        res = json.loads(out)
        if worker:
            # opened while the load ran: with the worker giving way to intake (tanggap/channels/pressure.py), few
            res["during_load"] = product.count_stored(database_url)
            res["drain"] = drain(product, database_url, worker, started, args.drain_seconds)
            # Counted again with the worker stopped: what it receives between two counts would
            # otherwise show up both as queued and as stored.
            worker.stop()
            res["drain"]["pending"] = product.pending(database_url)
    finally:
        server.stop()
        if worker:
            worker.stop()
    lat = summarize(res["latencies_ms"])
    busy = sampler.busy()
    phase = Phase(product=product.name, db=db, rate=res["ok"] / res["elapsed"] if res["elapsed"] else 0.0,
                  p50=lat["p50"], p95=lat["p95"], p99=lat["p99"], ok=res["ok"], sent=res["sent"],
                  errors=res["errors"], error_reasons=res["error_reasons"], peak_rss_mib=sampler.peak_worker_rss_mib(),
                  total_rss_mib=sampler.peak_total_rss / 1024, server_cpu_s=sampler.server_cpu_seconds(),
                  elapsed=res["elapsed"], other_cores=busy.other_cores, ours_cores=busy.ours_cores)
    phase.stored = product.count_stored(database_url)
    phase.acked = res["acked_ticket_ids"]
    print_phase(phase, res)
    return phase


def drain(product, database_url: str, worker: "Server", started: float, limit: float) -> dict:
    """Wait for the worker to receive every accepted message (or `limit` seconds after the load)."""
    load_done = time.monotonic()
    pending = product.pending(database_url)
    while pending and time.monotonic() - load_done < limit and worker.proc.poll() is None:
        time.sleep(0.5)
        pending = product.pending(database_url)
    end = time.monotonic()
    return {"pending": pending, "after_load_s": end - load_done, "total_s": end - started}


def slug(name: str) -> str:
    return name.replace("-", "_")


def print_phase(p: Phase, res: dict) -> None:
    stop = " (stopped by --max-seconds)" if res["stopped_by_time"] else ""
    print(f"  {p.product:<16}{p.db:<11}{p.rate:>8.1f} tickets/s  p50 {p.p50:>6.0f}  p95 {p.p95:>6.0f}  "
          f"p99 {p.p99:>6.0f} ms  {p.ok:,}/{p.sent:,} ok in {p.elapsed:.1f} s{stop}", flush=True)
    print(f"      errors {p.errors}" + (": " + "; ".join(f"{n}x {r}" for r, n in p.error_reasons[:3])
                                        if p.error_reasons else ""))
    print(f"      peak RSS of one server process {p.peak_rss_mib:.0f} MiB (all server processes {p.total_rss_mib:.0f} MiB),"
          f" server CPU {p.server_cpu_s:.1f} s = {p.server_cpu_s / p.ok * 1000 if p.ok else 0:.1f} ms per ticket;"
          f" other work {p.other_cores:.2f} of {NCPU} cores (ours {p.ours_cores:.2f})")
    print(f"      stored {p.stored:,} tickets, acknowledged {p.acked:,} (incl. warm-up); the load process used "
          f"{res.get('load_cpu_ms_per_request', 0):.2f} ms of CPU per request", flush=True)
    if "drain" in res:
        d = res["drain"]
        p.drain = d
        print(f"      worker: {res.get('during_load', 0):,} tickets opened by the end of the load; "
              f"tickets opened {p.stored:,} in {d['total_s']:.1f} s from the load's start = "
              f"{p.stored / d['total_s']:.1f} tickets/s; queue empty {d['after_load_s']:.1f} s after the load"
              + (f" (NOT EMPTY: {d['pending']:,} still queued)" if d["pending"] else ""), flush=True)


def median_phase(phases: list[Phase]) -> Phase:
    """Medians field by field over runs of one product and database."""
    m = lambda f: statistics.median(getattr(x, f) for x in phases)  # noqa: E731
    first = phases[0]
    return Phase(product=first.product, db=first.db, rate=m("rate"), p50=m("p50"), p95=m("p95"), p99=m("p99"),
                 ok=int(m("ok")), sent=int(m("sent")), errors=sum(x.errors for x in phases),
                 error_reasons=[r for x in phases for r in x.error_reasons][:3],
                 peak_rss_mib=max(x.peak_rss_mib for x in phases), total_rss_mib=max(x.total_rss_mib for x in phases),
                 server_cpu_s=m("cpu_ms_per_ticket") * int(m("ok")) / 1000, elapsed=m("elapsed"),
                 other_cores=m("other_cores"), ours_cores=m("ours_cores"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--tickets", type=int, default=10_000, help="tickets per product and run")
    ap.add_argument("--clients", type=int, default=32, help="concurrent clients")
    ap.add_argument("--max-seconds", type=float, default=120.0, help="stop sending after this long")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes, both products")
    ap.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker, both products")
    ap.add_argument("--runs", type=int, default=1, help="repeat and print medians")
    ap.add_argument("--only", choices=["tanggap", "tanggap-async", "django-helpdesk"], default=None,
                    help="one product only")
    ap.add_argument("--async", dest="respond_async", action="store_true",
                    help="also tanggap with 'Prefer: respond-async' (202 at once; `tanggap worker` opens the tickets)")
    ap.add_argument("--skip-sync", action="store_true",
                    help="with --async: leave out tanggap's synchronous variant (the peer and tanggap-async only)")
    ap.add_argument("--worker-nice", type=int, default=10,
                    help="async: the niceness of `tanggap worker` during the load (0-19)")
    ap.add_argument("--worker-yield-rate", type=float, default=None,
                    help="async: TANGGAP_WORKER_YIELD_RATE for the worker (default: the product's; 0 = never give way)")
    ap.add_argument("--worker-yield-max-seconds", type=float, default=None,
                    help="async: TANGGAP_WORKER_YIELD_MAX_SECONDS for the worker (default: the product's)")
    ap.add_argument("--drain-seconds", type=float, default=600.0,
                    help="async: wait this long after the load for the worker to empty the queue")
    ap.add_argument("--tanggap-env", action="append", default=[], metavar="NAME=VALUE",
                    help="an environment variable for tanggap's server and worker (repeatable; experiments, "
                         "e.g. TANGGAP_SQLITE_LOCK_LOG=/tmp/lock to log the SQLite write lock)")
    ap.add_argument("--tanggap-src", type=Path, default=None,
                    help="run tanggap from this source tree instead of the working tree (before/after comparisons)")
    args = ap.parse_args(argv)

    def on_term(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    extra_env = dict(kv.split("=", 1) for kv in args.tanggap_env)
    candidates = [Peer(ROOT), Tanggap(ROOT, args.tanggap_src, extra_env)]
    if args.respond_async:
        candidates.append(TanggapAsync(ROOT, args.tanggap_src, extra_env))
        candidates[-1].worker_nice = args.worker_nice
        candidates[-1].yield_rate = args.worker_yield_rate
        candidates[-1].yield_max_seconds = args.worker_yield_max_seconds
    products = [p for p in candidates if args.only in (None, p.name)
                and not (args.skip_sync and p.name == "tanggap")]
    for p in products:
        if isinstance(p, Peer):
            p.write_site()
        print(p.install())
        if getattr(p, "extra_env", None):
            print(f"  {p.name} with " + " ".join(f"{k}={v}" for k, v in p.extra_env.items()))
        if isinstance(p, TanggapAsync):
            print(f"  tanggap worker --nice {p.worker_nice}; gives way to intake: "
                  + (", ".join(f"{k}={v}" for k, v in p.worker_env().items()) or "the product's defaults"))
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"load: {args.clients} clients, up to {args.tickets:,} tickets or {args.max_seconds:g} s per product; "
          f"gunicorn --workers {args.workers} --threads {args.threads} (gthread) for both; {NCPU} cores\n")
    results: dict[tuple[str, str], list[Phase]] = {}
    base = ROOT / "var" / "bench" / f"run-{time.strftime('%Y%m%d-%H%M%S')}"
    cluster = None
    try:
        for db in dbs:
            if db == "postgresql":
                cluster = pg.Cluster().start()
            for run_no in range(1, args.runs + 1):
                print(f"{db}, run {run_no}/{args.runs}", flush=True)
                for product in products:
                    run_dir = base / f"{db}-{run_no}-{slug(product.name)}"
                    run_dir.mkdir(parents=True)
                    if db == "sqlite":
                        url = f"sqlite:///{run_dir / 'db.sqlite3'}"
                        extra = []
                    else:
                        url = cluster.create_db(f"{slug(product.name)}_{run_no}")
                        extra = [cluster.pid]
                    results.setdefault((product.name, db), []).append(
                        run_phase(product, db, url, run_dir, args, run_no, extra))
            if cluster is not None:
                cluster.stop()
                cluster = None
    except KeyboardInterrupt:
        print("\ninterrupted; servers and cluster stopped", file=sys.stderr)
        return 130
    finally:
        if cluster is not None:
            cluster.stop()
    print_summary(results, dbs, args)
    shutil.rmtree(base, ignore_errors=True) if not os.environ.get("BENCH_KEEP") else None
    return 0 if all_stored(results) else 1


def _accounted(p: Phase) -> int:
    """Tickets stored, plus (respond-async) accepted messages still queued when the drain gave up."""
    return p.stored + ((p.drain or {}).get("pending") or 0)


def all_stored(results) -> bool:
    return all(_accounted(p) == p.acked for (name, _), ps in results.items() if name.startswith("tanggap") for p in ps)


def print_summary(results, dbs, args) -> None:
    runs = f"median of {args.runs} runs" if args.runs > 1 else "1 run"
    print(f"\nsummary ({runs}; latency in ms; RSS = peak of one server process; busy = other work, cores of {NCPU})")
    print(f"{'product':<17}{'db':<11}{'tickets/s':>10}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>8}{'RSS MiB':>9}"
          f"{'CPU ms/t':>9}{'busy':>6}")
    for db in dbs:
        med = {}
        for name in ("django-helpdesk", "tanggap", "tanggap-async"):
            if (name, db) not in results:
                continue
            p = med[name] = median_phase(results[(name, db)])
            print(f"{name:<17}{db:<11}{p.rate:>10.1f}{p.p50:>7.0f}{p.p95:>7.0f}{p.p99:>7.0f}{p.errors:>8}"
                  f"{p.peak_rss_mib:>9.0f}{p.cpu_ms_per_ticket:>9.1f}{p.other_cores:>6.2f}")
        h = med.get("django-helpdesk")
        for name in ("tanggap", "tanggap-async"):
            if name not in med or not h or not h.rate:
                continue
            t = med[name]
            ratio = t.rate / h.rate
            goal = "met" if ratio >= GOAL_RATIO and t.p99 < GOAL_P99_MS else "not met"
            what = "accepted/s" if name == "tanggap-async" else "tickets/s"
            print(f"  {db}: {name}/peer {ratio:.2f}x {what}; goal >= {GOAL_RATIO:g}x with p99 < {GOAL_P99_MS:g} ms: "
                  f"{goal} ({name} p99 {t.p99:.0f} ms)")
            drains = [x.drain for x in results[(name, db)] if x.drain]
            if drains:
                opened = statistics.median(x.stored / x.drain["total_s"] for x in results[(name, db)] if x.drain)
                print(f"  {db}: {name}: the worker opened {opened:.1f} tickets/s (load start to empty queue) = "
                      f"{opened / h.rate:.2f}x the peer's tickets/s")
            if t.cpu_ms_per_ticket:
                print(f"  {db}: server CPU per ticket, peer/{name} {h.cpu_ms_per_ticket / t.cpu_ms_per_ticket:.2f}x "
                      f"(tickets per core-second; less sensitive to other work than tickets/s)")
    for (name, db), ps in results.items():
        if name.startswith("tanggap"):
            bad = [p for p in ps if _accounted(p) != p.acked]
            queued = sum((p.drain or {}).get("pending") or 0 for p in ps)
            what = "stored + still queued" if queued else "stored"
            print(f"  {name} {db}: {what} == acknowledged in {len(ps) - len(bad)}/{len(ps)} runs"
                  + (f" ({queued:,} accepted messages not yet processed when the drain gave up)" if queued else "")
                  + ("" if not bad else f" (MISMATCH: stored {bad[0].stored}, acknowledged {bad[0].acked})"))
            rss = max(p.peak_rss_mib for p in ps)
            print(f"  {name} {db}: peak RSS of a server process {rss:.0f} MiB "
                  f"({'under' if rss < RSS_LIMIT_MIB else 'OVER'} the {RSS_LIMIT_MIB} MB limit)")


if __name__ == "__main__":
    sys.exit(main())
