"""What the demo's conversations lead to, planned without touching the database: when each
delivered order arrived, which remedies the agents apply (the replacement, refund or voucher
their replies announce) and why they would move a promised date.

Each decision draws from its own ``random.Random`` (seeded by the plan's seed and the
ticket), so adding them leaves the rest of the plan as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tanggap.demo import catalog as cat
from tanggap.demo import content as txt
from tanggap.demo.specs import RESOLVED, Plan, RemedySpec, Step, TicketSpec

# Days from order to doorstep, by country.
TRANSIT_DAYS = {"ID": (1.2, 4.5), "MY": (2.0, 6.0)}
# Complaints about the goods themselves: the order had arrived before the customer wrote.
ARRIVED_BEFORE = {"damaged", "defective", "toothpaste", "wrong_item", "missing_item", "fake", "expired", "refund",
                  "howto", "compliment", "loyalty"}
# The default remedy catalog's approval limit for refunds (remedies/migrations/0002), in rupiah.
REFUND_APPROVAL_ABOVE = Decimal(500_000)
VOUCHER_AMOUNT = {("delivery", "IDR"): Decimal(25_000), ("delivery", "MYR"): Decimal(10),
                  ("defect", "IDR"): Decimal(50_000), ("defect", "MYR"): Decimal(15),
                  ("complaint", "IDR"): Decimal(50_000), ("complaint", "MYR"): Decimal(15)}
ROLE = {a[0]: a[3] for a in cat.AGENTS}
OPENED_AT_ONCE = {"damaged", "toothpaste", "wrong_item", "missing_item", "fake", "expired"}
# The default catalog's windows: (days, counted from "delivered" or "placed").
WINDOWS = {("defect", "replace"): (7, "delivered"), ("refund_request", "refund"): (14, "delivered"),
           ("delivery", "replace"): (30, "placed")}


def resolve_step(spec: TicketSpec, start: int = 0) -> Step | None:
    """The first step from ``start`` on that solves the ticket (a solving reply or update)."""
    for step in spec.steps[start:]:
        status = step.status if step.kind == "reply" else step.fields.get("status")
        if status in RESOLVED:
            return step
    return None


# ------------------------------------------------------------------------------------
# Deliveries
# ------------------------------------------------------------------------------------

def delivery_dates(plan: Plan) -> None:
    """Give every delivered or returned order the moment it arrived, consistent with the
    ticket about it: before a complaint about the goods, after a "where is my parcel"."""
    rng = random.Random(f"{plan.seed}:deliveries")
    about = {id(t.order): t for t in plan.tickets}
    for order in plan.orders:
        if order.status not in ("delivered", "returned"):
            continue
        lo, hi = TRANSIT_DAYS["MY" if order.currency == "MYR" else "ID"]
        zone = cat.REGION_BY_NAME[order.region].tz
        at = order.placed_at + dt.timedelta(days=rng.uniform(lo, hi))
        local = at.astimezone(zone)
        at = local.replace(hour=rng.randrange(9, 20), minute=rng.randrange(60), second=rng.randrange(60)).astimezone(dt.UTC)
        earliest, latest = order.placed_at + dt.timedelta(hours=6), plan.now - dt.timedelta(minutes=30)
        ticket = about.get(id(order))
        if ticket is not None:
            solved = resolve_step(ticket)
            if ticket.theme in ("late", "incident"):
                earliest = max(earliest, ticket.t0 + dt.timedelta(hours=1))
                if solved is not None:
                    latest = min(latest, solved.at - dt.timedelta(minutes=20))
            elif ticket.theme == "address":
                earliest = max(earliest, (solved.at if solved else ticket.t0) + dt.timedelta(hours=2))
            elif ticket.theme in ARRIVED_BEFORE:
                latest = min(latest, ticket.t0 - dt.timedelta(minutes=30))
                if ticket.theme in OPENED_AT_ONCE:  # people open the parcel and write the same day or the next
                    at = ticket.t0 - dt.timedelta(hours=rng.uniform(2, 40))
        if latest <= earliest:
            at = earliest + (latest - earliest) / 2 if latest > order.placed_at else latest
        else:
            at = min(max(at, earliest), latest)
        order.delivered_at = at.replace(microsecond=0)


# ------------------------------------------------------------------------------------
# Remedies
# ------------------------------------------------------------------------------------

def _team(spec: TicketSpec) -> str:
    return txt.THEMES[spec.theme]["team"]


def _lead(spec: TicketSpec) -> str | None:
    """The lead who approves on this ticket's team (Layanan Pelanggan gets its lead, the demo
    login, only after the store is generated)."""
    return cat.TEAM_LEADS.get(_team(spec))


def _needs_approval(category: str, kind: str, amount: Decimal | None, currency: str) -> bool:
    """As the default catalog decides (remedies/migrations/0002_default_catalog.py)."""
    if category == "billing" and kind == "refund":
        return True
    if category == "delivery" and kind == "replace":
        return True
    return kind == "refund" and currency == "IDR" and amount is not None and amount > REFUND_APPROVAL_ABOVE


def _window_open(category: str, kind: str, order, at: dt.datetime) -> bool:
    """As remedies.selectors.window_deadline counts it: calendar days in the site's zone."""
    if (category, kind) not in WINDOWS:
        return True
    days, since = WINDOWS[(category, kind)]
    start = order.delivered_at if since == "delivered" else order.placed_at
    if start is None:
        return True
    last = start.astimezone(cat.WIB).date() + dt.timedelta(days=days)
    return at <= dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=cat.WIB)


