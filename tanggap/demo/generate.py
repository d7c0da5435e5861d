"""Fill the database with the demo store "Toko Nusantara": agents and teams, 50 products,
about 200 customers (Indonesia and Malaysia), 1,000 orders over six months and 300 tickets
with their conversations, including an incident in the making (one courier's hub in one
city, the last two days).

``plan.build_plan`` decides everything up front from the seed; this module replays it
through the real services (intake, replies, notes, ticket updates, remedies) with the clock
set to each step's time, so the data is what the product itself would have stored then:
SLA clocks and breaches, promises made on the first answer, kept on solving, re-dated by an
agent or broken when they lapsed, scheduled progress updates (``aftercare`` runs the sweeps
between the steps and up to the demo's "now").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F

from tanggap.accounts.models import Team
from tanggap.accounts.services import agent_create, team_get_or_create
from tanggap.channels import services as intake
from tanggap.channels.models import InboundRaw
from tanggap.channels.normalized import IDENTITY_EMAIL, IDENTITY_HANDLE, IDENTITY_PHONE, InboundIdentity
from tanggap.common import clock
from tanggap.conversations.choices import STATUS_GROUP, Status, StatusGroup
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import note_add, reply_send, ticket_update
from tanggap.customers.models import Customer, Identity, Order, OrderLine, Product
from tanggap.customers.services import LineInput, customer_find_or_create, identity_add, order_create, product_upsert
from tanggap.demo import catalog as cat
from tanggap.demo.aftercare import TicketLife, frozen, mark_sent
from tanggap.demo.archive import archive_plan, archive_write, stuck_receive
from tanggap.demo.journeys import journeys_play
from tanggap.demo.parts import DemoContext, parts_play
from tanggap.demo.plan import CHANNELS, Plan, TicketSpec, build_plan
from tanggap.notifications.models import Notification
from tanggap.promises.models import Promise
from tanggap.remedies.models import Remedy
from tanggap.sla.models import SlaBreach
from tanggap.sla.services import sla_refresh

TICKET_BATCH = 25


class _NoProgress:
    def add_task(self, *args, **kwargs) -> int:
        return 0

    def advance(self, *args, **kwargs) -> None:
        pass


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator:
    if not enabled:
        yield _NoProgress()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=False) as bar:
        yield bar


@contextlib.contextmanager
def _calendar_specs_cached() -> Iterator[None]:
    """Every SLA evaluation reads its policy's business calendar (opening hours and closed
    days: two queries), some thousands of times in one demo load, and the demo never changes a
    calendar. While it loads, each calendar's spec is read once (keyed by the calendar's row, so
    an edited row would be read again); the functions are put back afterwards."""
    from tanggap.sla import selectors
    from tanggap.sla import services as sla_services

    original = selectors.calendar_spec
    specs = {}

    def cached(*, calendar):
        key = (calendar.pk, calendar.time_zone, calendar.country, calendar.subdivision,
               calendar.observe_collective_leave)
        if key not in specs:
            specs[key] = original(calendar=calendar)
        return specs[key]

    selectors.calendar_spec = sla_services.calendar_spec = cached
    try:
        yield
    finally:
        selectors.calendar_spec = sla_services.calendar_spec = original


def generate(*, seed: int = 7, progress: bool = False, now: dt.datetime | None = None) -> dict:
    """Create the demo store. Deterministic for a given ``seed`` (and ``now``); returns counts."""
    with _calendar_specs_cached():
        return _generate(seed=seed, progress=progress, now=now)


def _generate(*, seed: int, progress: bool, now: dt.datetime | None) -> dict:
    started = time.perf_counter()
    plan = build_plan(seed=seed, now=now or clock.now())
    with _progress(progress) as bar:
        with transaction.atomic():
            agents = _agents()
            channels = {kind: intake.channel_for(kind=kind) for kind in CHANNELS}
            teams = {t.name: t for t in Team.objects.filter(name__in=cat.TEAMS)}
            task = bar.add_task("Products", total=len(cat.PRODUCTS))
            _products(plan, bar, task)
            task = bar.add_task("Customers", total=len(plan.customers))
            customers = _customers(plan, bar, task)
        task = bar.add_task("Orders", total=len(plan.orders))
        _orders(plan, customers, bar, task)
        archive = archive_plan(plan, seed=seed)
        task = bar.add_task("History", total=1)
        with transaction.atomic():
            archived = archive_write(archive, agents=agents, channels=channels)
        _analyze()
        bar.advance(task)
        task = bar.add_task("Tickets", total=len(plan.tickets))
        counts = Counter()
        for start in range(0, len(plan.tickets), TICKET_BATCH):
            with transaction.atomic():
                for spec in plan.tickets[start:start + TICKET_BATCH]:
                    _ticket(spec, plan, agents, teams, channels, counts)
                    bar.advance(task)
        with transaction.atomic():
            archived["stuck"] = stuck_receive(archive, channels=channels)
            _afterwards(plan)
        care = journeys_play(plan, customers, agents, channels)
        task = bar.add_task("Knowledge, surveys, reviews, loyalty", total=1)
        relationship = parts_play(DemoContext(plan=plan, customers=customers, agents=agents, channels=channels,
                                              teams=teams, now=plan.now, seed=seed))
        bar.advance(task)
        _analyze()
    return {
        "agents": len(agents),
        "products": Product.objects.count(),
        "customers": Customer.objects.count(),
        "orders": Order.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "promises": dict(Counter(Promise.objects.values_list("status", flat=True))),
        "sla_breaches": SlaBreach.objects.count(),
        "progress_updates": Message.objects.filter(meta__purpose="progress_update").count(),
        "remedies": dict(Counter(f"{k}:{s}" for k, s in Remedy.objects.values_list("kind", "status"))),
        **care,
        **{k: v for k, v in relationship.items() if v},
        "archive": {**archived, "level_per_day": round(archive.level, 1)},
        "refused": {k: v for k, v in counts.items() if "refused" in k},
        "seconds": round(time.perf_counter() - started, 2),
    }


def _analyze() -> None:
    """PostgreSQL: refresh the planner's statistics after the bulk inserts. Until autovacuum gets
    to them (and never, inside one long transaction such as the tests'), the planner takes the
    tables for nearly empty and picks plans that scan them again and again: the alert
    detector's first run over the archive's 384 hours did not finish in 15 minutes in CI."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ------------------------------------------------------------------------------------

def _agents() -> dict[str, object]:
    User = get_user_model()
    teams = {name: team_get_or_create(name=name) for name in cat.TEAMS}
    users = {}
    for username, first, last, role, team_names, language in cat.AGENTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # No password: these colleagues only fill the inbox (the loader's "agent" is the
            # one who logs in), and an unusable password also skips a slow hash per agent.
            user = agent_create(username=username, password=None, role=role, teams=[teams[t] for t in team_names],
                                email=f"{username}@{cat.STORE_DOMAIN}", first_name=first, language=language)
            User.objects.filter(pk=user.pk).update(last_name=last)
        users[username] = user
    for team, lead in cat.TEAM_LEADS.items():
        Team.objects.filter(name=team, lead__isnull=True).update(lead=users[lead])
    return users


def _products(plan: Plan, bar, task) -> None:
    for p in cat.PRODUCTS:
        product_upsert(sku=p.sku, name=p.name, category=p.category, price=p.price)
        bar.advance(task)
    since = plan.now - dt.timedelta(days=240)
    Product.objects.filter(sku__in=[p.sku for p in cat.PRODUCTS]).update(created_at=since, updated_at=since)


def _customers(plan: Plan, bar, task) -> dict[int, Customer]:
    # The store's web form and app know their logged-in members: those tickets come with the
    # member id as a handle, which must already belong to the customer (else a new person).
    members = {(t.customer, t.channel) for t in plan.tickets if t.channel in ("web", "api")}
    out = {}
    for c in plan.customers:
        identities = []
        if c.email:
            identities.append((IDENTITY_EMAIL, c.email, ""))
        if c.phone:
            identities.append((IDENTITY_PHONE, c.phone, ""))
        if c.instagram:
            identities.append((IDENTITY_HANDLE, c.instagram, "instagram"))
        for ns in ("web", "api"):
            if (c.idx, ns) in members:
                identities.append((IDENTITY_HANDLE, c.member_id, ns))
        kind, value, ns = identities[0]
        customer, _ = customer_find_or_create(identity=InboundIdentity(kind=kind, value=value, name=c.name, namespace=ns),
                                              language=c.language, country=c.country)
        for kind, value, ns in identities[1:]:
            identity_add(customer=customer, kind=kind, value=value, namespace=ns)
        Customer.objects.filter(pk=customer.pk).update(name=c.name, region=c.region, tier=c.tier, language=c.language,
                                                       country=c.country, created_at=c.created_at, updated_at=c.created_at)
        Identity.objects.filter(customer=customer).update(created_at=c.created_at)
        out[c.idx] = customer
        bar.advance(task)
    return out


def _orders(plan: Plan, customers: dict[int, Customer], bar, task) -> None:
    for start in range(0, len(plan.orders), 250):
        with transaction.atomic():
            for o in plan.orders[start:start + 250]:
                order_create(external_id=o.number, customer=customers[o.customer], status=o.status,
                             placed_at=o.placed_at, currency=o.currency, courier=o.courier, region=o.region,
                             lines=[LineInput(sku=sku, quantity=qty, unit_price=price) for sku, qty, price in o.lines])
                bar.advance(task)
    numbers = [o.number for o in plan.orders]
    Order.objects.filter(external_id__in=numbers).update(created_at=F("placed_at"), updated_at=F("placed_at"))
    Order.objects.filter(external_id__in=numbers, status__in=["shipped", "delivered", "returned", "cancelled"]).update(
        updated_at=F("placed_at") + dt.timedelta(days=2))
    arrived = {o.number: o.delivered_at for o in plan.orders if o.delivered_at}
    rows = list(Order.objects.filter(external_id__in=list(arrived)).only("pk", "external_id"))
    for row in rows:
        row.delivered_at = row.updated_at = arrived[row.external_id]
    Order.objects.bulk_update(rows, ["delivered_at", "updated_at"], batch_size=500)


def _ticket(spec: TicketSpec, plan: Plan, agents: dict, teams: dict, channels: dict, counts: Counter) -> None:
    """Replay one conversation through the services, each step at its planned time.

    Before each step, ``TicketLife.until`` lets happen what the sweeps would have done since
    the previous one (warnings, breaches, lapsed promises, progress updates, an agent
    re-dating a promise); after the last step, up to the demo's "now".
    """
    tz = cat.REGION_BY_NAME[plan.customers[spec.customer].region].tz
    life = TicketLife(spec, plan, agents, counts)
    ticket = None
    status = Status.NEW
    resolved = None
    for index, step in enumerate(spec.steps):
        life.until(step.at)
        life.next_step = index + 1
        previous = status
        with frozen(step.at):
            if step.remedies:
                life.remedies(Ticket.objects.get(pk=ticket.pk), step.remedies)
            if step.kind == "in":
                payload = {"channel": spec.channel, "external_id": step.external_id, "from": step.sender,
                           "body": step.text, "sent_at": step.at.astimezone(tz).isoformat(), "language": step.language}
                if step.subject:
                    payload["subject"] = step.subject
                if ticket is not None:
                    payload["in_reply_to"] = spec.first_external_id
                result = intake.inbound_receive(channel=channels[spec.channel], source="api",
                                                content_type="application/json",
                                                body=json.dumps(payload, ensure_ascii=False).encode())[0]
                if ticket is None:
                    ticket = result.ticket
                    life.ticket_id = ticket.pk
                elif result.ticket.pk != ticket.pk:
                    raise RuntimeError(f"demo ticket {spec.idx}: follow-up landed on ticket {result.ticket.pk}, "
                                       f"not {ticket.pk}")
                InboundRaw.objects.filter(pk=result.message.raw_id).update(processed_at=step.at + dt.timedelta(seconds=1))
                if previous != Status.NEW and STATUS_GROUP[Status(previous)] != StatusGroup.OPEN:
                    status = Status.OPEN
            elif step.kind == "reply":
                reply_send(ticket=ticket, author=agents[step.author], body_text=step.text, status=step.status)
                status = step.status or (Status.OPEN if previous == Status.NEW else previous)
            elif step.kind == "note":
                note_add(ticket=ticket, author=agents[step.author], body_text=step.text)
            else:
                fields = dict(step.fields)
                if "team" in fields:
                    fields["team"] = teams[fields["team"]]
                if "assignee" in fields:
                    fields["assignee"] = agents[fields["assignee"]]
                ticket_update(ticket=ticket, actor=agents.get(step.author) if step.author else None, **fields)
                status = fields.get("status", status)
            mark_sent(ticket.pk)
        life.clock = step.at
        life.after_step(step)
        if STATUS_GROUP[Status(status)] == StatusGroup.RESOLVED:
            resolved = resolved if STATUS_GROUP[Status(previous)] == StatusGroup.RESOLVED else step.at
        else:
            resolved = None
    life.until(plan.now - dt.timedelta(seconds=5))
    with frozen(plan.now):
        sla_refresh(ticket=ticket, at=plan.now)
    if resolved is not None:
        # ticket_update stamps resolved_at again when a solved ticket is closed; the demo
        # keeps the moment it was solved (as before the SLA work), which the list shows.
        Ticket.objects.filter(pk=ticket.pk).update(resolved_at=resolved)
    stored = Ticket.objects.filter(pk=ticket.pk).values_list("status", flat=True).first()
    if stored != spec.target or status != spec.target:
        raise RuntimeError(f"demo ticket {spec.idx} ({spec.theme}) ended {stored}, planned {spec.target}")


def _afterwards(plan: Plan) -> None:
    """The store kept working: replacement orders went out and arrived; agents read their
    notifications about anything older than a day."""
    for order in Order.objects.filter(replacement_for__isnull=False):
        age = plan.now - order.placed_at
        if age > dt.timedelta(days=3):
            arrived = order.placed_at + dt.timedelta(days=2, hours=3)
            Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED, delivered_at=arrived, updated_at=arrived)
        elif age > dt.timedelta(hours=20):
            shipped = order.placed_at + dt.timedelta(hours=18)
            Order.objects.filter(pk=order.pk).update(status=Order.Status.SHIPPED, updated_at=shipped)
    Notification.objects.filter(created_at__lt=plan.now - dt.timedelta(days=1), read_at__isnull=True).update(
        read_at=F("created_at") + dt.timedelta(minutes=25))
