"""The store's everyday history: the short, already solved conversations of the four weeks
before the demo's "now", with their customers and orders.

The planned tickets (``plan``) are the interesting ones: what is still open, what went wrong,
promises, remedies, the incident in the making. A store that gets that many new tickets in a
morning also answers many more simple questions a day, and those are what the alert detector
learns its baseline from (``alerts.detect_due`` looks back two weeks). Without them the
planned tickets, most of them recent, would look like one big rise on every stream.

``archive_plan`` decides the archive from the seed without touching the database: hour by hour
a daily level times an hour-of-day and weekday shape (the level is set from the planned
tickets of the last day, so the recent queue is ordinary), less the planned tickets already in
that hour. The incident's tickets are left out of that sum, so the incident stays a rise over
the baseline. ``archive_write`` stores it with bulk inserts: each archived ticket has its
customer (with an identity for the channel), the order it is about, the customer's message,
an agent's answer and its solving, and the timeline rows of those.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from tanggap.demo import catalog as cat
from tanggap.demo.helpers import HOUR_WEIGHT, _agent_time, _pick
from tanggap.demo.people import _email, _instagram, _order, _person, _phone
from tanggap.demo.specs import CustomerSpec, OrderSpec, Plan

ARCHIVE_DAYS = 16
N_STUCK = 14  # newcomers in the incident's city writing about the stuck hub in the last hours
STUCK_HOURS = 5  # alerts.detect_due counts two weeks back on its first run
HOUR = dt.timedelta(hours=1)

# Share of a day's customer contacts per local hour (WIB) — as the planned tickets
# (helpers.HOUR_WEIGHT; a little at night) — and per weekday (Monday first).
HOUR_SHAPE = [HOUR_WEIGHT[h] for h in range(24)]
WEEKDAY_SHAPE = [1.18, 1.12, 1.05, 1.0, 0.98, 0.87, 0.8]
_HOUR_TOTAL = sum(HOUR_SHAPE)
LEVEL_MIN, LEVEL_MAX = 40.0, 400.0  # tickets a day

CATEGORY_WEIGHTS = {"delivery": 34, "question": 22, "defect": 11, "refund_request": 9, "billing": 10,
                    "complaint": 5, "other": 9}
CATEGORY_TEAM = {"delivery": "Pengiriman", "billing": "Pembayaran", "refund_request": "Pembayaran"}
# as the planned tickets (tickets._channel_for)
CHANNEL_WEIGHTS = {"whatsapp": 34, "email": 22, "instagram": 30, "web": 10, "sms": 7, "api": 15}

# (subject, customer's message, agent's answer) per category and language.
TEXTS: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "delivery": {
        "id": [("Cek resi {order}", "Halo min, boleh minta nomor resi untuk pesanan {order}? Terima kasih.",
                "Halo Kak {first}, resi pesanan {order} adalah {awb} ({courier}). Paket sedang dalam perjalanan ya."),
               ("Estimasi sampai {order}", "Kak, pesanan {order} kira-kira sampai kapan ya ke {city}?",
                "Halo Kak {first}, menurut {courier} paketnya tiba 1-2 hari lagi. Terima kasih sudah menunggu.")],
        "ms": [("Semak penghantaran {order}", "Hai, boleh saya tahu status penghantaran pesanan {order}?",
                "Hai {first}, pesanan {order} sedang dihantar oleh {courier} (no. tracking {awb})."),
               ("Bila pesanan sampai?", "Salam, pesanan {order} dijangka sampai bila ya?",
                "Hai {first}, mengikut {courier} pesanan anda akan sampai dalam 1-2 hari bekerja.")],
        "en": [("Tracking for {order}", "Hi, could you share the tracking number for order {order}? Thanks.",
                "Hi {first}, your order {order} is on its way with {courier}, tracking number {awb}."),
               ("When will {order} arrive?", "Hello, when should I expect order {order} in {city}?",
                "Hi {first}, {courier} expects to deliver it within 1-2 days.")],
    },
    "question": {
        "id": [("Tanya stok {product}", "Halo kak, {product} masih ready stok? Mau pesan 2.",
                "Halo Kak {first}, {product} masih tersedia. Silakan langsung checkout ya."),
               ("Cara pakai {product}", "Min, {product} yang saya beli cara pakainya gimana ya?",
                "Halo Kak {first}, panduan pemakaian {product} sudah kami kirimkan. Kalau masih bingung kabari kami ya.")],
        "ms": [("Stok {product}", "Hai, {product} masih ada stok tak?",
                "Hai {first}, {product} masih ada stok. Boleh terus buat pesanan."),
               ("Cara guna {product}", "Salam, macam mana nak guna {product} ni?",
                "Hai {first}, panduan penggunaan {product} telah kami hantar. Beritahu kami jika ada soalan lagi.")],
        "en": [("Is {product} in stock?", "Hi, is {product} still available?",
                "Hi {first}, yes, {product} is in stock. You can order it right away."),
               ("How to use {product}", "Hello, how do I use the {product} I bought?",
                "Hi {first}, we have sent you the guide for {product}. Let us know if anything is unclear.")],
    },
    "defect": {
        "id": [("{product} tidak berfungsi", "Kak, {product} dari pesanan {order} tidak mau menyala. Mohon dibantu.",
                "Mohon maaf Kak {first}. Kami kirim pengganti {product} hari ini, barang lama tidak perlu dikembalikan.")],
        "ms": [("{product} rosak", "Hai, {product} dalam pesanan {order} rosak semasa sampai.",
                "Maaf atas kesulitan, {first}. Kami akan hantar {product} gantian hari ini.")],
        "en": [("{product} is faulty", "Hi, the {product} from order {order} doesn't work.",
                "Sorry about that, {first}. We are sending a replacement {product} today.")],
    },
    "refund_request": {
        "id": [("Pengembalian dana {order}", "Halo, saya mau batalkan pesanan {order} dan minta refund.",
                "Halo Kak {first}, pesanan {order} sudah kami batalkan dan dana dikembalikan dalam 1-3 hari kerja.")],
        "ms": [("Bayaran balik {order}", "Hai, saya nak batalkan pesanan {order} dan minta bayaran balik.",
                "Hai {first}, pesanan {order} telah dibatalkan dan bayaran balik akan diproses dalam 1-3 hari bekerja.")],
        "en": [("Refund for {order}", "Hi, I'd like to cancel order {order} and get a refund.",
                "Hi {first}, order {order} is cancelled and the refund will reach you in 1-3 working days.")],
    },
    "billing": {
        "id": [("Pembayaran belum terkonfirmasi", "Min, saya sudah bayar pesanan {order} tapi statusnya belum lunas.",
                "Halo Kak {first}, pembayaran pesanan {order} sudah kami terima dan pesanan segera diproses.")],
        "ms": [("Bayaran belum disahkan", "Hai, saya dah bayar untuk {order} tapi status masih belum dibayar.",
                "Hai {first}, bayaran untuk {order} telah diterima dan pesanan sedang diproses.")],
        "en": [("Payment not confirmed", "Hi, I paid for order {order} but it still shows unpaid.",
                "Hi {first}, we have received the payment for {order}; the order is being processed.")],
    },
    "complaint": {
        "id": [("Kemasan penyok", "Kak, paket {order} datang dengan kardus penyok. Isinya aman sih, cuma info.",
                "Terima kasih infonya Kak {first}, kami sampaikan ke tim gudang dan {courier} agar lebih hati-hati.")],
        "ms": [("Kotak kemek", "Hai, kotak pesanan {order} sampai dalam keadaan kemek. Barang ok.",
                "Terima kasih atas maklum balas, {first}. Kami akan maklumkan kepada gudang dan {courier}.")],
        "en": [("Dented box", "Hi, the box for order {order} arrived dented. The item is fine though.",
                "Thanks for letting us know, {first}. We have passed it on to our warehouse and {courier}.")],
    },
    "other": {
        "id": [("Terima kasih", "Paket {order} sudah sampai, makasih ya min, cepat!",
                "Sama-sama Kak {first}, senang bisa membantu. Ditunggu pesanan berikutnya!")],
        "ms": [("Terima kasih", "Pesanan {order} dah sampai, terima kasih!",
                "Sama-sama {first}, gembira dapat membantu!")],
        "en": [("Thank you", "Order {order} arrived, thanks a lot!",
                "You're welcome, {first}. Glad it arrived safely!")],
    },
}


# A tag per template above (the same index in every language), as agents tag such tickets.
TEMPLATE_TAGS = {"delivery": ["cek-resi", "estimasi-tiba"], "question": ["stok", "cara-pakai"],
                 "defect": ["cacat-produk"], "refund_request": ["refund"], "billing": ["konfirmasi-bayar"],
                 "complaint": ["kemasan"], "other": ["pujian"]}


@dataclass
class ArchiveTicket:
    customer: CustomerSpec
    order: OrderSpec
    channel: str
    category: str
    team: str
    at: dt.datetime
    replied_at: dt.datetime
    solved_at: dt.datetime
    status: str  # solved | closed
    subject: str
    text: str
    answer: str
    agent: str
    tag: str


@dataclass
class StuckTicket:
    """A first-time buyer in the incident's city whose parcel is stuck at the courier's hub,
    writing in the last hours (stored through the real intake: a new ticket)."""
    customer: CustomerSpec
    order: OrderSpec
    channel: str
    at: dt.datetime
    subject: str
    text: str
    sender: dict


@dataclass
class Archive:
    level: float  # tickets a day
    tickets: list[ArchiveTicket] = field(default_factory=list)
    stuck: list[StuckTicket] = field(default_factory=list)

    @property
    def customers(self) -> list[CustomerSpec]:
        everyone = [t.customer for t in self.tickets] + [t.customer for t in self.stuck]
        return list({id(c): c for c in everyone}.values())

    @property
    def orders(self) -> list[tuple[CustomerSpec, OrderSpec]]:
        return [(t.customer, t.order) for t in self.tickets] + [(t.customer, t.order) for t in self.stuck]


def shape(at: dt.datetime) -> float:
    """The share of a day's contacts in the hour starting at ``at`` (sums to about 1 a day)."""
    local = at.astimezone(cat.WIB)
    return HOUR_SHAPE[local.hour] / _HOUR_TOTAL * WEEKDAY_SHAPE[local.weekday()]


