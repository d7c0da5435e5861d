"""The demo store's customer journeys and post-order care.

Toko Nusantara connected its shop's event feed ``JOURNEY_DAYS`` ago: from then on every order
reports placed, paid, shipped and delivered (or returned) as journey events, and some
customers' ad views, site visits and reviews come along. The events go through the real
``journeys.services.event_record`` with the clock at each event's time; the default
automation rules (``automations/0002_default_rules``) schedule their runs, and the runs are
executed by ``runs_execute_due(at=)`` at the minute the worker would have taken them: product
guides when an order ships, a check-in three days after delivery. Some customers answer the
check-in (by email, so the answer threads into the check-in's ticket by its headers), and an
agent answers them.

This runs after the conversations are replayed: a company-initiated ticket waiting on the
customer would otherwise swallow a later planned conversation on WhatsApp.

Events and runs are seeded from the plan (``random.Random(f"{seed}:journeys")``), and the
events are idempotent by (source, external_id).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter

from django.db import transaction

from tanggap.automations.models import AutomationRun, ProductGuide, RunStatus
from tanggap.automations.services import runs_execute_due, runs_schedule
from tanggap.channels import services as intake
from tanggap.channels.models import InboundRaw
from tanggap.conversations.choices import Direction, Status
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import reply_send
from tanggap.customers.models import Customer, Product
from tanggap.demo import catalog as cat
from tanggap.demo.aftercare import frozen, mark_sent
from tanggap.demo.specs import Plan
from tanggap.journeys.models import JourneyEvent
from tanggap.journeys.services import event_record

EVENT_BATCH = 250
JOURNEY_DAYS = 14  # the shop's event feed has reported since then
SOURCE = "shop"
WEB_SOURCE = "ga"
GUIDE_SHARE = 0.6  # products with a guide
P_CHECKIN_ANSWERED = 0.3  # of the email check-ins old enough to have been answered

# (kind, [titles in id, ms, en], url slug): the guide each kind of product gets.
GUIDE_TITLES = {
    "id": "Panduan {name}", "ms": "Panduan {name}", "en": "{name}: getting started",
}
GUIDE_PATH = {"id": "panduan", "ms": "ms/panduan", "en": "en/guides"}

CHECKIN_ANSWERS = {
    "id": ["Semua aman, barangnya berfungsi dengan baik. Terima kasih!",
           "Sudah sampai dan sudah dipakai, bagus. Makasih sudah tanya 🙏",
           "Barangnya oke, cuma kemasannya agak penyok tapi isinya aman.",
           "Berfungsi dengan baik kak, pengirimannya juga cepat."],
    "ms": ["Semua okey, barang berfungsi dengan baik. Terima kasih!",
           "Dah sampai dan dah guna, bagus. Terima kasih sebab bertanya.",
           "Barang okey, cuma kotak sedikit kemek tapi isi selamat."],
    "en": ["All good, everything works fine. Thanks for checking!",
           "Arrived safely and works well, thank you.",
           "Works fine. The box was a bit dented but the item is okay."],
}
CHECKIN_THANKS = {
    "id": "Terima kasih atas kabarnya, {first}! Senang semuanya berfungsi dengan baik. Kalau ada kendala nanti, "
          "balas saja pesan ini ya.",
    "ms": "Terima kasih atas maklum balas anda, {first}! Gembira semuanya berfungsi dengan baik. Jika ada masalah "
          "nanti, balas sahaja mesej ini.",
    "en": "Thanks for letting us know, {first}! Glad everything works. If anything comes up later, just reply "
          "to this message.",
}
REVIEWS = {
    "id": ["Barang sesuai deskripsi, pengiriman cepat.", "Mantap, sudah langganan di sini.",
           "Kualitas oke untuk harganya.", "Packing rapi, recommended seller."],
    "ms": ["Barang seperti dalam gambar, penghantaran cepat.", "Puas hati, akan beli lagi.",
           "Kualiti okey untuk harga ini."],
    "en": ["As described, fast delivery.", "Good quality for the price.", "Well packed, will buy again."],
}
ADS = ["Instagram: Promo Gajian", "Google: pasta gigi herbal", "TikTok: Flash Sale 12.12", "Facebook: Gratis Ongkir",
       "YouTube: review rice cooker"]


def guided_skus(seed: int) -> list[str]:
    """The products with a guide: the ones people need to learn (appliances, gadgets, skincare,
    baby bottles) first, then a seeded share of the rest."""
    rng = random.Random(f"{seed}:guides")
    howto = [p.sku for p in cat.PRODUCTS if "howto" in p.traits or p.kind in ("skincare", "formula", "bottle")]
    rest = [p.sku for p in cat.PRODUCTS if p.sku not in howto]
    rng.shuffle(rest)
    want = round(GUIDE_SHARE * len(cat.PRODUCTS))
    return sorted(howto + rest[:max(0, want - len(howto))])


def guides_create(seed: int) -> int:
    """ProductGuide rows in id/ms/en for the guided products (idempotent)."""
    products = {p.sku: p for p in Product.objects.filter(sku__in=guided_skus(seed))}
    by_sku = {p.sku: p for p in cat.PRODUCTS}
    have = set(ProductGuide.objects.filter(product__in=products.values()).values_list("product_id", "language"))
    rows = []
    for sku, product in sorted(products.items()):
        d = by_sku[sku]
        for li, language in enumerate(("id", "ms", "en")):
            if (product.pk, language) in have:
                continue
            slug = sku.lower()
            title = GUIDE_TITLES[language].format(name=d.name if language == "id" else d.short[li])
            rows.append(ProductGuide(product=product, language=language, title=title[:200],
                                     url=f"https://{cat.STORE_DOMAIN}/{GUIDE_PATH[language]}/{slug}"))
    ProductGuide.objects.bulk_create(rows)
    return len(rows)


# --- events -------------------------------------------------------------------------------------

def _order_events(rng: random.Random, o, now: dt.datetime) -> list[tuple[dt.datetime, str, dict]]:
    """(when, kind, extra fields) of one order's events, consistent with its planned life."""
    out = [(o.placed_at, "order_placed", {})]
    if o.status == "placed":
        return out
    paid = o.placed_at + dt.timedelta(minutes=rng.uniform(2, 90))
    if o.status == "cancelled":
        return out + ([(paid, "order_paid", {})] if rng.random() < 0.3 and paid < now else [])
    if paid >= now:
        return out
    out.append((paid, "order_paid", {"summary": o.payment}))
    if o.status == "paid":
        return out
    shipped = paid + dt.timedelta(hours=rng.uniform(3, 26))
    if o.delivered_at:
        shipped = min(shipped, o.placed_at + (o.delivered_at - o.placed_at) * 0.45)
    if shipped >= now:
        shipped = paid + (now - paid) * 0.5
    out.append((shipped, "order_shipped", {"summary": f"{o.courier} {o.awb}", "data": {"awb": o.awb,
                                                                                        "courier": o.courier}}))
    if o.status == "shipped" or not o.delivered_at:
        return out
    out.append((o.delivered_at, "order_delivered", {"summary": o.courier}))
    if o.status == "returned":
        back = o.delivered_at + dt.timedelta(days=rng.uniform(2, 6))
        if back < now:
            out.append((back, "order_returned", {}))
    return out


