"""The customer's journey: journey events and ticket touchpoints in one timeline, newest first,
in keyset pages; only tickets the caller may see; on the API and on the customer page."""

import datetime as dt
import re

import pytest
import time_machine

from tanggap.accounts.services import team_get_or_create
from tanggap.conversations import services as conversations
from tanggap.journeys.services import event_record
from tests.web.support import receive

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def story(admin_user, agent, team):
    """Budi sees an ad, visits the site, orders, writes in about the parcel, gets a reply, and
    the order is delivered; he also has a ticket with another team that the agent may not see."""
    from tanggap.customers.services import LineInput, order_create, product_upsert

    with time_machine.travel(at(3, 9), tick=False):
        ticket = receive(email="budi@example.co.id", subject="Paket belum sampai", body="Paket saya belum sampai.")
    customer = ticket.customer
    conversations.ticket_update(ticket=ticket, actor=admin_user, team=team)
    with time_machine.travel(at(3, 10), tick=False):
        conversations.reply_send(ticket=ticket, author=agent, body_text="Kami cek ke kurir, ya.")
    with time_machine.travel(at(5, 8), tick=False):
        hidden = receive(email="budi@example.co.id", subject="Rahasia tim lain", body="Untuk tim B saja.")
    conversations.ticket_update(ticket=hidden, actor=admin_user, team=team_get_or_create(name="Tim B"))
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    order = order_create(external_id="INV-7", customer=customer, lines=[LineInput(sku="PG-190")])[0]
    for n, (kind, when, extra) in enumerate([
        ("ad_seen", at(1, 20), {"summary": "Iklan pasta gigi herbal", "channel": "instagram"}),
        ("site_visit", at(2, 8), {"product_sku": "PG-190"}),
        ("order_placed", at(2, 8, 5), {"order_external_id": "INV-7"}),
        ("order_delivered", at(4, 14), {"order_external_id": "INV-7"}),
    ]):
        event_record(kind=kind, external_id=f"e{n}", source="shop", occurred_at=when, customer=customer, **extra)
    return {"customer": customer, "ticket": ticket, "hidden": hidden, "order": order}


EXPECTED = [  # newest first, as the agent sees it
    ("event", "order_delivered"), ("ticket", "message.out"), ("ticket", "message.in"), ("ticket", "ticket.opened"),
    ("event", "order_placed"), ("event", "site_visit"), ("event", "ad_seen"),
]


def test_the_api_merges_events_and_ticket_touchpoints_newest_first_in_pages(api_for, agent, story):
    api = api_for(agent)
    first = api.get(f"/customers/{story['customer'].pk}/journey?limit=3")
    assert first.status_code == 200
    items = list(first.body["items"])
    cursor = first.body["next_cursor"]
    while cursor:
        page = api.get(f"/customers/{story['customer'].pk}/journey?limit=3&cursor={cursor}").body
        items += page["items"]
        cursor = page["next_cursor"]
    assert [(i["type"], i["kind"]) for i in items] == EXPECTED
    assert [i["at"] for i in items] == sorted((i["at"] for i in items), reverse=True)
    reply = items[1]
    assert (reply["ticket_id"], reply["ticket_reference"]) == (story["ticket"].pk, story["ticket"].reference)
    assert reply["summary"].startswith("Kami cek ke kurir, ya.")  # (the promise sentence follows)
    assert items[0]["order"] == "INV-7" and items[5]["product"] == "PG-190"


def test_an_admin_also_sees_the_other_teams_ticket(api, story):
    items = api.get(f"/customers/{story['customer'].pk}/journey?limit=100").body["items"]
    assert {i["ticket_id"] for i in items if i["type"] == "ticket"} == {story["ticket"].pk, story["hidden"].pk}


