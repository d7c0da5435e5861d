"""The demo store's history, planned without touching the database.

``build_plan(seed, now)`` decides every customer, order and ticket (with each step of
each conversation and its time) from one ``random.Random(seed)``; ``generate.py`` then
replays the plan through the real services. Keeping the plan pure makes it deterministic
and testable: the same seed and ``now`` give the same store.

Planning is split by sub-domain: ``specs`` (the plan's shapes), ``helpers``, ``people``
(customers and orders), ``tickets`` (ticket seeds, channels, timing) and ``writer`` (each
conversation's messages); this module renders each ticket and assembles the whole plan.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from tanggap.demo import catalog as cat
from tanggap.demo import content as txt
from tanggap.demo.helpers import _awb, _fmt_date, _fmt_points, _rand_token
from tanggap.demo.outcomes import delivery_dates, plan_remedies, redate_reasons
from tanggap.demo.people import _age_bucket_weights, _customers, _order, _random_placed_at, _status_by_age
from tanggap.demo.specs import (
    CHANNELS,
    N_CUSTOMERS,
    N_INCIDENT,
    N_MALAYSIAN,
    N_ORDERS,
    N_TICKETS,
    ORDER_HISTORY_DAYS,
    PRODUCT_BY_SKU,
    RESOLVED,
    STATUS_GROUP,
    THREADED,
    CustomerSpec,
    OrderSpec,
    Plan,
    Step,
    TicketSpec,
)
from tanggap.texts.services import format_amount
from tanggap.demo.tickets import _ticket_seeds
from tanggap.demo.writer import _Writer

__all__ = [
    "CHANNELS", "N_CUSTOMERS", "N_INCIDENT", "N_MALAYSIAN", "N_ORDERS", "N_TICKETS", "ORDER_HISTORY_DAYS",
    "PRODUCT_BY_SKU", "RESOLVED", "STATUS_GROUP", "THREADED", "CustomerSpec", "OrderSpec", "Plan", "Step",
    "TicketSpec", "build_plan", "summary",
]


# ------------------------------------------------------------------------------------
# One ticket's texts
# ------------------------------------------------------------------------------------

# The alphabet of the remedies service's voucher codes (no 0/O, 1/I/L).
VOUCHER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _slots(rng: random.Random, spec: TicketSpec, customer: CustomerSpec, now: dt.datetime) -> dict:
    lang = spec.language
    order = spec.order
    product = PRODUCT_BY_SKU[spec.focus_sku]
    li = {"id": 0, "ms": 1, "en": 2}[lang]
    other = PRODUCT_BY_SKU[spec.other_sku] if spec.other_sku else rng.choice(cat.PRODUCTS)
    item2 = rng.choice([p for p in cat.PRODUCTS if p.sku != product.sku])
    region = cat.REGION_BY_NAME[customer.region]
    qty = next(q for sku, q, _ in order.lines if sku == product.sku)
    if product.traits & {"liquid"}:
        damage_group = "leak"
    elif product.kind in ("glass", "lamp", "container") or "fragile" in product.traits:
        damage_group = "broken"
    elif "electronic" in product.traits:
        damage_group = "cracked"
    else:
        damage_group = "crushed"
    tracking = txt.TRACKING_INCIDENT if spec.incident else txt.TRACKING
    exp_date = spec.t0 - dt.timedelta(days=rng.randrange(3, 40)) if rng.random() < 0.6 else spec.t0 + dt.timedelta(days=rng.randrange(10, 30))
    postcode = rng.randrange(10000, 99999)
    if customer.country == "MY":
        address = f"No. {rng.randrange(1, 88)}, {rng.choice(region.streets)}, {rng.choice(region.districts)}, {postcode} {region.name}"
    else:
        address = (f"{rng.choice(region.streets)} No. {rng.randrange(1, 120)}, RT {rng.randrange(1, 12):02d}/RW {rng.randrange(1, 9):02d}, "
                   f"{rng.choice(region.districts)}, {region.name} {postcode}")
    theme_slug = {"fake": "cara-membedakan-produk-asli", "howto": f"cara-pakai-{product.kind.replace('_', '-')}"}.get(
        spec.theme, "pengiriman-dan-pengembalian")
    kb = txt.KB_URLS[lang].format(domain=cat.STORE_DOMAIN, slug=theme_slug)
    points = rng.randrange(8, 120) * 50
    issue = txt.ISSUE.get(spec.theme, {}).get(lang, "")
    vouchers = cat.VOUCHERS_MY if customer.country == "MY" else cat.VOUCHERS
    slots = {
        "order": order.number, "product": product.name, "item": product.short[li], "other": other.short[li],
        "item2": item2.short[li], "courier": order.courier, "awb": order.awb,
        "tracking": rng.choice(tracking[lang] if lang in tracking else tracking["id"]),
        "days": max(2, (spec.t0 - order.placed_at).days), "date": _fmt_date(order.placed_at, lang, customer.tz),
        "city": customer.region, "amount": format_amount(order.total, order.currency, ""),
        "amount2": format_amount(order.total * 2, order.currency, ""), "payment": order.payment,
        "voucher": rng.choice(vouchers), "points": _fmt_points(points, lang), "qty": qty, "n_lines": len(order.lines),
        "damage": rng.choice(txt.DAMAGE[damage_group][lang]), "defect": txt.DEFECT.get(product.kind, {}).get(lang, ""),
        "howto_q": txt.HOWTO_Q.get(product.kind, {}).get(lang, ""), "howto_a": txt.HOWTO_A.get(product.kind, {}).get(lang, ""),
        "exp": exp_date.astimezone(customer.tz).strftime("%d/%m/%Y"), "address": address,
        "new_awb": _awb(rng, order.courier), "first": customer.first, "store": cat.STORE,
        "refund_days": {"id": "3-7 hari kerja", "ms": "3-7 hari bekerja", "en": "3-7 working days"}[lang],
        "batch": f"{product.sku.split('-')[1]}{order.placed_at.strftime('%y%m')}{rng.choice('ABCD')}{rng.randrange(10, 99)}",
        "kb": kb, "ticketref": f"LPR-{rng.randrange(100000, 999999)}", "ref": f"RF{spec.t0:%y%m%d}{rng.randrange(100000, 999999)}",
        "voucher_comp": ("TERIMAKASIH15" if spec.theme == "compliment" else
                         f"MAAF-{_rand_token(rng, 4, VOUCHER_ALPHABET)}-{_rand_token(rng, 4, VOUCHER_ALPHABET)}"),
        "issue": "", "tier": {"gold": "gold", "silver": "silver"}.get(customer.tier, "standar"),
        "orders_count": len(customer.orders), "agent": "",
    }
    slots["issue"] = issue.format_map(slots)
    return slots


def _agents_for(rng: random.Random, spec: TicketSpec) -> list[str]:
    team = txt.THEMES[spec.theme]["team"]
    members = [a[0] for a in cat.AGENTS if team in a[4]]
    if spec.language == "ms" and rng.random() < 0.7:
        return ["nurul"] + [m for m in members if m != "nurul"]
    rng.shuffle(members)
    return members


def _render(rng_seed: str, spec: TicketSpec, customer: CustomerSpec, now: dt.datetime, incident_n: int) -> None:
    rng = random.Random(rng_seed)
    slots = _slots(rng, spec, customer, now)
    family_lang = txt.INITIAL[spec.theme]
    templates = family_lang.get(spec.language) or family_lang["id"]
    subject_t, body_t, *sub = rng.choice(templates)
    spec.sub = sub[0] if sub else ""
    if spec.theme == "address" and spec.target in RESOLVED:  # the order ends as the conversation did
        age = (now - spec.order.placed_at).days
        spec.order.status = "cancelled" if spec.sub == "cancel" else "delivered" if age > 4 else "shipped"
    body = body_t.format_map(slots)
    extras = txt.EXTRAS[spec.language]
    if rng.random() < 0.3 and spec.theme != "compliment":
        body = f"{body} {rng.choice(extras)}"
    if "{order}" not in body_t and spec.sub not in ("redeem", "expiry", "voucher") and rng.random() < 0.85:
        body = f"{body} {rng.choice(txt.ORDER_REF[spec.language]).format_map(slots)}"
    spec.subject_base = subject_t.format_map(slots)
    spec.first_body = body
    writer = _Writer(rng, spec, customer, now, slots, _agents_for(rng, spec), incident_n)
    spec.steps = writer.write()
    assert writer.status == spec.target, (spec.idx, spec.theme, writer.status, spec.target)
    first = spec.steps[0]
    spec.subject = ((first.subject or first.text.strip().split("\n", 1)[0])[:300]) or "(no subject)"
    spec.marks = {k: slots[k] for k in ("new_awb", "refund_days", "voucher_comp")}
    spec.redate_reasons = redate_reasons(spec, slots)


# ------------------------------------------------------------------------------------
# The whole plan
# ------------------------------------------------------------------------------------

def build_plan(*, seed: int = 7, now: dt.datetime | None = None) -> Plan:
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    rng = random.Random(seed)
    customers = _customers(rng)
    tickets = _ticket_seeds(rng, customers, now)

    # Every customer has bought at least once; the rest of the orders follow who buys most.
    orders: list[OrderSpec] = [t.order for t in tickets]
    buckets = _age_bucket_weights(orders, now)
    for c in customers:
        if not c.orders:
            o = _order(rng, c, _random_placed_at(rng, now, c, buckets), "delivered")
            o.status = _status_by_age(rng, (now - o.placed_at).total_seconds() / 86400)
            c.orders.append(o)
            orders.append(o)
    weights = [c.weight for c in customers]
    while len(orders) < N_ORDERS:
        c = rng.choices(customers, weights=weights)[0]
        placed = _random_placed_at(rng, now, c, buckets)
        o = _order(rng, c, placed, _status_by_age(rng, (now - placed).total_seconds() / 86400))
        c.orders.append(o)
        orders.append(o)
    orders.sort(key=lambda o: o.placed_at)
    for seq, o in enumerate(orders, start=10_457):
        o.number = f"TN-{o.placed_at.astimezone(cat.WIB):%y%m%d}-{seq:05d}"

    for c in customers:
        first = min(o.placed_at for o in c.orders)
        c.created_at = first - dt.timedelta(days=rng.uniform(0.01, 40))
        n = len(c.orders)
        c.tier = "gold" if n >= 10 else "silver" if n >= 5 else "standard"

    tickets.sort(key=lambda t: t.t0)
    incident_seen = 0
    for i, t in enumerate(tickets):
        t.idx = i
        if t.incident:
            incident_seen += 1
        _render(f"{seed}:{i}:{t.theme}", t, customers[t.customer], now, incident_seen)
    plan = Plan(seed=seed, now=now, customers=customers, orders=orders, tickets=tickets)
    delivery_dates(plan)
    for t in tickets:
        plan_remedies(t, seed)
    return plan


def summary(plan: Plan) -> dict:
    by = defaultdict(Counter)
    for t in plan.tickets:
        by["status"][t.target] += 1
        by["channel"][t.channel] += 1
        by["language"][t.language] += 1
        by["theme"][t.theme] += 1
    return {k: dict(v) for k, v in by.items()}