def _hour(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def planned_per_hour(plan: Plan, *, incident: bool) -> Counter:
    """Planned tickets with a customer message per hour (a ticket counts once an hour)."""
    seen: set[tuple[int, dt.datetime]] = set()
    out: Counter = Counter()
    for spec in plan.tickets:
        if spec.incident != incident:
            continue
        for step in spec.steps:
            if step.kind == "in" and (spec.idx, _hour(step.at)) not in seen:
                seen.add((spec.idx, _hour(step.at)))
                out[_hour(step.at)] += 1
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _agent_reply(rng: random.Random, at: dt.datetime) -> dt.datetime:
    """Simple questions are answered within 5-90 minutes, in the agents' hours (_agent_time)."""
    return _agent_time(rng, at + dt.timedelta(minutes=rng.uniform(5, 90)))


def archive_plan(plan: Plan, *, seed: int) -> Archive:
    rng = random.Random(f"{seed}:archive")
    now = plan.now
    planned = planned_per_hour(plan, incident=False)
    # The level at which the planned tickets of the last twelve hours are ordinary: the
    # third-highest of their hours' count / shape (one or two odd hours may stand out).
    ratios = sorted((planned[h] / shape(h) for h in (_hour(now) - (i + 1) * HOUR for i in range(12))),
                    reverse=True)
    level = min(LEVEL_MAX, max(LEVEL_MIN, ratios[2]))
    archive = Archive(level=level)

    emails = {c.email for c in plan.customers if c.email}
    phones = {c.phone for c in plan.customers if c.phone}
    handles = {c.instagram for c in plan.customers if c.instagram}
    regions_id = [r for r in cat.REGIONS if r.country == "ID"]
    regions_my = [r for r in cat.REGIONS if r.country == "MY"]
    agents_by_team: dict[str, list[str]] = {t: [a[0] for a in cat.AGENTS if t in a[4]] for t in cat.TEAMS}
    regulars: list[CustomerSpec] = []
    idx = 100_000
    hour = _hour(now - dt.timedelta(days=ARCHIVE_DAYS))
    while hour < now:
        elapsed = min(1.0, (now - hour) / HOUR)
        wanted = _poisson(rng, level * shape(hour) * elapsed)
        for _ in range(max(0, wanted - planned[hour])):
            at = hour + dt.timedelta(seconds=rng.uniform(0, 3600 * elapsed))
            replied = _agent_reply(rng, at)
            solved = replied + dt.timedelta(minutes=rng.uniform(0, 40))
            if solved > now - dt.timedelta(minutes=5):
                continue  # still being answered: the planned tickets cover what is open now
            if regulars and rng.random() < 0.15:
                customer = rng.choice(regulars)
            else:
                country = "MY" if rng.random() < 0.2 else "ID"
                regions = regions_my if country == "MY" else regions_id
                region = rng.choices(regions, weights=[r.weight for r in regions])[0]
                pool = _pick(rng, region.ethnicities)
                name, first, gender = _person(rng, pool)
                language = "en" if pool == "expat" else ("ms" if country == "MY" and rng.random() < 0.75
                                                         else ("en" if country == "MY" else "id"))
                customer = CustomerSpec(
                    idx=idx, name=name, first=first, gender=gender, pool=pool, language=language, country=country,
                    region=region.name, email=_email(rng, name, pool, country, emails) if rng.random() < 0.6 else None,
                    phone=_phone(rng, country, phones),
                    instagram=_instagram(rng, name, handles) if rng.random() < 0.35 else None,
                    member_id=f"TNM{300_000 + idx}", weight=1.0)
                idx += 1
                regulars.append(customer)
            placed = at - dt.timedelta(days=rng.uniform(1, 9))
            order = _order(rng, customer, placed, "delivered")
            order.number = f"TN-{placed.astimezone(cat.WIB):%y%m%d}-{60_000 + len(archive.tickets):05d}"
            arrived = placed + dt.timedelta(days=rng.uniform(1.5, 4))
            if arrived < at:
                order.delivered_at = arrived
            else:
                order.status = "shipped"
            customer.orders.append(order)
            customer.created_at = min(customer.created_at or placed, placed - dt.timedelta(hours=2))
            category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
            if category == "delivery" and order.status == "delivered" and rng.random() < 0.7:
                category = rng.choice(["question", "other", "complaint"])
            channels = {ch: w for ch, w in CHANNEL_WEIGHTS.items()
                        if (ch != "email" or customer.email) and (ch != "instagram" or customer.instagram)}
            channel = rng.choices(list(channels), weights=list(channels.values()))[0]
            team = CATEGORY_TEAM.get(category, "Layanan Pelanggan")
            sku = order.lines[0][0]
            product = next(p for p in cat.PRODUCTS if p.sku == sku)
            fields = {"order": order.number, "product": product.name, "first": customer.first, "city": customer.region,
                      "courier": order.courier, "awb": order.awb}
            choice = rng.randrange(len(TEXTS[category][customer.language]))
            subject, text, answer = (s.format(**fields) for s in TEXTS[category][customer.language][choice])
            archive.tickets.append(ArchiveTicket(
                customer=customer, order=order, channel=channel, category=category, team=team, at=at,
                replied_at=replied, solved_at=solved, status="closed" if solved < now - dt.timedelta(days=4) else "solved",
                subject=subject, text=text, answer=answer, agent=rng.choice(agents_by_team[team]),
                tag=TEMPLATE_TAGS[category][choice]))
        hour += HOUR
    _stuck(rng, archive, now, emails, phones, handles)
    return archive


STUCK_TEXTS = [
    ("Paket {courier} tertahan di {city}",
     "Halo, ini pertama kali saya belanja di sini. Paket {order} statusnya \"{tracking}\" terus di {courier}. "
     "Kapan sampainya ya?"),
    ("Resi {awb} tidak update",
     "Min, resi {awb} untuk pesanan {order} tidak bergerak sejak kemarin, masih di hub {courier} {city}. Tolong dicek."),
    ("Pesanan belum sampai",
     "Kak, pesanan {order} belum sampai juga. Kata kurir {courier} ada penumpukan di gudang {city}. Mohon infonya."),
]


def _stuck(rng: random.Random, archive: Archive, now: dt.datetime, emails: set, phones: set, handles: set) -> None:
    """The stuck hub also holds first-time buyers' parcels; some of them write in the last
    hours (more the closer to now), which is the rise the detector catches."""
    region = cat.REGION_BY_NAME[cat.INCIDENT_REGION]
    for k in range(N_STUCK):
        at = now - dt.timedelta(minutes=4) - dt.timedelta(hours=STUCK_HOURS) * rng.random() ** 1.4
        pool = _pick(rng, region.ethnicities)
        name, first, gender = _person(rng, pool)
        email = _email(rng, name, pool, "ID", emails) if rng.random() < 0.5 else None
        customer = CustomerSpec(idx=200_000 + k, name=name, first=first, gender=gender, pool=pool, language="id",
                                country="ID", region=region.name, email=email, phone=_phone(rng, "ID", phones),
                                instagram=_instagram(rng, name, handles) if rng.random() < 0.3 else None,
                                member_id=f"TNM{900_000 + k}", weight=1.0)
        placed = at - dt.timedelta(days=rng.uniform(3.5, 7))
        order = _order(rng, customer, placed, "shipped", courier=cat.INCIDENT_COURIER)
        order.number = f"TN-{placed.astimezone(cat.WIB):%y%m%d}-{70_000 + k:05d}"
        customer.orders.append(order)
        customer.created_at = placed - dt.timedelta(minutes=rng.uniform(5, 90))
        channels = {"whatsapp": 50, "email": 25 if email else 0, "instagram": 25 if customer.instagram else 0}
        channel = rng.choices(list(channels), weights=list(channels.values()))[0]
        sku = order.lines[0][0]
        fields = {"order": order.number, "courier": order.courier, "city": region.name, "awb": order.awb,
                  "tracking": rng.choice(["Tiba di Hub Medan", "Paket tertahan di Hub Medan"]),
                  "product": next(p.name for p in cat.PRODUCTS if p.sku == sku)}
        subject, text = (t.format(**fields) for t in rng.choice(STUCK_TEXTS))
        sender = ({"phone": customer.phone, "name": customer.first} if channel == "whatsapp" else
                  {"email": email, "name": name} if channel == "email" else {"handle": customer.instagram, "name": name})
        archive.stuck.append(StuckTicket(customer=customer, order=order, channel=channel, at=at, subject=subject,
                                         text=text, sender=sender))


# --- writing ------------------------------------------------------------------------------------

def archive_write(archive: Archive, *, agents: dict, channels: dict) -> dict[str, int]:
    """Store the archive with bulk inserts (in the caller's transaction). Returns counts."""
    from tanggap.accounts.models import Team
    from tanggap.channels.models import InboundRaw
    from tanggap.conversations.choices import Delivery, Direction, Initiator, TimelineKind
    from tanggap.conversations.models import Message, Tag, Ticket, TimelineEntry
    from tanggap.customers.models import Customer, Identity, Order, OrderLine, Product

    if not archive.tickets and not archive.stuck:
        return {"tickets": 0, "customers": 0, "orders": 0}
    specs = archive.customers
    rows = [Customer(name=c.name, language=c.language, country=c.country, region=c.region,
                     created_at=c.created_at, updated_at=c.created_at) for c in specs]
    Customer.objects.bulk_create(rows, batch_size=500)
    customer_of = {c.idx: row for c, row in zip(specs, rows, strict=True)}
    if any(row.pk is None for row in rows):  # a database that does not return ids from bulk inserts
        raise RuntimeError("archive: customer ids were not returned by the bulk insert")
    identities = []
    for c in specs:
        if c.email:
            identities.append(Identity(customer=customer_of[c.idx], kind="email", value=c.email, created_at=c.created_at))
        identities.append(Identity(customer=customer_of[c.idx], kind="phone", value=c.phone, created_at=c.created_at))
        identities.append(Identity(customer=customer_of[c.idx], kind="handle", namespace="web", value=c.member_id,
                                   created_at=c.created_at))
        if c.instagram:
            identities.append(Identity(customer=customer_of[c.idx], kind="handle", namespace="instagram",
                                       value=c.instagram, created_at=c.created_at))
    Identity.objects.bulk_create(identities, batch_size=500)

    products = {p.sku: p for p in Product.objects.all()}
    orders = []
    for customer, o in archive.orders:
        total = sum((price * qty for _, qty, price in o.lines), Decimal(0))
        orders.append(Order(external_id=o.number, customer=customer_of[customer.idx], status=o.status,
                            placed_at=o.placed_at, total=total, currency=o.currency, courier=o.courier, region=o.region,
                            delivered_at=o.delivered_at, created_at=o.placed_at,
                            updated_at=o.delivered_at or o.placed_at + dt.timedelta(days=1)))
    Order.objects.bulk_create(orders, batch_size=500)
    OrderLine.objects.bulk_create([OrderLine(order=row, product=products[sku], quantity=qty, unit_price=price)
                                   for (_, o), row in zip(archive.orders, orders, strict=True)
                                   for sku, qty, price in o.lines], batch_size=1000)

    teams = {t.name: t for t in Team.objects.filter(name__in=cat.TEAMS)}
    tickets = [Ticket(subject=t.subject, customer=customer_of[t.customer.idx], channel=channels[t.channel],
                      status=t.status, category=t.category, team=teams.get(t.team), assignee=agents[t.agent],
                      created_at=t.at, updated_at=t.solved_at, last_message_at=t.replied_at,
                      first_response_at=t.replied_at, resolved_at=t.solved_at)
               for t in archive.tickets]
    Ticket.objects.bulk_create(tickets, batch_size=500)
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in {t.tag for t in archive.tickets}}
    Ticket.tags.through.objects.bulk_create(
        [Ticket.tags.through(ticket_id=ticket.pk, tag_id=tags[t.tag].pk)
         for t, ticket in zip(archive.tickets, tickets, strict=True)], batch_size=1000)
    # As through the intake: each customer message's payload is kept raw (API JSON shape).
    raws = []
    for i, t in enumerate(archive.tickets):
        payload = json.dumps({"channel": t.channel, "external_id": f"archive-{t.at:%Y%m%d}-{i}",
                              "from": _sender(t), "subject": t.subject, "body": t.text,
                              "sent_at": t.at.isoformat(), "language": t.customer.language},
                             ensure_ascii=False).encode()
        raws.append(InboundRaw(channel=channels[t.channel], received_at=t.at, content_type="application/json",
                               body=payload, size=len(payload), status=InboundRaw.Status.PROCESSED, source="api",
                               messages_created=1, processed_at=t.at + dt.timedelta(seconds=1)))
    InboundRaw.objects.bulk_create(raws, batch_size=500)
    messages = []
    for i, (t, ticket) in enumerate(zip(archive.tickets, tickets, strict=True)):
        customer = customer_of[t.customer.idx]
        recipient = {"email": t.customer.email, "instagram": t.customer.instagram}.get(
            t.channel, t.customer.phone if t.channel in ("whatsapp", "sms") else (t.customer.email or t.customer.phone))
        messages.append(Message(ticket=ticket, direction=Direction.INBOUND, channel_kind=t.channel,
                                external_id=f"archive-{t.at:%Y%m%d}-{i}", customer=customer, raw=raws[i],
                                subject=t.subject, body_text=t.text, sent_at=t.at, created_at=t.at))
        messages.append(Message(ticket=ticket, direction=Direction.OUTBOUND, channel_kind=t.channel,
                                author=agents[t.agent], initiated_by=Initiator.CUSTOMER, subject=t.subject,
                                body_text=t.answer, sent_at=t.replied_at, created_at=t.replied_at,
                                recipient=recipient or "", delivery_status=Delivery.SENT, attempts=1))
    Message.objects.bulk_create(messages, batch_size=500)
    timeline = []
    for i, (t, ticket) in enumerate(zip(archive.tickets, tickets, strict=True)):
        customer = customer_of[t.customer.idx]
        inbound, outbound = messages[2 * i], messages[2 * i + 1]
        agent = agents[t.agent]
        timeline += [
            TimelineEntry(ticket=ticket, at=t.at, kind=TimelineKind.OPENED, customer=customer,
                          initiated_by=Initiator.CUSTOMER, data={"channel": t.channel}),
            TimelineEntry(ticket=ticket, at=t.replied_at, kind=TimelineKind.STATUS, actor=agent,
                          data={"old": "new", "new": "open"}),
            TimelineEntry(ticket=ticket, at=t.at, kind=TimelineKind.MESSAGE_IN, customer=customer, message=inbound,
                          initiated_by=Initiator.CUSTOMER),
            TimelineEntry(ticket=ticket, at=t.replied_at, kind=TimelineKind.MESSAGE_OUT, actor=agent, message=outbound),
            TimelineEntry(ticket=ticket, at=t.solved_at, kind=TimelineKind.STATUS, actor=agent,
                          data={"old": "open", "new": t.status}),
        ]
    TimelineEntry.objects.bulk_create(timeline, batch_size=1000)
    return {"tickets": len(tickets), "customers": len(rows), "orders": len(orders)}


def _sender(t: ArchiveTicket) -> dict:
    c = t.customer
    if t.channel == "email":
        return {"email": c.email, "name": c.name}
    if t.channel in ("whatsapp", "sms"):
        return {"phone": c.phone, "name": c.first}
    if t.channel == "instagram":
        return {"handle": c.instagram, "name": c.name}
    return {"handle": c.member_id, "name": c.name}


def stuck_receive(archive: Archive, *, channels: dict) -> int:
    """Send the stuck hub's newcomers' messages through the real intake, each at its time."""
    from tanggap.channels import services as intake
    from tanggap.demo.aftercare import frozen

    for k, t in enumerate(sorted(archive.stuck, key=lambda t: t.at)):
        payload = {"channel": t.channel, "external_id": f"hub-{t.at:%Y%m%d}-{k}", "from": t.sender,
                   "body": t.text, "subject": t.subject, "sent_at": t.at.astimezone(cat.WIB).isoformat(),
                   "language": "id"}
        with frozen(t.at):
            intake.inbound_receive(channel=channels[t.channel], source="api", content_type="application/json",
                                   body=json.dumps(payload, ensure_ascii=False).encode())
    return len(archive.stuck)