def plan_events(plan: Plan) -> list[dict]:
    """Every journey event of the demo, oldest first, as ``event_record`` keyword arguments
    (plus ``at``). Only orders placed since the feed was connected report events."""
    rng = random.Random(f"{plan.seed}:journeys")
    since = plan.now - dt.timedelta(days=JOURNEY_DAYS)
    events = []
    for o in plan.orders:
        if o.placed_at < since:
            continue
        c = plan.customers[o.customer]
        lang = c.language
        focus = o.lines[0][0]
        if rng.random() < 0.35:  # they saw an ad or browsed first
            before = o.placed_at - dt.timedelta(minutes=rng.uniform(3, 60 * 30))
            if rng.random() < 0.4:
                events.append({"at": before - dt.timedelta(minutes=rng.uniform(5, 90)), "kind": "ad_seen",
                               "source": WEB_SOURCE, "external_id": f"ad-{o.number}", "customer_idx": o.customer,
                               "summary": rng.choice(ADS), "channel": "web"})
            events.append({"at": before, "kind": "site_visit", "source": WEB_SOURCE, "external_id": f"v-{o.number}",
                           "customer_idx": o.customer, "product_sku": focus, "channel": "web",
                           "summary": f"/p/{focus.lower()}", "data": {"url": f"/p/{focus.lower()}"}})
        for at, kind, extra in _order_events(rng, o, plan.now):
            events.append({"at": at, "kind": kind, "source": SOURCE, "external_id": f"{o.number}:{kind}",
                           "order": o.number, "customer_idx": o.customer, **extra})
        if o.delivered_at and o.status == "delivered" and rng.random() < 0.18:
            at = o.delivered_at + dt.timedelta(hours=rng.uniform(6, 96))
            if at < plan.now:
                events.append({"at": at, "kind": "review_posted", "source": SOURCE, "external_id": f"r-{o.number}",
                               "customer_idx": o.customer, "order": o.number, "product_sku": focus,
                               "summary": rng.choice(REVIEWS[lang]),
                               "data": {"rating": rng.choices([5, 4, 3, 2], weights=[60, 28, 9, 3])[0]}})
    events = [e for e in events if since <= e["at"] < plan.now - dt.timedelta(minutes=1)]
    for e in events:
        e["at"] = e["at"].replace(microsecond=0)
    events.sort(key=lambda e: (e["at"], e["external_id"]))
    return events


def events_record(plan: Plan, customers: dict[int, Customer]) -> int:
    """Record the planned events, each at its own time (plus the few seconds the shop takes to
    report it), and schedule the automation runs they trigger."""
    stored = 0
    events = plan_events(plan)
    for start in range(0, len(events), EVENT_BATCH):
        with transaction.atomic():
            stored += _events_batch(events[start:start + EVENT_BATCH], customers)
    return stored