def test_events_at_the_same_moment_page_without_loss_or_repeats(api, rina):
    for n in range(7):
        event_record(kind="search", external_id=f"s{n}", occurred_at=at(1, 9), customer=rina)
    seen, cursor = [], ""
    while True:
        page = api.get(f"/customers/{rina.pk}/journey?limit=2" + (f"&cursor={cursor}" if cursor else "")).body
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 7 and len(set(seen)) == 7


def test_a_bad_cursor_or_customer_is_refused(api, rina):
    r = api.get(f"/customers/{rina.pk}/journey?cursor=nonsense")
    assert (r.status_code, r.body["error"]["code"]) == (400, "bad_cursor")
    r = api.get("/customers/999999/journey")
    assert (r.status_code, r.body["error"]["code"]) == (404, "customer_not_found")


def test_a_journey_page_costs_the_same_queries_however_long_the_journey(api, rina, django_assert_max_num_queries):
    for n in range(60):
        event_record(kind="site_visit", external_id=f"v{n}", occurred_at=at(1, 9, n % 60), customer=rina)
    with django_assert_max_num_queries(8):
        assert len(api.get(f"/customers/{rina.pk}/journey?limit=50").body["items"]) == 50


# ---- the customer page -----------------------------------------------------------------------

ITEM_RE = re.compile(r'<li class="journey-item journey-(\w+)" data-kind="([\w.]+)">')


def test_the_customer_page_shows_one_timeline_in_time_order_without_other_teams_tickets(client, agent, story):
    client.force_login(agent)
    page = client.get(f"/customers/{story['customer'].pk}/").content.decode()
    assert ITEM_RE.findall(page) == EXPECTED
    assert "Iklan pasta gigi herbal" in page  # the event's summary
    assert "Kami cek ke kurir, ya." in page  # the reply
    assert "Pesanan sampai" in page and "Iklan dilihat" in page and "Perjalanan pelanggan" in page  # labels, in Indonesian by default
    assert story["hidden"].reference not in page and "Untuk tim B saja." not in page


def test_the_customer_page_labels_follow_the_language(client, agent, story):
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    page = client.get(f"/customers/{story['customer'].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Order delivered" in page and "Journey" in page


def test_older_pages_load_below_the_first_with_and_without_htmx(client, agent, rina):
    for n in range(25):
        event_record(kind="site_visit", external_id=f"v{n}", occurred_at=at(1, 9, n), summary=f"kunjungan {n}",
                     customer=rina)
    client.force_login(agent)
    page = client.get(f"/customers/{rina.pk}/").content.decode()
    assert len(ITEM_RE.findall(page)) == 20 and "kunjungan 24" in page and "kunjungan 4" not in page
    older = re.search(r'rel="next"\s+hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    partial = client.get(older, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'class="card' not in partial
    assert len(ITEM_RE.findall(partial)) == 5 and "kunjungan 4" in partial and 'rel="next"' not in partial
    full = client.get(older).content.decode()  # without JavaScript: the older page, whole
    assert "<html" in full and len(ITEM_RE.findall(full)) == 5


def test_a_tampered_cursor_on_the_page_is_a_message_not_an_error(client, agent, rina):
    client.force_login(agent)
    r = client.get(f"/customers/{rina.pk}/?journey=rusak")
    assert r.status_code == 200
    assert "journey-error" in r.content.decode()


@pytest.mark.parametrize(("language", "search", "delivered"), [
    ("id", "Pencarian", "Pesanan sampai"), ("ms", "Carian", "Pesanan sampai"), ("en", "Search", "Order delivered"),
])
def test_every_kind_has_its_own_label_in_each_language(language, search, delivered):
    from django.utils.translation import override

    from tanggap.journeys.choices import Kind

    with override(language):
        assert (str(Kind.SEARCH.label), str(Kind.ORDER_DELIVERED.label)) == (search, delivered)
        labels = [str(k.label) for k in Kind]
    assert len(set(labels)) == len(Kind)
    if language != "en":
        assert not set(labels) & {"Ad seen", "Site visit", "Store visit", "Review posted", "Survey answered"}