def plan_remedies(spec: TicketSpec, seed: int) -> None:
    """Attach to the replies the remedies their words announce: a replacement ("we're sending a
    new one, tracking ..."), a refund ("refunded ... within 3-7 working days"), a voucher (the
    voucher code in the reply), and for a double charge the refund an agent asks a lead to
    approve. Skips what the default catalog would refuse for the ticket's category."""
    rng = random.Random(f"{seed}:{spec.idx}:remedies")
    slots = spec.marks
    category = txt.THEMES[spec.theme]["category"]
    family = txt.THEMES[spec.theme]["family"]
    order = spec.order
    lang = spec.language
    replies = [s for s in spec.steps if s.kind == "reply"]
    if not replies:
        return
    lead = _lead(spec)
    solve = next((s for s in replies if s.stage == "resolve"), None)

    def approver(by: str, kind: str, amount: Decimal | None) -> str | None:
        if not _needs_approval(category, kind, amount, order.currency) or ROLE.get(by) == "lead":
            return None
        return lead

    def allowed(by: str, kind: str, amount: Decimal | None) -> bool:
        # Outside the catalog's window the agent would not have offered it; and with nobody to
        # approve it during generation, a solved ticket would keep a refund its reply says is done.
        approvable = not _needs_approval(category, kind, amount, order.currency) or ROLE.get(by) == "lead" or lead
        return bool(approvable) and _window_open(category, kind, order, solve.at)

    if spec.theme == "double_charge":
        first = replies[0]
        by = first.author if ROLE.get(first.author) != "lead" else rng.choice(
            [a[0] for a in cat.AGENTS if "Pembayaran" in a[4] and a[3] == "agent"])
        refund = RemedySpec(kind="refund", by=by, amount=order.total, note=txt.REMEDY_NOTES["double_charge"][lang])
        if first is solve:
            refund.approver = lead
        first.remedies.append(refund)
        if solve is not None and solve is not first:
            solve.remedies.append(RemedySpec(kind="approve", by=lead or by))
        return
    if solve is None:
        return
    by = solve.author
    text = solve.text
    if slots["new_awb"] in text and (category == "defect" or (category == "delivery" and family in ("product", "delivery"))):
        if allowed(by, "replace", None):
            key = "toothpaste" if spec.theme == "toothpaste" else "replace"
            solve.remedies.append(RemedySpec(kind="replace", by=by, approver=approver(by, "replace", None),
                                             note=txt.REMEDY_NOTES[key][lang]))
    if slots["refund_days"] in text and category in ("refund_request", "defect", "delivery"):
        if family == "product":
            amount = sum((price * qty for sku, qty, price in order.lines if sku == spec.focus_sku), Decimal(0))
        else:
            amount = order.total
        if amount > 0 and allowed(by, "refund", amount):
            solve.remedies.append(RemedySpec(kind="refund", by=by, amount=amount, approver=approver(by, "refund", amount)))
    if slots["voucher_comp"] in text and (category, order.currency) in VOUCHER_AMOUNT:
        solve.remedies.append(RemedySpec(kind="voucher", by=by, amount=VOUCHER_AMOUNT[(category, order.currency)],
                                         voucher_code=slots["voucher_comp"]))


def redate_reasons(spec: TicketSpec, slots: dict) -> list[str]:
    """[why the work takes longer, why we still wait for the customer], in their language."""
    rng = random.Random(f"{spec.idx}:{spec.theme}:redate")
    key = "incident" if spec.incident else txt.THEMES[spec.theme]["family"]
    lang = spec.language
    own = txt.REDATE[key].get(lang) or txt.REDATE[key]["id"]
    return [rng.choice(own).format_map(slots), rng.choice(txt.REDATE["waiting"][lang]).format_map(slots)]
