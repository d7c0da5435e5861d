"""Loyalty pages: the portal shows only the signed-in customer's points, redeems a reward; the
console's loyalty page for leads and admins; the customer page's panel."""

from __future__ import annotations

import pytest
from django.test import Client

from tanggap.loyalty import services
from tanggap.loyalty.models import LedgerEntry
from tests.loyalty.conftest import new_customer

pytestmark = pytest.mark.django_db


def portal_client(customer) -> Client:
    client = Client()
    session = client.session
    session["portal_customer_id"] = customer.pk
    session.save()
    return client


def test_portal_shows_only_the_signed_in_customers_ledger(programme, customer):
    other = new_customer("tetangga@example.id", name="Tetangga")
    services.points_adjust(customer_id=customer.pk, delta=140, note="CATATAN-RINA", actor=None)
    services.points_adjust(customer_id=other.pk, delta=990, note="CATATAN-TETANGGA", actor=None)
    page = portal_client(customer).get("/portal/loyalty/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "CATATAN-RINA" in text and 'data-balance="140"' in text
    assert "CATATAN-TETANGGA" not in text and "990" not in text
    assert 'href="/portal/loyalty/"' in text  # the portal nav link for a signed-in customer
    assert Client().get("/portal/loyalty/").url == "/portal/login/"
    assert 'href="/portal/loyalty/"' not in Client().get("/portal/login/").content.decode()


def test_portal_redeem_issues_a_code_and_refuses_a_higher_tiers_offer(programme, customer):
    services.points_adjust(customer_id=customer.pk, delta=260, note="awal", actor=None)
    client = portal_client(customer)
    offer = programme["rewards"]["emas-only"]
    page = client.get("/portal/loyalty/").content.decode()
    assert f'action="/portal/loyalty/rewards/{offer.pk}/redeem/"' not in page  # locked: no button
    r = client.post(f"/portal/loyalty/rewards/{offer.pk}/redeem/", follow=True)
    assert "higher tier" in r.content.decode() or "tingkat" in r.content.decode()
    assert not LedgerEntry.objects.filter(delta__lt=0).exists()
    r = client.post(f"/portal/loyalty/rewards/{programme['rewards']['voucher'].pk}/redeem/", follow=True)
    code = customer.loyalty_vouchers.get().code
    assert code in r.content.decode() and 'data-balance="160"' in r.content.decode()


def test_console_loyalty_page_for_managers_only(programme, customer, client, make_staff, team):
    services.points_adjust(customer_id=customer.pk, delta=10, note="x", actor=None)
    agent = make_staff("sari", "agent", [team])
    client.force_login(agent)
    assert client.get("/loyalty/").status_code == 403
    assert 'href="/loyalty/"' not in client.get(f"/customers/{customer.pk}/").content.decode()
    lead = make_staff("bayu", "lead", [team])
    client.force_login(lead)
    page = client.get("/loyalty/").content.decode()
    assert "Perunggu" in page and "Perawatan eksklusif" in page and 'href="/loyalty/"' in page


def test_customer_page_shows_balance_and_tier(programme, customer, client, agent):
    services.points_adjust(customer_id=customer.pk, delta=77, note="x", actor=None)
    client.force_login(agent)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="loyalty-panel"' in page and ">77<" in page and "Perunggu" in page


def test_an_open_draw_shows_only_its_seed_hash(programme, api_for, admin_user):
    import datetime as dt
    import json

    draw = services.draw_create(name_id="Undian Desember", period_start=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
                                period_end=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    for body in (Client().get(f"/portal/loyalty/draws/{draw.pk}/").content.decode(),
                 Client().get(f"/portal/loyalty/draws/{draw.pk}.json").content.decode(),
                 json.dumps(api_for(admin_user).get(f"/loyalty/draws/{draw.pk}").body)):
        assert draw.seed_sha256 in body and draw.seed not in body


def test_django_admin_edits_the_programme_and_only_reads_the_ledger(programme, customer, client, admin_user):
    services.points_adjust(customer_id=customer.pk, delta=5, note="CATATAN-ADMIN", actor=None)
    client.force_login(admin_user)
    for model in ("tier", "earnrule", "reward", "voucher", "ledgerentry", "account", "draw"):
        assert client.get(f"/admin/loyalty/{model}/").status_code == 200, model
    assert "CATATAN-ADMIN" in client.get("/admin/loyalty/ledgerentry/").content.decode()
    assert client.get("/admin/loyalty/ledgerentry/add/").status_code == 403
    r = client.post("/admin/loyalty/voucher/add/", {
        "code": "lebaran26", "description": "", "discount_amount": 10000, "discount_percent": 0, "currency": "IDR",
        "max_uses": 5, "per_customer": 1, "valid_from_0": "2026-01-01", "valid_from_1": "00:00:00", "active": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert services.voucher_validate(code="Lebaran26", customer_id=customer.pk).code == "LEBARAN26"
