"""Where one live chat message and one reply spend their time, in-process (no server).

    python -m bench.chat_load.profile [--messages 200] [--database-url URL] [--cprofile N]

A fresh SQLite file (or the empty PostgreSQL database of ``--database-url``): migrates, makes
the chat channel, an admin with an API token and ``--visitors`` visitor sessions, warms the
process up, then sends ``--messages`` visitor messages (``POST /chat/api/<slug>/messages``) and
as many agent replies (``POST /api/v1/tickets/{id}/replies``) through Django's WSGI handler with
the test client (the whole middleware stack, the same code path ``tanggap serve``'s thread pool
runs). Prints the wall time and CPU time per request, the queries per request (by table and
statement kind) and, with ``--cprofile N``, the top N functions by cumulative time.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chat_load.profile")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions (cumulative)")
    parser.add_argument("--queries", action="store_true", help="print every query of one message and one reply")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="chat_profile-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(DJANGO_SETTINGS_MODULE="tanggap.settings", TANGGAP_VAR_DIR=str(tmp), TANGGAP_TRIAGE="0",
                      DATABASE_URL=args.database_url or f"sqlite:///{tmp / 'chat.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tanggap.accounts.services import agent_create, api_token_create
    from tanggap.channels.models import Channel

    call_command("migrate", verbosity=0)
    Channel.objects.create(kind="chat", slug="bench-chat", name="Bench chat", config={
        "allowed_origins": ["http://127.0.0.1"], "visitor_messages_per_minute": 100000,
        "ip_messages_per_minute": 100000000, "ip_sessions_per_hour": 100000000})
    user = agent_create(username="benchadmin", password="rahasia-bench-123", role="admin")
    token = api_token_create(user=user, name="bench")[1]
    client = Client(HTTP_ORIGIN="http://127.0.0.1")
    api = "/chat/api/bench-chat/"
    visitors = [client.post(api + "session", {"lang": "id"}, content_type="application/json").json()["token"]
                for _ in range(args.visitors)]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    counter = iter(range(10**9))

    def one_message(i):
        n = next(counter)
        r = client.post(api + "messages", {"token": visitors[i % len(visitors)], "text": f"m{n} halo, pesanan saya?",
                                           "client_id": f"c{n}"}, content_type="application/json")
        assert r.status_code == 200, r.content
        return r.json()["event"]["ticket_id"]

    def one_reply(ticket_id):
        r = client.post(f"/api/v1/tickets/{ticket_id}/replies", {"body": "Baik, kami cek dulu ya."},
                        content_type="application/json", **auth)
        assert r.status_code == 201, r.content

    # warm up: every visitor has a ticket, every code path has run
    for i in range(len(visitors)):
        one_reply(one_message(i))

    def kind_of(sql):
        m = re.match(r'\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|SAVEPOINT|RELEASE SAVEPOINT|BEGIN|COMMIT)\s*"?([a-z_]*)', sql,
                     re.I)
        return f"{m.group(1).upper()} {m.group(2)}".strip() if m else sql[:40]

    tickets = [one_message(i) for i in range(len(visitors))]  # fresh visitor messages to reply to

    results = {}
    for label in ("visitor message", "agent reply"):
        with CaptureQueriesContext(connection) as ctx:
            if label == "visitor message":
                one_message(0)
            else:
                one_reply(tickets[0])
        kinds = collections.Counter(kind_of(q["sql"]) for q in ctx.captured_queries)
        results[label] = (len(ctx.captured_queries), kinds, ctx.captured_queries)

    # SQLite: how long each request holds the write lock (tanggap.common.sqlite queues write
    # transactions on a file lock; writes outside a transaction take SQLite's lock on their own)
    held = {"n": 0, "seconds": 0.0, "autocommit_writes": 0}
    if connection.vendor == "sqlite":
        from tanggap.common.sqlite.base import DatabaseWrapper

        acquire, release = DatabaseWrapper._acquire, DatabaseWrapper._release

        def timed_acquire(self):
            acquire(self)
            self._held_since = time.perf_counter()

        def timed_release(self):
            if self._locked:
                held["n"] += 1
                held["seconds"] += time.perf_counter() - self._held_since
            release(self)

        DatabaseWrapper._acquire, DatabaseWrapper._release = timed_acquire, timed_release

        def count_autocommit_writes(execute, sql, params, many, context):
            if connection.get_autocommit() and re.match(r"\s*(INSERT|UPDATE|DELETE)", sql, re.I):
                held["autocommit_writes"] += 1
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(count_autocommit_writes)
    prof = cProfile.Profile() if args.cprofile else None
    timings = {}
    for label in ("visitor message", "agent reply"):
        wall = cpu = 0.0
        held.update(n=0, seconds=0.0, autocommit_writes=0)
        for i in range(args.messages):
            if prof:
                prof.enable()
            t0, c0 = time.perf_counter(), time.process_time()
            if label == "visitor message":
                one_message(i)
            else:
                one_reply(tickets[i % len(tickets)])
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
            if prof:
                prof.disable()
        timings[label] = (wall / args.messages, cpu / args.messages, held["n"] / args.messages,
                          held["seconds"] / args.messages, held["autocommit_writes"] / args.messages)

    db = connection.vendor
    print(f"live chat profile: {db}, {args.visitors} visitors, {args.messages} of each, warmed, test client (WSGI)")
    for label in ("visitor message", "agent reply"):
        n, kinds, queries = results[label]
        wall, cpu, locks, lock_seconds, lone = timings[label]
        print(f"  {label}: {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU, {n} queries")
        if db == "sqlite":
            print(f"    write lock: {locks:.1f} transactions holding it {lock_seconds * 1000:.1f} ms in all; "
                  f"{lone:.1f} writes outside a transaction (SQLite's own lock, busy-handler naps)")
        print("    " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
        if args.queries:
            for q in queries:
                print(f"      {q['time']}  {q['sql'][:220]}")
    if prof:
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
