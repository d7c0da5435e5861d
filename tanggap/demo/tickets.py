"""The demo tickets before their conversations: who writes, about what, on which channel
and when, and the order each ticket is about.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from tanggap.demo import catalog as cat
from tanggap.demo import content as txt
from tanggap.demo.helpers import HOUR_WEIGHT, _at_local_hour
from tanggap.demo.people import _order, _random_products
from tanggap.demo.specs import N_TICKETS, RESOLVED, THREADED, CustomerSpec, OrderSpec, TicketSpec
from tanggap.sla.calendar import CalendarSpec, business_time_between


# ------------------------------------------------------------------------------------
# Tickets: who writes, about what, when
# ------------------------------------------------------------------------------------

def _focus_product(rng: random.Random, theme: str) -> cat.ProductDef:
    def choose(pred):
        pool = [p for p in cat.PRODUCTS if pred(p)]
        return rng.choices(pool, weights=[p.popularity for p in pool])[0]

    if theme == "toothpaste":
        return choose(lambda p: p.kind == "toothpaste")
    if theme == "defective":
        return choose(lambda p: p.kind in txt.DEFECT)
    if theme == "howto":
        return choose(lambda p: p.kind in txt.HOWTO_Q)
    if theme == "fake":
        return choose(lambda p: "authentic" in p.traits)
    if theme == "expired":
        return choose(lambda p: "food" in p.traits)
    if theme == "damaged":
        return choose(lambda p: bool(p.traits & {"fragile", "liquid", "electronic"}))
    return choose(lambda p: True)


# (hours ago: low, high, skew exponent) for when a ticket with this final status began. The
# team keeps up: most unsolved tickets are days old at most (their SLA clocks still running,
# their promises standing), with a tail of long-running ones.
T0_RANGE = {"new": (0.1, 24, 1.0), "open": (1, 96, 1.5), "pending": (4, 120, 1.8), "on_hold": (6, 144, 1.7),
            "solved": (48, 600, 1.0), "closed": (216, 1440, 1.0)}


# The default SLA calendar (sla/migrations/0003): Jakarta, Mon-Fri 08-12 and 13-17, Sat 08-12.
WORKING_HOURS = CalendarSpec(time_zone="Asia/Jakarta", country="ID", periods={
    **{d: ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))) for d in range(5)}, 5: ((dt.time(8), dt.time(12)),)})
FIRST_RESPONSE_SOON = dt.timedelta(hours=3, minutes=30)  # the default first-response target is 4 business hours


_SOON_WINDOWS: dict[dt.datetime, float] = {}


def _soon_window(now: dt.datetime, most: float) -> float:
    """How many hours back from ``now`` hold at most FIRST_RESPONSE_SOON of working time."""
    if now not in _SOON_WINDOWS:
        hours = 0.25
        while hours < most and business_time_between(WORKING_HOURS, now - dt.timedelta(hours=hours + 0.25),
                                                     now) <= FIRST_RESPONSE_SOON:
            hours += 0.25
        _SOON_WINDOWS.clear()
        _SOON_WINDOWS[now] = hours
    return _SOON_WINDOWS[now]


def _t0(rng: random.Random, status: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    lo, hi, skew = T0_RANGE[status]
    # The morning shift works the overnight queue: what is still new mostly came in within
    # the last few working hours, whatever the time of day the demo is loaded.
    soon = status == "new" and rng.random() < 0.85
    most = max(HOUR_WEIGHT.values())
    for _ in range(40):
        if soon:
            hours = lo + (_soon_window(now, hi) - lo) * rng.random()
        else:
            hours = lo + (hi - lo) * rng.random() ** skew
        when = now - dt.timedelta(hours=hours)
        if hours > 24:
            when = _at_local_hour(rng, when, tz)
            break
        # Recent tickets too come when people write (few at 3 a.m.): the alert detector
        # compares each hour with the same hour on other days (archive.py).
        if rng.random() < HOUR_WEIGHT[when.astimezone(tz).hour] / most:
            break
    if when > now - dt.timedelta(minutes=5):
        when = now - dt.timedelta(minutes=rng.randrange(5, 60))
    return when


def _ticket_order(rng: random.Random, theme: str, target: str, customer: CustomerSpec, t0: dt.datetime,
                  incident: bool) -> tuple[OrderSpec, cat.ProductDef]:
    focus = _focus_product(rng, theme)
    resolved = target in RESOLVED
    extra = None
    focus_qty = None
    courier = None
    if incident:
        placed = t0 - dt.timedelta(days=rng.uniform(4, 8))
        status, courier = "shipped", cat.INCIDENT_COURIER
    elif theme == "late":
        placed = t0 - dt.timedelta(days=rng.uniform(4, 12) + (2 if customer.country == "MY" else 0))
        status = "delivered" if resolved else "shipped"
    elif theme in ("damaged", "defective", "toothpaste", "wrong_item", "missing_item", "fake", "expired"):
        placed = t0 - dt.timedelta(days=rng.uniform(2.5, 10) + (8 if theme == "defective" else 0))
        status = "returned" if resolved and rng.random() < 0.25 else "delivered"
        if theme == "missing_item":
            extra = rng.choice([1, 2, 3])
            focus_qty = rng.choice([2, 3, 4])
        if theme == "toothpaste":
            focus_qty = rng.choice([2, 3, 4])
    elif theme == "refund":
        placed = t0 - dt.timedelta(days=rng.uniform(7, 25))
        status = "returned" if resolved or rng.random() < 0.4 else "delivered"
    elif theme == "payment_failed":
        placed = t0 - dt.timedelta(minutes=rng.uniform(5, 360))
        status = rng.choice(["paid", "paid", "cancelled"]) if resolved else "placed"
    elif theme == "double_charge":
        placed = t0 - dt.timedelta(minutes=rng.uniform(10, 2880))
        status = rng.choice(["paid", "shipped"]) if not resolved else "delivered"
    elif theme == "address":
        placed = t0 - dt.timedelta(minutes=rng.uniform(10, 1200))
        status = (rng.choice(["shipped", "delivered", "cancelled"])) if resolved else "paid"
    elif theme == "howto":
        placed = t0 - dt.timedelta(days=rng.uniform(3, 25))
        status = "delivered"
    elif theme == "compliment":
        placed = t0 - dt.timedelta(days=rng.uniform(2, 8))
        status = "delivered"
    else:  # loyalty
        placed = t0 - dt.timedelta(days=rng.uniform(1, 30))
        status = "delivered"
    order = _order(rng, customer, placed, status, focus=focus, extra_lines=extra, courier=courier, focus_qty=focus_qty)
    return order, focus


def _threaded_ok(history: list[tuple[dt.datetime, bool]], t0: dt.datetime, resolved: bool) -> bool:
    """Tickets run in order of their first message, each to its end. A new conversation on a
    chat-like channel joins the customer's unresolved one there, so an unresolved ticket may
    only be the customer's last on that channel."""
    if any(not was_resolved for _, was_resolved in history):
        return False
    return resolved or all(t < t0 for t, _ in history)


