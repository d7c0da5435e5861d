"""The demo store (generated once for the package, see conftest.py), looked at from many sides."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db.models import Count, Max, Min

pytestmark = pytest.mark.django_db

def _models():
    from tanggap.conversations.models import Message, Ticket, TimelineEntry
    from tanggap.customers.models import Customer, Identity, Order, OrderLine, Product

    return SimpleNamespace(Customer=Customer, Identity=Identity, Order=Order, OrderLine=OrderLine, Product=Product,
                           Ticket=Ticket, Message=Message, TimelineEntry=TimelineEntry)


def planned(tickets):
    """The planned tickets, without the archive's everyday ones, the stuck hub's newcomers
    (archive.py), the negative marketplace reviews' tickets (tanggap/reviews/demo.py) and the live
    chats (tanggap/livechat/demo.py)."""
    return (tickets.exclude(messages__external_id__startswith="archive-")
            .exclude(messages__external_id__startswith="hub-").exclude(channel__kind="marketplace")
            .exclude(channel__kind="chat"))


def test_counts(demo):
    m = _models()
    archive = demo.counts["archive"]
    assert 190 <= m.Customer.objects.count() - archive["customers"] <= 210
    assert m.Product.objects.count() == 50
    # 1,000 orders, plus the free replacements remedies sent out, plus the archive's, plus the earlier
    # orders the health part gives a few quiet regulars (so the demo shows customers at risk)
    assert m.Order.objects.filter(replacement_for__isnull=True).count() == \
        1000 + archive["orders"] + demo.counts["health"]["orders_added"]
    assert 290 <= planned(m.Ticket.objects.filter(initiated_by="customer")).count() <= 310
    assert m.Ticket.objects.filter(initiated_by="customer").count() == \
        planned(m.Ticket.objects.filter(initiated_by="customer")).count() + archive["tickets"] + archive["stuck"] \
        + demo.counts["reviews"]["negative"] + demo.counts["livechat"]["chats"]
    # plus the company-initiated conversations: product guides and check-ins (test_journeys.py)
    assert m.Ticket.objects.filter(initiated_by="company").count() >= 30
    assert demo.counts["tickets"] == m.Ticket.objects.count()
    assert demo.counts["orders"] == m.Order.objects.count()


def test_customers_look_indonesian_and_malaysian(demo):
    m = _models()
    customers = list(m.Customer.objects.all())
    countries = Counter(c.country for c in customers)
    languages = Counter(c.language for c in customers)
    assert 0.15 <= countries["MY"] / len(customers) <= 0.25
    assert languages["id"] > languages["ms"] > languages["en"] >= 3
    assert {c.language for c in customers if c.country == "ID"} <= {"id", "en"}
    assert {c.language for c in customers if c.country == "MY"} <= {"ms", "en"}
    regions = {c.region for c in customers}
    assert {"Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Yogyakarta", "Denpasar"} <= regions
    assert {"Kuala Lumpur", "Penang", "Johor Bahru"} <= regions
    # every customer has a name, but the live chat's visitors who gave none: one still anonymous, one
    # merged into the customer whose email she gave (tanggap/livechat/demo.py)
    named = m.Identity.objects.exclude(kind="handle", namespace="chat").values_list("customer_id", flat=True)
    anonymous = [c for c in customers if c.pk not in set(named) and c.merged_into_id is None]
    assert len(anonymous) <= 1
    assert all(c.name and len(c.name.split()) >= 1 for c in customers
               if c not in anonymous and c.merged_into_id is None)
    assert any(" binti " in c.name or " bin " in c.name for c in customers)
    # Every customer is reachable by email or phone; phones are Indonesian or Malaysian mobiles.
    reachable = set(m.Identity.objects.filter(kind__in=["email", "phone"]).values_list("customer_id", flat=True))
    assert reachable == {c.pk for c in customers if c not in anonymous and c.merged_into_id is None}
    for value, country in m.Identity.objects.filter(kind="phone").values_list("value", "customer__country"):
        assert re.fullmatch(r"\+628\d{9,11}" if country == "ID" else r"\+601\d{8,9}", value), value
    assert m.Identity.objects.filter(kind="handle", namespace="instagram").count() >= 30


def test_products_and_orders_are_plausible(demo):
    m = _models()
    products = list(m.Product.objects.all())
    assert len({p.category for p in products}) == 5
    assert all(p.price >= 5000 for p in products)
    assert m.Product.objects.filter(name="Pasta Gigi Herbal 190g").exists()
    lines = Counter(m.OrderLine.objects.values_list("order_id", flat=True))
    assert set(lines.values()) <= {1, 2, 3, 4}
    originals = m.Order.objects.filter(replacement_for__isnull=True)
    statuses = Counter(originals.values_list("status", flat=True))
    assert set(statuses) == {"placed", "paid", "shipped", "delivered", "returned", "cancelled"}
    assert statuses["delivered"] > 0.6 * 1000
    my_couriers = set(m.Order.objects.filter(customer__country="MY").values_list("courier", flat=True))
    assert my_couriers == {"Pos Laju", "J&T MY"}
    assert set(m.Order.objects.filter(customer__country="MY").values_list("currency", flat=True)) == {"MYR"}
    id_couriers = set(m.Order.objects.filter(customer__country="ID").values_list("courier", flat=True))
    assert id_couriers == {"JNE", "J&T Express", "SiCepat", "AnterAja", "Pos Indonesia"}
    span = m.Order.objects.aggregate(first=Min("placed_at"), last=Max("placed_at"))
    assert demo.now - dt.timedelta(days=183) <= span["first"] < demo.now - dt.timedelta(days=150)
    assert span["last"] <= demo.now
    assert all(o.total > 0 for o in originals)


def test_tickets_arrive_on_every_channel(demo):
    m = _models()
    per_channel = Counter(m.Ticket.objects.values_list("channel__kind", flat=True))
    # the planned channels, the marketplace channel of the negative reviews (tanggap/reviews/demo.py)
    # and the live chats (tanggap/livechat/demo.py)
    assert set(per_channel) == {"email", "whatsapp", "sms", "instagram", "web", "api", "marketplace", "chat"}
    assert min(n for kind, n in per_channel.items() if kind not in ("marketplace", "chat")) >= 10
    assert per_channel["chat"] >= 2
    assert per_channel["marketplace"] == demo.counts["reviews"]["negative"] >= 3
    # Through the real intake: every inbound message has its raw payload kept.
    # (negative reviews come in through message_receive from the reviews service, without a raw payload)
    inbound = m.Message.objects.filter(direction="in").exclude(ticket__channel__kind="marketplace")
    assert inbound.count() > m.Ticket.objects.exclude(channel__kind="marketplace").count()
    assert not inbound.filter(raw__isnull=True).exists()


@pytest.mark.parametrize(("language", "words"), [
    ("id", ["tidak", "belum", "pesanan", "kak"]),
    ("ms", ["tempahan", "dihantar", "kerana", "terima kasih"]),
    ("en", ["order", "please", "hi"]),
])
def test_messages_in_three_languages(demo, language, words):
    m = _models()
    inbound = m.Message.objects.filter(direction="in", customer__language=language)
    assert inbound.count() >= 10
    for word in words:
        assert inbound.filter(body_text__icontains=word).exists(), word
    replies = m.Message.objects.filter(direction="out", ticket__customer__language=language)
    assert replies.exists()
    if language == "ms":
        assert replies.filter(body_text__icontains="tempahan").exists()
    if language == "en":
        assert replies.filter(body_text__icontains="sorry").exists()


def test_texts_vary(demo):
    from tanggap.demo import content

    for language in ("id", "ms", "en"):
        assert sum(len(v.get(language, [])) for v in content.INITIAL.values()) >= 40
    m = _models()
    # the planned conversations (the archive's everyday ones come from a few short templates)
    firsts = [t.messages.filter(direction="in").order_by("created_at", "id").first().body_text
              for t in planned(m.Ticket.objects.filter(initiated_by="customer"))]
    assert len(set(firsts)) == len(firsts)  # no two first messages are the same text


def test_every_timeline_starts_with_opened(demo):
    m = _models()
    for ticket in m.Ticket.objects.filter(initiated_by="customer"):
        kinds = list(ticket.timeline.order_by("at", "id").values_list("kind", flat=True))
        assert kinds[0] == "ticket.opened", (ticket.pk, kinds)
        assert "message.in" in kinds


def test_status_mix(demo):
    from tanggap.conversations.choices import STATUS_GROUP, Status

    m = _models()
    statuses = Counter(planned(m.Ticket.objects.filter(initiated_by="customer")).values_list("status", flat=True))
    groups = Counter()
    for status, n in statuses.items():
        groups[STATUS_GROUP[Status(status)]] += n
    total = sum(groups.values())
    assert 0.33 <= groups["open"] / total <= 0.47
    assert 0.14 <= groups["paused"] / total <= 0.26
    assert 0.33 <= groups["resolved"] / total <= 0.47
    assert set(statuses) == {"new", "open", "pending", "on_hold", "solved", "closed"}
    # Triage happened: categories, teams, assignees, tags on the worked tickets.
    worked = m.Ticket.objects.filter(initiated_by="customer").exclude(status="new")
    assert not worked.filter(team__isnull=True).exists()
    assert not worked.filter(assignee__isnull=True).exists()
    assert len(set(worked.values_list("category", flat=True))) >= 6
    assert len(set(worked.values_list("priority", flat=True))) == 4
    assert worked.annotate(n=Count("tags")).filter(n=0).count() == 0


def test_conversations_have_replies_notes_and_threads(demo):
    from django.contrib.auth import get_user_model

    m = _models()
    assert m.Message.objects.filter(direction="note").count() >= 40
    outbound = m.Message.objects.filter(direction="out")
    assert outbound.count() >= 250
    assert set(outbound.values_list("delivery_status", flat=True)) == {"sent"}
    assert len(set(outbound.values_list("author__username", flat=True))) >= 6
    assert not get_user_model().objects.filter(username="agent").exists()  # loader.py's user, untouched
    per_ticket = Counter(m.Message.objects.values_list("ticket_id", flat=True))
    assert sum(1 for n in per_ticket.values() if n >= 4) >= 30
    assert m.Ticket.objects.filter(status="new", first_response_at__isnull=True).count() == m.Ticket.objects.filter(status="new").count()
    assert not m.Ticket.objects.exclude(status="new").filter(resolved_at__isnull=False).exclude(status__in=["solved", "closed"]).exists()
    assert m.TimelineEntry.objects.filter(kind="ticket.reopened").exists()


def test_tickets_mention_the_customers_own_orders(demo):
    m = _models()
    numbers = {}
    for number, customer_id in m.Order.objects.values_list("external_id", "customer_id"):
        numbers.setdefault(customer_id, set()).add(number)
    mentioned = 0
    tickets = list(m.Ticket.objects.all())
    worked = set(planned(m.Ticket.objects.all()).values_list("pk", flat=True))
    for ticket in tickets:
        text = " ".join(ticket.messages.filter(direction="in").values_list("body_text", flat=True)) + ticket.subject
        found = set(re.findall(r"TN-\d{6}-\d{5}", text))
        assert found <= numbers.get(ticket.customer_id, set()), (ticket.pk, found)
        mentioned += bool(found) and ticket.pk in worked
    assert mentioned >= 0.85 * len(worked)


def test_history_is_in_the_past_and_spread_out(demo):
    m = _models()
    now = demo.now + dt.timedelta(seconds=5)
    assert not m.Ticket.objects.filter(created_at__gt=now).exists()
    assert not m.Ticket.objects.filter(updated_at__gt=now).exists()
    assert not m.Message.objects.filter(created_at__gt=now).exists()
    assert not m.TimelineEntry.objects.filter(at__gt=now).exists()
    span = m.Ticket.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["last"] - span["first"] >= dt.timedelta(days=45)
    assert span["first"] >= demo.now - dt.timedelta(days=62)
    for ticket in m.Ticket.objects.all():
        times = list(ticket.messages.order_by("id").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert times[0] == ticket.created_at
        assert ticket.last_message_at >= ticket.created_at


def test_an_incident_in_the_making(demo):
    from tanggap.demo.catalog import INCIDENT_COURIER, INCIDENT_REGION

    m = _models()
    recent = planned(m.Ticket.objects.filter(created_at__gte=demo.now - dt.timedelta(hours=48)))
    cluster = recent.filter(customer__region=INCIDENT_REGION, messages__body_text__icontains=INCIDENT_COURIER).distinct()
    assert cluster.count() >= 12
    assert cluster.filter(status__in=["new", "open"]).count() >= 8
    # It stands out: no other courier and city has more than a handful in those two days.
    others = Counter()
    for ticket in recent.exclude(pk__in=cluster.values("pk")).filter(category="delivery"):
        others[(ticket.customer.region, ticket.customer.orders.order_by("-placed_at").first().courier)] += 1
    assert max(others.values(), default=0) <= 4


def test_same_seed_same_subjects(demo):
    from tanggap.demo.plan import build_plan

    m = _models()
    stored = list(planned(m.Ticket.objects.filter(initiated_by="customer")).order_by("id")
                  .values_list("subject", flat=True))
    subjects = [t.subject for t in build_plan(seed=demo.seed, now=demo.now).tickets]
    assert stored == subjects
    again = [t.subject for t in build_plan(seed=demo.seed, now=demo.now).tickets]
    assert again == subjects
    other = [t.subject for t in build_plan(seed=demo.seed + 1, now=demo.now).tickets]
    assert other != subjects


def test_loader_demo_agent_still_works(demo):
    from django.contrib.auth import get_user_model

    from tanggap.demo.loader import demo_credentials, demo_loaded

    assert demo_loaded()
    username, password, token = demo_credentials()
    user = get_user_model().objects.get(username=username)
    assert user.check_password(password)
    assert get_user_model().objects.filter(username__in=["dewi", "rizky", "nurul"]).count() == 3


def test_postgresql_planner_statistics_are_fresh_after_the_load(demo):
    """On PostgreSQL the demo ANALYZEs after its bulk inserts: with stale statistics the planner
    took the tables for empty and the detector's first run over the archive never finished."""
    from django.db import connection

    from tanggap.conversations.models import Message

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Message._meta.db_table])
        (estimated,) = cursor.fetchone()
    assert estimated >= 0.5 * Message.objects.count()
