"""The demo store's history, planned without touching the database.

``build_plan(seed, now)`` decides every customer, order and ticket (with each step of
each conversation and its time) from one ``random.Random(seed)``; ``generate.py`` then
replays the plan through the real services. Keeping the plan pure makes it deterministic
and testable: the same seed and ``now`` give the same store.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tanggap.demo import catalog as cat
from tanggap.demo import content as txt

N_CUSTOMERS = 200
N_MALAYSIAN = 40
N_ORDERS = 1000
N_TICKETS = 300
N_INCIDENT = 18
ORDER_HISTORY_DAYS = 182
CHANNELS = ("email", "whatsapp", "sms", "instagram", "web", "api")
# Channels where message_receive threads a new message into the customer's open ticket.
THREADED = {"whatsapp", "sms", "instagram", "api"}
RESOLVED = {"solved", "closed"}
STATUS_GROUP = {"new": "open", "open": "open", "pending": "paused", "on_hold": "paused", "solved": "resolved", "closed": "resolved"}


# ------------------------------------------------------------------------------------
# Plan shapes
# ------------------------------------------------------------------------------------

@dataclass
class CustomerSpec:
    idx: int
    name: str
    first: str
    gender: str
    pool: str
    language: str
    country: str
    region: str
    email: str | None
    phone: str | None
    instagram: str | None
    member_id: str
    weight: float
    created_at: dt.datetime | None = None
    tier: str = "standard"
    orders: list = field(default_factory=list)

    @property
    def tz(self) -> dt.timezone:
        return cat.REGION_BY_NAME[self.region].tz


@dataclass
class OrderSpec:
    customer: int
    placed_at: dt.datetime
    status: str
    courier: str
    region: str
    currency: str
    lines: list[tuple[str, int, Decimal]]  # (sku, quantity, unit price)
    awb: str
    payment: str
    number: str = ""

    @property
    def total(self) -> Decimal:
        return sum((price * qty for _, qty, price in self.lines), Decimal(0))


@dataclass
class Step:
    kind: str  # in | reply | note | update
    at: dt.datetime
    text: str = ""
    subject: str = ""
    author: str | None = None  # agent username; None for the system
    status: str | None = None
    fields: dict = field(default_factory=dict)  # update: priority, category, team, assignee, tags
    external_id: str = ""
    sender: dict = field(default_factory=dict)
    language: str = ""


@dataclass
class TicketSpec:
    idx: int
    customer: int
    channel: str
    language: str
    theme: str
    target: str  # final status
    t0: dt.datetime
    order: OrderSpec
    focus_sku: str
    incident: bool = False
    other_sku: str = ""
    steps: list[Step] = field(default_factory=list)
    subject: str = ""  # what the ticket's subject will be
    subject_base: str = ""  # the email / web form subject of the first message
    sub: str = ""  # what exactly the customer asks about, when a theme has several
    first_body: str = ""

    @property
    def first_external_id(self) -> str:
        return self.steps[0].external_id


@dataclass
class Plan:
    seed: int
    now: dt.datetime
    customers: list[CustomerSpec]
    orders: list[OrderSpec]
    tickets: list[TicketSpec]


PRODUCT_BY_SKU = {p.sku: p for p in cat.PRODUCTS}


# ------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------

def _pick(rng: random.Random, weighted) -> str:
    items = list(weighted)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(*parts: str) -> list[str]:
    out = []
    for part in parts:
        for word in re.split(r"[\s.]+", _ascii(part).lower()):
            word = re.sub(r"[^a-z]", "", word)
            if word and word not in {"bin", "binti", "al", "ap", "i", "ni", "muh", "mohd", "daeng"}:
                out.append(word)
    return out


def _fmt_idr(amount: Decimal) -> str:
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def _fmt_money(amount: Decimal, currency: str) -> str:
    if currency == "MYR":
        return f"RM{amount:,.2f}"
    return _fmt_idr(amount)


def _fmt_date(d: dt.datetime, lang: str, tz: dt.tzinfo, weekday: bool = False) -> str:
    local = d.astimezone(tz)
    text = f"{local.day} {cat.MONTHS[lang][local.month - 1]}"
    if weekday:
        text = f"{cat.WEEKDAYS[lang][local.weekday()]}, {text}"
    return text


def _promise(at: dt.datetime, lang: str, days: int) -> str:
    when = at.astimezone(cat.WIB) + dt.timedelta(days=days)
    day = _fmt_date(when, lang, cat.WIB, weekday=True)
    return {"id": f"{day} pukul 17.00", "ms": f"{day} sebelum jam 5 petang", "en": f"5pm on {day}"}[lang]


def _fmt_points(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "." if lang == "id" else ",")


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _rand_token(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _awb(rng: random.Random, courier: str) -> str:
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    return {
        "JNE": lambda: "CGK" + digits(12),
        "J&T Express": lambda: "JP" + digits(10),
        "SiCepat": lambda: "0044" + digits(8),
        "AnterAja": lambda: "1000" + digits(10),
        "Pos Indonesia": lambda: "P" + digits(12),
        "Pos Laju": lambda: "EP" + digits(9) + "MY",
        "J&T MY": lambda: "63" + digits(11),
    }[courier]()


def _hour(rng: random.Random) -> tuple[int, int]:
    """A local hour when people write to a shop: mornings, lunch and evenings."""
    hours = list(range(6, 24)) + [0]
    weights = [1, 2, 4, 6, 7, 6, 6, 7, 5, 4, 4, 4, 5, 6, 7, 7, 6, 3, 0.6]
    return rng.choices(hours, weights=weights)[0], rng.randrange(60)


def _at_local_hour(rng: random.Random, when: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    h, m = _hour(rng)
    local = when.astimezone(tz).replace(hour=h, minute=m, second=rng.randrange(60), microsecond=0)
    return local.astimezone(dt.UTC)


def _agent_time(rng: random.Random, t: dt.datetime) -> dt.datetime:
    """Agents work 08:00-21:00 WIB every day; later messages wait for the morning shift."""
    local = t.astimezone(cat.WIB)
    if local.hour < 8:
        local = local.replace(hour=8, minute=0) + dt.timedelta(minutes=rng.randrange(5, 75))
    elif local.hour >= 21:
        local = (local + dt.timedelta(days=1)).replace(hour=8, minute=0) + dt.timedelta(minutes=rng.randrange(5, 75))
    return local.astimezone(dt.UTC)


# ------------------------------------------------------------------------------------
# Customers
# ------------------------------------------------------------------------------------

ENGLISH_NAMES_MY = {"m": ["Jason", "Alvin", "Kelvin", "Desmond", "Marcus", "Ryan"], "f": ["Vivian", "Michelle", "Joanne", "Carmen", "Rachel", "Crystal"]}


def _person(rng: random.Random, pool: str) -> tuple[str, str, str]:
    """(full name, the name people call them by, gender)."""
    males, females, lasts = cat.NAMES[pool]
    gender = rng.choice("mf")
    given = rng.choice(males if gender == "m" else females)
    last = rng.choice(lasts)
    words = given.split()
    call = words[0]
    if pool == "bali":
        return f"{given} {last}", words[-1], gender
    if pool == "chinese_my":
        if rng.random() < 0.3:
            eng = rng.choice(ENGLISH_NAMES_MY[gender])
            return f"{eng} {last} {given}", eng, gender
        return f"{last} {given}", given, gender
    if pool == "malay":
        if words[0] in {"Nur", "Nurul", "Mohd", "Muhammad", "Wan", "Nik", "Nor"} and len(words) > 1:
            call = words[-1]
        r = rng.random()
        if r < 0.45:
            return f"{given} {'bin' if gender == 'm' else 'binti'} {last}", call, gender
        if r < 0.75:
            return f"{given} {last}", call, gender
        return given, call, gender
    if pool == "indian_my":
        if rng.random() < 0.5:
            return f"{given} {'a/l' if gender == 'm' else 'a/p'} {last}", call, gender
        return f"{given} {last}", call, gender
    if words[0] in {"Muh.", "Muhammad", "Andi"} and len(words) > 1 and pool != "bugis":
        call = words[-1]
    if words[0] == "Muh.":
        call = words[-1]
    if pool == "java" and rng.random() < 0.08:
        return given, call, gender  # a single name, common among Javanese
    if last == given:
        last = rng.choice(lasts)
    return f"{given} {last}", call, gender


def _email(rng: random.Random, name: str, pool: str, country: str, taken: set[str]) -> str:
    words = _slug(name) or ["pelanggan"]
    first, last = words[0], words[-1]
    domains = cat.EMAIL_DOMAINS_EXPAT if pool == "expat" else (cat.EMAIL_DOMAINS_MY if country == "MY" else cat.EMAIL_DOMAINS_ID)
    domain = _pick(rng, domains)
    year = str(rng.randrange(70, 100) if rng.random() < 0.5 else rng.randrange(0, 6)).zfill(2)
    options = [f"{first}.{last}", f"{first}{last}", f"{first}_{last}", f"{first}{year}", f"{first}.{last}{year}",
               f"{first[0]}{last}", f"{first}{last}{rng.randrange(1, 999)}"]
    local = rng.choice(options) if first != last else f"{first}{year}"
    address = f"{local}@{domain}"
    while address in taken:
        address = f"{local}{rng.randrange(2, 9999)}@{domain}"
    taken.add(address)
    return address


def _instagram(rng: random.Random, name: str, taken: set[str]) -> str:
    words = _slug(name) or ["user"]
    first, last = words[0], words[-1]
    options = [f"{first}.{last}", f"{first}{last}", f"{first}_{last[0]}", f"its{first}", f"{first}{last}{rng.randrange(10, 99)}",
               f"{first}.{rng.choice(['jkt', 'sby', 'official', 'shop', 'id', 'my', 'daily'])}", f"_{first}{last}_"]
    handle = rng.choice(options)
    while handle in taken:
        handle = f"{handle}{rng.randrange(1, 99)}"
    taken.add(handle)
    return handle


def _phone(rng: random.Random, country: str, taken: set[str]) -> str:
    while True:
        if country == "MY":
            prefix = rng.choice(cat.PHONE_PREFIX_MY)
            number = "+60" + prefix + "".join(rng.choice("0123456789") for _ in range(8 if prefix == "11" else 7))
        else:
            number = "+62" + rng.choice(cat.PHONE_PREFIX_ID) + "".join(rng.choice("0123456789") for _ in range(rng.choice([7, 8, 8, 9])))
        if number not in taken:
            taken.add(number)
            return number


def _customers(rng: random.Random) -> list[CustomerSpec]:
    customers: list[CustomerSpec] = []
    names: set[str] = set()
    emails: set[str] = set()
    handles: set[str] = set()
    phones: set[str] = set()
    regions_id = [r for r in cat.REGIONS if r.country == "ID"]
    regions_my = [r for r in cat.REGIONS if r.country == "MY"]
    countries = ["MY"] * N_MALAYSIAN + ["ID"] * (N_CUSTOMERS - N_MALAYSIAN)
    rng.shuffle(countries)
    for idx, country in enumerate(countries):
        regions = regions_my if country == "MY" else regions_id
        region = rng.choices(regions, weights=[r.weight for r in regions])[0]
        pool = _pick(rng, region.ethnicities)
        for _ in range(20):
            name, first, gender = _person(rng, pool)
            if name not in names:
                break
        names.add(name)
        if pool == "expat":
            language = "en"
        elif country == "MY":
            language = "en" if (pool == "chinese_my" and rng.random() < 0.45) or (pool == "indian_my" and rng.random() < 0.4) else "ms"
        else:
            language = "id"
        has_email = pool == "expat" or rng.random() < 0.8
        has_phone = rng.random() < (0.6 if pool == "expat" else 0.87)
        if not (has_email or has_phone):
            has_phone = True
        customers.append(CustomerSpec(
            idx=idx, name=name, first=first, gender=gender, pool=pool, language=language, country=country,
            region=region.name,
            email=_email(rng, name, pool, country, emails) if has_email else None,
            phone=_phone(rng, country, phones) if has_phone else None,
            instagram=_instagram(rng, name, handles) if rng.random() < 0.3 else None,
            member_id=f"TNM{104_211 + idx * 7 + rng.randrange(7)}",
            weight=min(rng.paretovariate(1.4), 12.0),
        ))
    return customers


# ------------------------------------------------------------------------------------
# Orders
# ------------------------------------------------------------------------------------

def _unit_price(rng: random.Random, product: cat.ProductDef, currency: str) -> Decimal:
    price = Decimal(product.price)
    if rng.random() < 0.2:  # a promo price
        price = (price * Decimal(rng.choice(["0.85", "0.9", "0.95"]))).quantize(Decimal("100"), rounding=ROUND_HALF_UP)
    if currency == "MYR":
        ringgit = max(Decimal("3.90"), (price / Decimal(3400)).quantize(Decimal("1"), rounding=ROUND_HALF_UP) - Decimal("0.10"))
        return ringgit.quantize(Decimal("0.01"))
    return price.quantize(Decimal("0.01"))


def _qty(rng: random.Random, product: cat.ProductDef) -> int:
    consumable = product.category in (cat.FOOD, cat.PERSONAL) or product.kind in ("diaper", "wipes", "liquid")
    return rng.choices([1, 2, 3, 4, 6], weights=[55, 25, 12, 5, 3])[0] if consumable else rng.choices([1, 2], weights=[90, 10])[0]


def _random_products(rng: random.Random, n: int, exclude: set[str] = frozenset()) -> list[cat.ProductDef]:
    chosen: list[cat.ProductDef] = []
    pool = [p for p in cat.PRODUCTS if p.sku not in exclude]
    while len(chosen) < n:
        p = rng.choices(pool, weights=[q.popularity for q in pool])[0]
        if p not in chosen:
            chosen.append(p)
    return chosen


def _order(rng: random.Random, customer: CustomerSpec, placed_at: dt.datetime, status: str,
           focus: cat.ProductDef | None = None, extra_lines: int | None = None, courier: str | None = None,
           focus_qty: int | None = None) -> OrderSpec:
    currency = "MYR" if customer.country == "MY" else "IDR"
    if extra_lines is None:
        n = rng.choices([1, 2, 3, 4], weights=[55, 28, 12, 5])[0]
        extra_lines = n - (1 if focus else 0)
    products = ([focus] if focus else []) + _random_products(rng, max(0, extra_lines), {focus.sku} if focus else set())
    lines = []
    for i, p in enumerate(products):
        qty = focus_qty if (i == 0 and focus and focus_qty) else _qty(rng, p)
        lines.append((p.sku, qty, _unit_price(rng, p, currency)))
    courier = courier or _pick(rng, cat.COURIERS_MY if customer.country == "MY" else cat.COURIERS_ID)
    payment = rng.choice(cat.PAYMENTS_MY if customer.country == "MY" else cat.PAYMENTS_ID)
    return OrderSpec(customer=customer.idx, placed_at=placed_at, status=status, courier=courier, region=customer.region,
                     currency=currency, lines=lines, awb=_awb(rng, courier), payment=payment)


def _status_by_age(rng: random.Random, age_days: float) -> str:
    if age_days < 1:
        return _pick(rng, [("placed", 30), ("paid", 40), ("shipped", 22), ("cancelled", 8)])
    if age_days < 4:
        return _pick(rng, [("paid", 8), ("shipped", 55), ("delivered", 32), ("cancelled", 5)])
    if age_days < 10:
        return _pick(rng, [("shipped", 12), ("delivered", 80), ("cancelled", 5), ("returned", 3)])
    return _pick(rng, [("delivered", 90), ("cancelled", 5), ("returned", 4), ("shipped", 1)])


AGE_BUCKETS = 18


def _age_bucket_weights(orders: list[OrderSpec], now: dt.datetime) -> list[float]:
    """How many more orders each stretch of the past needs so that all orders together
    follow a gently growing shop (about a third more orders now than six months ago).
    Orders tied to tickets are recent; the random ones fill in around them."""
    width = ORDER_HISTORY_DAYS / AGE_BUCKETS
    shape = [1 - 0.3 * (b + 0.5) / AGE_BUCKETS for b in range(AGE_BUCKETS)]
    target = [N_ORDERS * w / sum(shape) for w in shape]
    have = Counter(min(AGE_BUCKETS - 1, int((now - o.placed_at).total_seconds() / 86400 / width)) for o in orders)
    return [max(0.05, target[b] - have[b]) for b in range(AGE_BUCKETS)]


def _random_placed_at(rng: random.Random, now: dt.datetime, customer: CustomerSpec, buckets: list[float]) -> dt.datetime:
    width = ORDER_HISTORY_DAYS / AGE_BUCKETS
    while True:
        bucket = rng.choices(range(AGE_BUCKETS), weights=buckets)[0]
        when = now - dt.timedelta(days=(bucket + rng.random()) * width)
        day = when.astimezone(customer.tz).day
        if day >= 25 or day <= 1 or rng.random() < 0.75:  # a bump around payday (the 25th to the 1st)
            break
    when = _at_local_hour(rng, when, customer.tz)
    if when > now - dt.timedelta(minutes=10):
        when -= dt.timedelta(days=1)
    return when


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


# (hours ago: low, high, skew exponent) for when a ticket with this final status began
T0_RANGE = {"new": (0.1, 72, 2.0), "open": (2, 288, 1.6), "pending": (6, 336, 1.3), "on_hold": (8, 384, 1.3),
            "solved": (48, 600, 1.0), "closed": (216, 1440, 1.0)}


def _t0(rng: random.Random, status: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    lo, hi, skew = T0_RANGE[status]
    hours = lo + (hi - lo) * rng.random() ** skew
    when = now - dt.timedelta(hours=hours)
    if hours > 24:
        when = _at_local_hour(rng, when, tz)
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
    counts = {"new": 40, "open": 66, "pending": 30, "on_hold": 26, "solved": 45}
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


# ------------------------------------------------------------------------------------
# Conversations
# ------------------------------------------------------------------------------------

GREETING_RE = re.compile(
    r"^(Halo( kak| min)?|Permisi( min| kak)?|Min|Kak|Selamat (pagi|siang|sore|malam)|Salam( tuan/puan| admin)?|Hai( admin)?"
    r"|Assalamualaikum|Hi( there)?|Hello|Min tolong)[,!]?\s+", re.IGNORECASE)
CHAT_OPENERS = {
    "id": ["Halo kak, ", "Permisi kak, ", "Min, ", "Kak, ", "Halo min, ", "Selamat {daypart} kak, ", "Kak mau tanya, ", ""],
    "ms": ["Salam, ", "Hai admin, ", "Assalamualaikum, ", "Hello admin, ", ""],
    "en": ["Hi, ", "Hello, ", "Hi there, ", ""],
}
EMAIL_OPEN = {
    "id": ["Halo Tim {store},", "Selamat {daypart},", "Dengan hormat,", "Halo admin {store},"],
    "ms": ["Salam sejahtera,", "Assalamualaikum dan salam sejahtera,", "Kepada pihak {store},"],
    "en": ["Hi,", "Hello {store} team,", "Dear Customer Service,"],
}
EMAIL_CLOSE = {
    "id": ["Terima kasih,\n{name}", "Salam,\n{first}", "Hormat saya,\n{name}", "Terima kasih atas perhatiannya.\n\n{name}"],
    "ms": ["Terima kasih,\n{name}", "Yang benar,\n{name}", "Sekian, terima kasih.\n{first}"],
    "en": ["Thanks,\n{first}", "Best regards,\n{name}", "Regards,\n{name}"],
}
def _daypart(at: dt.datetime, tz: dt.tzinfo) -> str:
    h = at.astimezone(tz).hour
    return "pagi" if 4 <= h < 11 else "siang" if 11 <= h < 15 else "sore" if 15 <= h < 18 else "malam"


def _casual(rng: random.Random, text: str, lang: str) -> str:
    pairs = txt.CASUAL_ID if lang == "id" else txt.CASUAL_MS if lang == "ms" else []
    for formal, casual in rng.sample(pairs, k=min(len(pairs), rng.randrange(2, 4))) if pairs else []:
        text = re.sub(rf"\b{formal}\b", casual, text)
    return text


class _Writer:
    """Renders one ticket's texts and times, tracking the status the services will give it."""

    def __init__(self, rng: random.Random, spec: TicketSpec, customer: CustomerSpec, now: dt.datetime, slots: dict,
                 agents: list[str], incident_n: int):
        self.rng, self.spec, self.customer, self.now, self.slots = rng, spec, customer, now, slots
        self.agents = agents
        self.agent = agents[0]
        self.incident_n = incident_n
        self.status = "new"
        self.steps: list[Step] = []
        self.t = spec.t0
        self.lang = spec.language
        self.n_in = 0

    # --- time -----------------------------------------------------------------------
    def later(self, lo_min: float, hi_min: float, agent: bool = False) -> dt.datetime:
        self.t = self.t + dt.timedelta(minutes=self.rng.uniform(lo_min, hi_min))
        if agent:
            self.t = _agent_time(self.rng, self.t)
        return self.t

    def fmt(self, template: str, **extra) -> str:
        return template.format_map({**self.slots, **extra})

    # --- customer -------------------------------------------------------------------
    def _sender(self) -> dict:
        c, ch = self.customer, self.spec.channel
        if ch == "email":
            return {"email": c.email, "name": c.name}
        if ch in ("whatsapp", "sms"):
            phone = c.phone
            if c.country == "ID":
                phone = self.rng.choice([phone, "0" + phone[3:], phone[1:], f"0{phone[3:6]}-{phone[6:10]}-{phone[10:]}"])
            else:
                phone = self.rng.choice([phone, phone[1:]])
            sender = {"phone": phone}
            if ch == "whatsapp":
                sender["name"] = self.rng.choice([c.name, c.first, c.name])
            return sender
        if ch == "instagram":
            return {"handle": c.instagram, "name": c.name}
        return {"handle": c.member_id, "name": c.name}  # web form and the app (api) know the member

    def _external_id(self) -> str:
        r, i, n = self.rng, self.spec.idx, len(self.steps)
        ch = self.spec.channel
        if ch == "email":
            host = {"gmail.com": "mail.gmail.com"}.get(self.customer.email.split("@")[1], self.customer.email.split("@")[1])
            return f"<{_rand_token(r, 28)}{i:03d}{n}@{host}>"
        if ch == "whatsapp":
            return f"wamid.HBgM{_rand_token(r, 22)}{i:03d}{n}"
        if ch == "sms":
            return f"{r.randrange(10**15, 10**16)}{i:03d}{n}"
        if ch == "instagram":
            return f"aWdfZAG1{_rand_token(r, 30)}{i:03d}{n}"
        if ch == "web":
            return f"webform-{_rand_token(r, 12, 'abcdef0123456789')}-{i:03d}{n}"
        return f"app-{_rand_token(r, 16, 'abcdef0123456789')}-{i:03d}{n}"

    def customer_writes(self, body: str, subject: str = "", first: bool = False) -> None:
        ch, lang, tz = self.spec.channel, self.lang, self.customer.tz
        daypart = _daypart(self.t, tz)
        if ch in ("email",):
            body = GREETING_RE.sub("", body, count=1)
            body = body[:1].upper() + body[1:]
            opener = self.rng.choice(EMAIL_OPEN[lang]).format(store=cat.STORE, daypart=daypart)
            closer = self.rng.choice(EMAIL_CLOSE[lang]).format(name=self.customer.name, first=self.customer.first)
            body = f"{opener}\n\n{body}\n\n{closer}"
        elif ch == "web":
            body = GREETING_RE.sub("", body, count=1)
            body = body[:1].upper() + body[1:]
        else:
            if first and self.rng.random() < 0.5 and GREETING_RE.match(body):
                opener = self.rng.choice(CHAT_OPENERS[lang]).format(daypart=daypart)
                rest = GREETING_RE.sub("", body, count=1)
                body = opener + (rest[:1].lower() if opener else rest[:1].upper()) + rest[1:]
            if lang in ("id", "ms") and self.rng.random() < 0.3:
                body = _casual(self.rng, body, lang)
            if first and self.rng.random() < 0.5:  # the gist on the first line, details below
                m = re.search(r"(?<=[.?!])\s+(?=[A-Z0-9])", body)
                if m and m.start() >= 25:
                    body = body[:m.start()] + "\n" + body[m.end():]
        if subject and self.n_in and ch in ("email", "web"):
            subject = "Re: " + subject
        step = Step(kind="in", at=self.t, text=body, subject=subject if ch in ("email", "web") else "",
                    external_id=self._external_id(), sender=self._sender(), language=lang)
        self.steps.append(step)
        if self.n_in and STATUS_GROUP[self.status] != "open":
            self.status = "open"  # message_receive reopens a paused or resolved ticket
        self.n_in += 1

    def followup(self, kind: str) -> None:
        options = txt.FOLLOWUPS[kind].get(self.lang) or txt.FOLLOWUPS[kind]["id"]
        self.customer_writes(self.fmt(self.rng.choice(options)), subject=self.spec.subject_base)

    # --- agents ---------------------------------------------------------------------
    def triage(self) -> None:
        theme = txt.THEMES[self.spec.theme]
        tags = list(theme["tags"])
        order = self.spec.order
        if self.spec.theme in ("late", "incident", "missing_item"):
            tags.append(cat.COURIER_TAG[order.courier])
        if self.spec.incident:
            tags.append(cat.INCIDENT_REGION.lower())
        if self.customer.country == "MY":
            tags.append("malaysia")
        if self.customer.tier == "gold":
            tags.append("vip")
        priority = "normal"
        if self.spec.incident or self.spec.theme in ("double_charge",):
            priority = self.rng.choice(["high", "high", "urgent"])
        elif self.spec.theme in ("payment_failed", "refund", "fake", "expired"):
            priority = self.rng.choice(["normal", "high"])
        elif self.spec.theme in ("compliment", "howto", "loyalty"):
            priority = self.rng.choice(["low", "normal"])
        if self.customer.tier == "gold" and priority in ("low", "normal") and self.rng.random() < 0.5:
            priority = "high"
        self.steps.append(Step(kind="update", at=self.later(3, 90, agent=True), author=self.agent,
                               fields={"category": theme["category"], "priority": priority, "team": theme["team"],
                                       "assignee": self.agent, "tags": tags}))

    def _reply_text(self, stage: str, author: str) -> str:
        family = txt.THEMES[self.spec.theme]["family"]
        lang = self.lang
        levels = [txt.SUB_REPLIES.get(self.spec.sub, {}), txt.THEME_REPLIES.get(self.spec.theme, {}), txt.REPLIES[family]]
        templates = next((lv[stage][lang] for lv in levels if lang in lv.get(stage, {})), None)
        if templates is None:
            templates = txt.REPLIES[family].get(stage, txt.REPLIES[family]["resolve"])[lang]
        first_name = author.capitalize()
        body = self.fmt(self.rng.choice(templates), promise=_promise(self.t, lang, self.rng.choice([1, 1, 2])),
                        agent=first_name)
        honorific = ("Encik" if self.customer.gender == "m" else self.rng.choice(["Puan", "Cik"]))
        greeting = self.rng.choice(txt.GREETING[lang]).format(
            first=self.customer.first, honorific=honorific, daypart=_daypart(self.t, cat.WIB))
        if self.spec.channel == "email":
            sign = txt.SIGNOFF_EMAIL[lang].format(agent=f"{first_name}", store=cat.STORE)
            return f"{greeting}\n\n{body[:1].upper() + body[1:]}\n\n{sign}"
        sign = txt.SIGNOFF_CHAT[lang].format(agent=first_name)
        return f"{greeting} {body} {sign}"

    def reply(self, stage: str, status: str | None = None, lo: float = 5, hi: float = 240) -> None:
        author = self.agent if self.rng.random() < 0.85 else self.rng.choice(self.agents)
        at = self.later(lo, hi, agent=True)
        self.steps.append(Step(kind="reply", at=at, text=self._reply_text(stage, author), author=author, status=status))
        if status:
            self.status = status
        elif self.status == "new":
            self.status = "open"

    def note(self, key: str | None = None) -> None:
        family = txt.THEMES[self.spec.theme]["family"]
        key = key or (self.spec.theme if self.spec.theme in txt.NOTES else family)
        text = self.fmt(self.rng.choice(txt.NOTES[key]), n=self.incident_n)
        self.steps.append(Step(kind="note", at=self.later(1, 40, agent=True), text=text, author=self.agent))

    def set_status(self, status: str, lo: float, hi: float, system: bool = False) -> None:
        at = self.later(lo, hi, agent=not system)
        self.steps.append(Step(kind="update", at=at, author=None if system else self.agent, fields={"status": status}))
        self.status = status

    # --- scripts --------------------------------------------------------------------
    def provide_kind(self) -> str:
        family = txt.THEMES[self.spec.theme]["family"]
        return {"product": "provide_product", "money": "provide_money", "delivery": "provide_delivery",
                "address": "provide_delivery"}.get(family, "still")

    def write(self) -> list[Step]:
        spec, rng, target = self.spec, self.rng, self.spec.target
        self.customer_writes(self.spec.first_body, subject=spec.subject_base, first=True)
        fam = txt.THEMES[spec.theme]["family"]
        if target == "new":
            if rng.random() < 0.3:
                self.later(60, 480)
                self.followup("nudge")
        elif target == "open" and fam == "compliment":
            self.triage()
            self.set_status("open", 1, 30)
        elif target == "open":
            self.triage()
            r = rng.random()
            if r < 0.5:
                self.reply("ack", status="open")
                if spec.incident and rng.random() < 0.5:
                    self.note("incident")
                self.later(30, 1440)
                self.followup("still" if rng.random() < 0.6 else self.provide_kind())
            elif r < 0.8:
                self.reply("ack", status="open")
                self.note("incident" if spec.incident else None)
            else:
                self.note("incident" if spec.incident else None)
                self.set_status("open", 1, 30)
        elif target == "pending":
            self.triage()
            if rng.random() < 0.3 and fam in ("product", "money", "delivery"):
                self.reply("ack")
                self.later(30, 720)
                self.followup("still")
            self.reply("ask", status="pending")
        elif target == "on_hold":
            self.triage()
            if fam == "product":
                self.reply("ask", status="pending")
                self.later(20, 900)
                self.followup("provide_product")
            self.reply("hold", status="on_hold")
            self.note("incident" if spec.incident else None)
            if rng.random() < 0.35:
                self.later(600, 2880)
                self.followup("still")
                self.reply("hold", status="on_hold", lo=5, hi=120)
        else:  # solved / closed
            self.triage()
            r = rng.random()
            fast = spec.theme == "toothpaste" or fam in ("howto", "loyalty", "compliment")
            if fast or r < 0.35:
                self.reply("resolve", status="solved", lo=3, hi=30 if spec.theme == "toothpaste" else 180)
            elif r < 0.7 or fam in ("address",):
                self.reply("ask", status="pending")
                self.later(20, 900)
                self.followup(self.provide_kind())
                self.reply("resolve", status="solved")
            else:
                self.reply("hold", status="on_hold")
                if rng.random() < 0.6:
                    self.note()
                self.later(1440, 4320)
                self.reply("resolve", status="solved", lo=0, hi=60)
            if spec.theme == "toothpaste" and rng.random() < 0.5:
                self.note("toothpaste")
            if rng.random() < (0.6 if spec.theme == "toothpaste" else 0.25):
                self.later(60, 1440)
                self.followup("thanks_toothpaste" if spec.theme == "toothpaste" else "thanks")
                self.set_status("solved", 10, 180)
            if target == "closed":
                self.set_status("closed", 3 * 1440, 5 * 1440, system=True)
        self._fit()
        return self.steps

    def _fit(self) -> None:
        """Squeeze the conversation so its last step is in the past (keeping the order)."""
        limit = self.now - dt.timedelta(minutes=2)
        last = self.steps[-1].at
        if last <= limit:
            return
        t0 = self.steps[0].at
        span = (last - t0).total_seconds()
        room = max((limit - t0).total_seconds(), 60.0)
        for i, step in enumerate(self.steps):
            step.at = t0 + dt.timedelta(seconds=(step.at - t0).total_seconds() * room / span) + dt.timedelta(seconds=i)


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
        "city": customer.region, "amount": _fmt_money(order.total, order.currency),
        "amount2": _fmt_money(order.total * 2, order.currency), "payment": order.payment,
        "voucher": rng.choice(vouchers), "points": _fmt_points(points, lang), "qty": qty, "n_lines": len(order.lines),
        "damage": rng.choice(txt.DAMAGE[damage_group][lang]), "defect": txt.DEFECT.get(product.kind, {}).get(lang, ""),
        "howto_q": txt.HOWTO_Q.get(product.kind, {}).get(lang, ""), "howto_a": txt.HOWTO_A.get(product.kind, {}).get(lang, ""),
        "exp": exp_date.astimezone(customer.tz).strftime("%d/%m/%Y"), "address": address,
        "new_awb": _awb(rng, order.courier), "first": customer.first, "store": cat.STORE,
        "refund_days": {"id": "3-7 hari kerja", "ms": "3-7 hari bekerja", "en": "3-7 working days"}[lang],
        "batch": f"{product.sku.split('-')[1]}{order.placed_at.strftime('%y%m')}{rng.choice('ABCD')}{rng.randrange(10, 99)}",
        "kb": kb, "ticketref": f"LPR-{rng.randrange(100000, 999999)}", "ref": f"RF{spec.t0:%y%m%d}{rng.randrange(100000, 999999)}",
        "voucher_comp": ("TERIMAKASIH15" if spec.theme == "compliment" else f"MAAF{_rand_token(rng, 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}"),
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
    return Plan(seed=seed, now=now, customers=customers, orders=orders, tickets=tickets)


def summary(plan: Plan) -> dict:
    by = defaultdict(Counter)
    for t in plan.tickets:
        by["status"][t.target] += 1
        by["channel"][t.channel] += 1
        by["language"][t.language] += 1
        by["theme"][t.theme] += 1
    return {k: dict(v) for k, v in by.items()}