def _events_batch(events: list[dict], customers: dict[int, Customer]) -> int:
    stored = 0
    for e in events:  # in the caller's transaction: an error fails the whole batch anyway
        with frozen(e["at"] + dt.timedelta(seconds=7)):
            event, created = event_record(
                kind=e["kind"], external_id=e["external_id"], source=e["source"], occurred_at=e["at"],
                customer=customers[e["customer_idx"]], order_external_id=e.get("order", ""),
                product_sku=e.get("product_sku", ""), channel=e.get("channel", ""), summary=e.get("summary", ""),
                data=e.get("data"))
            if created:
                stored += 1
                # What the journey.event subscriber does after commit (it finds these and does
                # nothing more); called here so the runs exist inside a surrounding transaction too.
                runs_schedule(event=JourneyEvent.objects.select_related("customer", "order").get(pk=event.pk))
    return stored


# --- automation runs -----------------------------------------------------------------------------

def _minute_after(at: dt.datetime) -> dt.datetime:
    whole = at.replace(second=0, microsecond=0)
    return whole + dt.timedelta(minutes=1)


def runs_play(plan: Plan, until: dt.datetime) -> Counter:
    """Execute the scheduled runs due before ``until``, each at the minute the worker would
    have taken it, and deliver what they sent."""
    counts = Counter()
    dues = sorted(set(AutomationRun.objects.filter(status=RunStatus.SCHEDULED, due_at__lt=until)
                      .values_list("due_at", flat=True)))
    with transaction.atomic():
        for due in dues:
            _runs_at(_minute_after(due))
    for status, rule in AutomationRun.objects.values_list("status", "rule__action"):
        counts[f"{rule}:{status}"] += 1
    return counts


def _runs_at(at: dt.datetime) -> None:
    with frozen(at), transaction.atomic():
        runs_execute_due(at=at)
        for ticket_id in AutomationRun.objects.filter(ran_at=at, ticket__isnull=False).values_list("ticket_id",
                                                                                                  flat=True):
            mark_sent(ticket_id)


def checkins_answer(plan: Plan, agents: dict, channels: dict) -> int:
    """Some customers answer their check-in by email (the answer threads into the check-in's
    ticket by In-Reply-To); an agent thanks them and solves the ticket."""
    rng = random.Random(f"{plan.seed}:checkins")
    answered = 0
    runs = (AutomationRun.objects.filter(rule__action="send_checkin", status=RunStatus.DONE, ticket__isnull=False,
                                         ticket__channel__kind="email", ran_at__lt=plan.now - dt.timedelta(hours=8))
            .select_related("ticket", "customer").order_by("ran_at", "id"))
    team = [a[0] for a in cat.AGENTS if "Layanan Pelanggan" in a[4]]
    for run in runs:
        if rng.random() >= P_CHECKIN_ANSWERED:
            continue
        ticket, customer = run.ticket, run.customer
        ours = Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND).order_by("created_at").first()
        email = customer.identities.filter(kind="email").values_list("value", flat=True).first()
        if ours is None or not email:
            continue
        lang = customer.language if customer.language in CHECKIN_ANSWERS else "id"
        at = (run.ran_at + dt.timedelta(hours=rng.uniform(0.5, 7))).replace(microsecond=0)
        payload = {"channel": "email", "external_id": f"<checkin-{ticket.pk}@mail.{cat.STORE_DOMAIN}>",
                   "from": {"email": email, "name": customer.name}, "subject": f"Re: {ours.subject or ticket.subject}",
                   "body": rng.choice(CHECKIN_ANSWERS[lang]), "sent_at": at.isoformat(), "language": lang,
                   "in_reply_to": ours.message_id_header}
        with frozen(at), transaction.atomic():
            result = intake.inbound_receive(channel=channels["email"], source="api", content_type="application/json",
                                            body=json.dumps(payload, ensure_ascii=False).encode())[0]
            InboundRaw.objects.filter(pk=result.message.raw_id).update(processed_at=at + dt.timedelta(seconds=1))
            if result.ticket.pk != ticket.pk:
                raise RuntimeError(f"demo check-in answer landed on ticket {result.ticket.pk}, not {ticket.pk}")
        answered += 1
        reply_at = (at + dt.timedelta(minutes=rng.uniform(20, 180))).replace(microsecond=0)
        if reply_at >= plan.now:
            continue
        agent = agents[rng.choice(team)]
        first = (customer.name or "").split()[0] if customer.name else ""
        with frozen(reply_at), transaction.atomic():
            reply_send(ticket=Ticket.objects.get(pk=ticket.pk), author=agent,
                       body_text=CHECKIN_THANKS[lang].format(first=first), status=Status.SOLVED)
            mark_sent(ticket.pk)
    return answered


def journeys_play(plan: Plan, customers: dict[int, Customer], agents: dict, channels: dict,
                  until: dt.datetime | None = None) -> dict:
    """Guides, events, the runs they trigger up to ``until`` (the demo's now), answers."""
    until = until or plan.now
    guides_create(plan.seed)
    events = events_record(plan, customers)
    runs = runs_play(plan, until)
    answered = checkins_answer(plan, agents, channels)
    return {"journey_events": events, "runs": dict(runs), "checkins_answered": answered}
