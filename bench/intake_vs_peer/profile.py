"""Where tanggap's intake spends its time: one process, Django's test client, a fresh database,
cProfile over N sequential ``POST /api/v1/messages`` (new tickets), plus the SQL each request runs.

    .venv/bin/python -m bench.intake_vs_peer.profile                  # SQLite, 300 requests
    .venv/bin/python -m bench.intake_vs_peer.profile --db postgresql  # a throw-away cluster
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--without", default="", help="comma-separated domains whose event handlers are dropped "
                    "(sla, promises, incidents), to measure their share")
    ap.add_argument("--no-profile", action="store_true", help="time only (CPU ms per request), no cProfile")
    ap.add_argument("--async", dest="respond_async", action="store_true",
                    help="'Prefer: respond-async': store and queue only (202), as under `bench.intake_vs_peer --async`")
    ap.add_argument("--only", default="", help="a regex: list only matching functions (e.g. tanggap/)")
    args = ap.parse_args(argv)
    from bench.intake_vs_peer import pg

    tmp = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    cluster = None
    try:
        if args.db == "sqlite":
            url = f"sqlite:///{tmp / 'db.sqlite3'}"
        else:
            cluster = pg.Cluster().start()
            url = cluster.create_db("profile")
        env = {**os.environ, "DATABASE_URL": url, "TANGGAP_VAR_DIR": str(tmp), "TANGGAP_DEBUG": "0",
               "TANGGAP_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "tanggap.settings"}
        subprocess.run([sys.executable, "-m", "tanggap.cli", "migrate"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "TANGGAP_VAR_DIR", "TANGGAP_DEBUG", "TANGGAP_LOG_LEVEL",
                                               "DJANGO_SETTINGS_MODULE")})
        profile(args)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


def profile(args) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.intake_vs_peer.load import payload
    from tanggap.accounts.services import agent_create, api_token_create

    from tanggap.events import bus

    for domain in filter(None, args.without.split(",")):
        for table in (bus._in_transaction, bus._subscribers):
            for handlers in table.values():
                handlers[:] = [h for h in handlers if not h.__module__.startswith(f"tanggap.{domain}.")]
    user = agent_create(username="bench", password="bench-password-123", role="admin")
    _, token = api_token_create(user=user, name="bench")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    expect = 201
    if args.respond_async:
        headers["HTTP_PREFER"], expect = "respond-async", 202
    client = Client(**headers)
    rng = random.Random(1)
    bodies = [json.dumps(payload("tanggap", "p", i, rng, None)) for i in range(args.requests + 10)]
    for b in bodies[:10]:  # warm-up
        assert client.post("/api/v1/messages", b, content_type="application/json").status_code == expect

    with CaptureQueriesContext(connection) as ctx:
        client.post("/api/v1/messages", bodies[10], content_type="application/json")
    kinds = collections.Counter(_shape(q["sql"]) for q in ctx.captured_queries)
    print(f"one {'accepted message' if args.respond_async else 'new ticket'}: {len(ctx.captured_queries)} SQL statements")
    for shape, n in kinds.most_common():
        print(f"  {n:>3}  {shape}")

    prof = cProfile.Profile()
    t0, c0 = time.perf_counter(), time.process_time()
    if not args.no_profile:
        prof.enable()
    for b in bodies[11:]:
        r = client.post("/api/v1/messages", b, content_type="application/json")
        assert r.status_code == expect, r.content
    prof.disable()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(bodies) - 11
    how = "no profiler" if args.no_profile else "under cProfile"
    print(f"\n{n} requests in {elapsed:.2f} s = {elapsed / n * 1000:.1f} ms each, CPU {cpu / n * 1000:.1f} ms each "
          f"(one process, sequential, {how}{', without ' + args.without + ' handlers' if args.without else ''})")
    if args.no_profile:
        return
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats(args.sort).print_stats(*([args.only] if args.only else []), args.top)
    print(_trim(out.getvalue()))


def _shape(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    head = sql.split(" WHERE ")[0]
    m = re.match(r'(SELECT|INSERT INTO|UPDATE|DELETE FROM|SAVEPOINT|RELEASE SAVEPOINT|BEGIN|COMMIT)\b.*?'
                 r'(?:FROM "(\w+)"|INTO "(\w+)"|UPDATE "(\w+)"|$)', head)
    if not m:
        return head[:60]
    table = next((g for g in m.groups()[1:] if g), "")
    return f"{m.group(1)} {table}".strip()


def _trim(text: str) -> str:
    root = str(ROOT) + "/"
    return text.replace(root, "").replace(str(Path(sys.prefix)) + "/lib/python3.11/site-packages/", "")


if __name__ == "__main__":
    sys.exit(main())
