"""The demo store's people and purchases: customers (names, emails, phones, Instagram
handles) and their orders (lines, prices, couriers, when they were placed).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from tanggap.demo import catalog as cat
from tanggap.demo.helpers import _at_local_hour, _awb, _pick, _slug
from tanggap.demo.specs import N_CUSTOMERS, N_MALAYSIAN, N_ORDERS, ORDER_HISTORY_DAYS, CustomerSpec, OrderSpec


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

