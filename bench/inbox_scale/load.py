"""Bulk-load a fresh, migrated database with N tickets, their customers, identities and messages.

Rows are written with raw SQL in the models' own column order (from ``_meta``): COPY on
PostgreSQL, ``executemany`` in big transactions on SQLite. Values a field would get by default
are computed once per field; everything with a per-row value is set explicitly (ids included, so
foreign keys need no round trip; PostgreSQL sequences are reset afterwards).

Shape: 30 % of tickets open (new 6 %, open 14 %, pending 7 %, on_hold 3 %), the rest solved (20 %)
or closed (50 %); 3 teams (50/30/18 %, 2 % with no team); created over the last year, the open
ones mostly in the last weeks; sla_due_at on 85 % of new/open tickets, spread from 1 day overdue
to 5 days ahead (paused and resolved tickets have no running clock, so null); one inbound message
per ticket plus an outbound answer on every ticket that got one; one customer per 4 tickets, one
e-mail identity each.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator

from django.core.management.color import no_style
from django.db import connection

BATCH = 20_000
UTC = dt.UTC


def _dt_conv(vendor: str) -> Callable:
    if vendor == "postgresql":
        return lambda ts: None if ts is None else dt.datetime.fromtimestamp(ts, UTC)
    # Django's SQLite backend stores aware datetimes as naive UTC text 'YYYY-MM-DD HH:MM:SS.ffffff'
    return lambda ts: None if ts is None else str(dt.datetime.fromtimestamp(ts, UTC).replace(tzinfo=None))


class Table:
    """Columns of a model: the ``given`` ones (per row, in that order) then every other concrete
    field with its default, computed once."""

    def __init__(self, model, given: list[str]):
        self.model = model
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        missing = [a for a in given if a not in by_attname]
        if missing:
            raise RuntimeError(f"{model.__name__} has no {missing}")
        rest = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
        self.columns = [by_attname[a].column for a in given] + [f.column for f in rest]
        const = []
        for f in rest:
            value = f.get_default()
            if isinstance(value, (dict, list)):
                value = json.dumps(value)
            elif connection.vendor != "postgresql":
                value = f.get_db_prep_save(value, connection)
            elif isinstance(value, dt.datetime):
                pass
            const.append(value)
        self.const = tuple(const)

    def write(self, rows: Iterator[tuple], advance: Callable[[int], None]) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        const, n = self.const, 0
        raw = connection.connection
        if connection.vendor == "postgresql":
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row + const)
                    n += 1
                    if n % BATCH == 0:
                        advance(BATCH)
            raw.commit()
            advance(n % BATCH)
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(self.columns))})"
            batch = []
            cur = raw.cursor()
            # Rows in random index order make every index insert a random page write: at 1 M
            # tickets (12 indexes) the load crawled. Drop the table's own indexes, load, rebuild
            # them once each (a sort), as `sqlite3 .import` advice goes. Unique auto-indexes stay.
            indexes = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                  "AND sql IS NOT NULL", (self.model._meta.db_table,)).fetchall()
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            if not raw.in_transaction:  # Django keeps the connection in autocommit: one transaction for the lot
                cur.execute("BEGIN")
            for row in rows:
                batch.append(row + const)
                if len(batch) == BATCH:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    advance(len(batch))
                    batch = []
            cur.executemany(sql, batch)
            n += len(batch)
            advance(len(batch))
            for _, create in indexes:
                cur.execute(create)
            raw.commit()
        return n


def setup_small(n_agents: int = 20):
    """Teams, channels and agents through the ORM (a few rows). Returns (teams, channels, agents, bench_agent)."""
    from django.contrib.auth import get_user_model

    from tanggap.accounts.models import AgentProfile, Role, Team
    from tanggap.channels.models import Channel

    User = get_user_model()
    teams = [Team.objects.create(name=n) for n in ("Pengiriman", "Pembayaran", "Produk")]
    channels = [Channel.objects.create(kind=k, slug=f"bench-{k}", name=k.title())
                for k in ("email", "whatsapp", "web", "instagram")]
    agents = []
    for i in range(n_agents):
        u = User(username=f"agent{i}", email=f"agent{i}@bench.example")
        u.set_unusable_password()  # the bench logs in with force_login; no slow hashing
        u.save()
        p = AgentProfile.objects.create(user=u, role=Role.AGENT)
        p.teams.set([teams[i % 3]])
        agents.append((u, teams[i % 3]))
    return teams, channels, agents, agents[0][0]


def load(n_tickets: int, progress, seed: int = 5) -> dict:
    """Write everything; returns counts and seconds per table."""
    from tanggap.conversations.models import Message, Ticket
    from tanggap.customers.models import Customer, Identity

    rnd = random.Random(seed)
    conv = _dt_conv(connection.vendor)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        connection.connection.execute("PRAGMA synchronous=OFF")
        connection.connection.execute("PRAGMA cache_size=-262144")  # 256 MiB: index inserts stay in memory
    teams, channels, agents, bench_agent = setup_small()
    team_ids = [t.id for t in teams]
    agents_by_team = {t.id: [u.id for u, tt in agents if tt.id == t.id] for t in teams}
    chan = [(c.id, c.kind) for c in channels]
    now = time.time()
    year = 365 * 86400
    n_customers = max(1, n_tickets // 4)
    out: dict = {"tickets": n_tickets, "customers": n_customers, "identities": n_customers, "seconds": {}}

    def timed(name, table, rows, total):
        task = progress.add_task(name, total=total)
        t0 = time.perf_counter()
        n = table.write(rows, lambda k: progress.advance(task, k))
        out["seconds"][name] = time.perf_counter() - t0
        progress.update(task, completed=total)
        return n

    c_created = conv(now - year)

    def customers():
        for i in range(1, n_customers + 1):
            yield (i, f"Pelanggan {i}", f"bench-{i:037d}", c_created, c_created)

    timed("customers", Table(Customer, ["id", "name", "portal_key", "created_at", "updated_at"]), customers(), n_customers)

    def identities():
        for i in range(1, n_customers + 1):
            yield (i, i, "email", "", f"c{i}@bench.example", c_created)

    timed("identities", Table(Identity, ["id", "customer_id", "kind", "namespace", "value", "created_at"]),
          identities(), n_customers)

    # Tickets: decide each one's shape once; messages reuse it.
    statuses = ["new"] * 6 + ["open"] * 14 + ["pending"] * 7 + ["on_hold"] * 3 + ["solved"] * 20 + ["closed"] * 50
    categories = ["question", "defect", "bug", "delivery", "billing", "other"]
    shapes = []  # (customer_id, channel index, status, created ts, answered ts or None)
    counts: dict[str, int] = {}

    def tickets():
        for i in range(1, n_tickets + 1):
            status = statuses[rnd.randrange(100)]
            counts[status] = counts.get(status, 0) + 1
            r = rnd.random()
            team = None if r < 0.02 else team_ids[0] if r < 0.52 else team_ids[1] if r < 0.82 else team_ids[2]
            is_open = status in ("new", "open", "pending", "on_hold")
            created = now - (rnd.random() * 21 * 86400 if is_open else rnd.random() * year)
            cust = rnd.randint(1, n_customers)
            ch = rnd.randrange(len(chan))
            answered = None if status == "new" else created + rnd.random() * 4 * 3600
            resolved = answered + rnd.random() * 86400 if status in ("solved", "closed") else None
            updated = resolved or answered or created
            assignee = (rnd.choice(agents_by_team[team]) if team and status != "new" and rnd.random() < 0.7 else None)
            sla = (now - 86400 + rnd.random() * 6 * 86400 if status in ("new", "open") and rnd.random() < 0.85
                   else None)
            waiting = created if status in ("new", "open") else None
            shapes.append((cust, ch, created, answered))
            yield (i, f"Pesanan #{i} belum sampai", cust, chan[ch][0], status, rnd.choice(categories), assignee, team,
                   conv(created), conv(updated), conv(updated), conv(waiting), conv(answered), conv(resolved),
                   f"bench-{i:037d}", conv(sla))

    timed("tickets", Table(Ticket, ["id", "subject", "customer_id", "channel_id", "status", "category", "assignee_id",
                                    "team_id", "created_at", "updated_at", "last_message_at", "waiting_since",
                                    "first_response_at", "resolved_at", "access_key", "sla_due_at"]),
          tickets(), n_tickets)
    out["statuses"] = counts
    n_messages = n_tickets + sum(1 for s in shapes if s[3] is not None)
    body = ("Halo, pesanan saya belum sampai sejak minggu lalu. Nomor resi tidak bisa dilacak. "
            "Mohon bantuannya, terima kasih.")
    answer = "Terima kasih, kami sudah menghubungi kurir dan akan mengabari Anda hari ini."

    def messages():
        mid = 0
        for i, (cust, ch, created, answered) in enumerate(shapes, start=1):
            mid += 1
            kind = chan[ch][1]
            c = conv(created)
            yield (mid, i, "in", kind, None, cust, "Pesanan belum sampai", body, c, c)
            if answered is not None:
                mid += 1
                a = conv(answered)
                yield (mid, i, "out", kind, bench_agent.id, None, "", answer, a, a)

    msg_table = Table(Message, ["id", "ticket_id", "direction", "channel_kind", "author_id", "customer_id", "subject",
                                "body_text", "sent_at", "created_at"])

    out["messages"] = timed("messages", msg_table, messages(), n_messages)
    shapes.clear()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Customer, Identity, Ticket, Message]):
                cur.execute(sql)
    task = progress.add_task("analyze", total=1)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    out["seconds"]["analyze"] = time.perf_counter() - t0
    progress.update(task, completed=1)
    out["agent"] = bench_agent.username
    return out
