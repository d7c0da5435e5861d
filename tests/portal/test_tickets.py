"""The signed-in customer's list of cases: only their own (and those of customers merged into
them), newest first, paginated, each with its status and promised date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.customers.services import customer_merge
from tanggap.portal.views import SESSION_KEY
from tanggap.promises.models import Promise
from tests.web.support import receive

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def sign_in(client, customer) -> None:
    """What redeeming a login link leaves in the session (the link itself is tested in test_login)."""
    session = client.session
    session[SESSION_KEY] = customer.pk
    session.save()


def test_the_list_shows_only_the_customers_own_tickets(client):
    mine = receive(subject="Paket saya hilang", email="siti@example.com")
    also_mine = receive(subject="Refund belum masuk", email="siti@example.com")
    theirs = receive(subject="Punya orang lain", email="budi@example.com")
    sign_in(client, mine.customer)
    body = client.get("/portal/tickets/").content.decode()
    assert "Paket saya hilang" in body and "Refund belum masuk" in body
    assert f"/portal/t/{mine.access_key}/" in body and f"/portal/t/{also_mine.access_key}/" in body
    assert "Punya orang lain" not in body
    assert theirs.access_key not in body
    assert theirs.reference not in body


def test_tickets_of_a_merged_customer_are_listed_for_the_survivor(client):
    survivor = receive(subject="Lewat email", email="siti@example.com").customer
    merged = receive(subject="Lewat WhatsApp", channel="whatsapp", phone="+6281234567890", name="Siti")
    customer_merge(source=merged.customer, target=survivor)
    sign_in(client, survivor)
    body = client.get("/portal/tickets/").content.decode()
    assert "Lewat email" in body and "Lewat WhatsApp" in body


def test_a_session_of_a_customer_merged_away_follows_the_merge(client):
    survivor = receive(subject="Lewat email", email="siti@example.com").customer
    old = receive(subject="Lewat WhatsApp", channel="whatsapp", phone="+6281234567890")
    sign_in(client, old.customer)
    customer_merge(source=old.customer, target=survivor)
    body = client.get("/portal/tickets/").content.decode()
    assert "Lewat email" in body and "Lewat WhatsApp" in body


def test_newest_first_with_status_and_promised_date_and_pages(client, django_assert_max_num_queries):
    tickets = []
    for i in range(23):
        with time_machine.travel(T0 + dt.timedelta(hours=i), tick=False):
            tickets.append(receive(subject=f"Kasus nomor {i:02d}", email="siti@example.com"))
    newest = tickets[-1]
    Promise.objects.filter(ticket=newest).delete()
    Promise.objects.create(ticket=newest, due_at=dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC))
    sign_in(client, newest.customer)
    with django_assert_max_num_queries(8):
        first = client.get("/portal/tickets/").content.decode()
    subjects = [f"Kasus nomor {i:02d}" for i in range(22, 2, -1)]
    positions = [first.index(s) for s in subjects]
    assert positions == sorted(positions)  # newest first
    assert "Kasus nomor 02" not in first
    assert "Dijanjikan paling lambat <time" in first
    assert "Kamis, 26 November, pukul 15.00 WIB" in first
    assert '<span class="badge status-new">Diterima</span>' in first
    nxt = first.split('href="?after=')[1].split('"')[0]
    second = client.get(f"/portal/tickets/?after={nxt}").content.decode()
    assert [s for s in ("Kasus nomor 02", "Kasus nomor 01", "Kasus nomor 00") if s in second] == [
        "Kasus nomor 02", "Kasus nomor 01", "Kasus nomor 00"]
    assert "Kasus nomor 03" not in second
    assert 'href="?after=' not in second


def test_a_mangled_cursor_starts_again(client):
    ticket = receive(email="siti@example.com")
    sign_in(client, ticket.customer)
    assert client.get("/portal/tickets/?after=%%%")["Location"] == "/portal/tickets/"


def test_without_a_session_the_list_asks_to_sign_in(client):
    receive(email="siti@example.com")
    assert client.get("/portal/tickets/")["Location"] == "/portal/login/"


def test_a_session_for_a_customer_that_no_longer_exists_is_dropped(client):
    ticket = receive(email="siti@example.com")
    session = client.session
    session[SESSION_KEY] = ticket.customer.pk + 1000
    session.save()
    assert client.get("/portal/tickets/")["Location"] == "/portal/login/"


def test_signed_in_the_ticket_page_links_back_to_the_list_and_replies_thread(client):
    ticket = receive(subject="Paket saya hilang", email="siti@example.com")
    sign_in(client, ticket.customer)
    body = client.get(f"/portal/t/{ticket.access_key}/").content.decode()
    assert 'href="/portal/tickets/"' in body
    response = client.post(f"/portal/t/{ticket.access_key}/", {"message": "Ada kabar?", "website": ""})
    assert response["Location"] == f"/portal/t/{ticket.access_key}/"
    assert ticket.messages.latest("id").body_text == "Ada kabar?"


def test_portal_home_goes_to_the_list_when_signed_in(client):
    ticket = receive(email="siti@example.com")
    assert client.get("/portal/")["Location"] == "/portal/contact/"
    sign_in(client, ticket.customer)
    assert client.get("/portal/")["Location"] == "/portal/tickets/"