def _channel_for(rng: random.Random, customer: CustomerSpec, incident: bool, taken: dict,
                 t0: dt.datetime, resolved: bool) -> str | None:
    weights = {"whatsapp": 34, "email": 22, "instagram": 30, "web": 10, "sms": 7, "api": 15}
    if customer.pool == "expat":
        weights.update(email=45, whatsapp=20, sms=2)
    if incident:
        weights.update(web=3, api=6)
    ok = {ch: w for ch, w in weights.items()
          if (ch not in ("whatsapp", "sms") or customer.phone) and (ch != "email" or customer.email)
          and (ch != "instagram" or customer.instagram)}
    # A customer's open conversation on a chat-like channel would swallow a second one.
    ok = {ch: w for ch, w in ok.items() if ch not in THREADED or _threaded_ok(taken[(customer.idx, ch)], t0, resolved)}
    if not ok:
        return None
    return rng.choices(list(ok), weights=list(ok.values()))[0]


def _ticket_seeds(rng: random.Random, customers: list[CustomerSpec], now: dt.datetime) -> list[TicketSpec]:
    seeds: list[TicketSpec] = []
    # (customer, threaded channel) -> final statuses of tickets there; only resolved ones may repeat.
    taken: dict[tuple[int, str], list] = defaultdict(list)
    per_customer: Counter = Counter()

    def add(customer: CustomerSpec, theme: str, target: str, t0: dt.datetime, incident: bool = False) -> bool:
        channel = _channel_for(rng, customer, incident, taken, t0, target in RESOLVED)
        if channel is None:
            return False
        if channel in THREADED:
            taken[(customer.idx, channel)].append((t0, target in RESOLVED))
        order, focus = _ticket_order(rng, theme, target, customer, t0, incident)
        other = ""
        if theme == "wrong_item":
            other = _random_products(rng, 1, {sku for sku, _, _ in order.lines})[0].sku
        seeds.append(TicketSpec(idx=len(seeds), customer=customer.idx, channel=channel, language=customer.language,
                                theme=theme, target=target, t0=t0, order=order, focus_sku=focus.sku, incident=incident,
                                other_sku=other))
        per_customer[customer.idx] += 1
        customer.orders.append(order)
        return True

    # The incident in the making: one courier's hub in one city, the last two days, growing.
    medan = [c for c in customers if c.region == cat.INCIDENT_REGION]
    rng.shuffle(medan)
    incident_targets = ["new"] * 8 + ["open"] * 6 + ["on_hold"] * 3 + ["pending"]
    for customer, target in zip(medan, incident_targets, strict=False):
        t0 = now - dt.timedelta(hours=47.5 * rng.random() ** 1.6 + 0.2)
        add(customer, "incident", target, t0, incident=True)

    # Everything else: 40% open or new, 20% paused, 40% resolved overall.
    rest = N_TICKETS - len(seeds)
    counts = {"new": 22, "open": 84, "pending": 30, "on_hold": 26, "solved": 45}
    counts = {k: round(v * rest / 282) for k, v in counts.items()}
    counts["closed"] = rest - sum(counts.values())
    targets = [s for s, n in counts.items() for _ in range(n)]
    rng.shuffle(targets)
    themes = list(txt.THEME_WEIGHTS)
    weights = [txt.THEME_WEIGHTS[t] for t in themes]
    for target in targets:
        theme = rng.choices(themes, weights=weights)[0]
        if theme == "compliment" and target in ("pending", "on_hold"):
            target = "solved" if target == "pending" else "closed"
        for _ in range(50):
            customer = rng.choices(customers, weights=[c.weight for c in customers])[0]
            if per_customer[customer.idx] >= 4:
                continue
            if add(customer, theme, target, _t0(rng, target, now, customer.tz)):
                break
    return seeds

