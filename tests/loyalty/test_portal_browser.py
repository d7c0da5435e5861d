"""A signed-in customer opens their points page in a real browser (Chromium), reads balance, tier
and history, and redeems a reward; an exclusive offer of a higher tier has no button. The
screenshot goes to test-results/portal-loyalty.png (docs/img/ holds a reviewed copy)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from tanggap.loyalty import services
from tanggap.loyalty.models import Account, Voucher
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401
from tests.loyalty.conftest import journey, make_programme, new_customer, pay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_customer_reads_their_points_and_redeems_a_reward(page, live_server, screenshot_path):  # noqa: F811
    programme = make_programme()
    siti = new_customer("siti.aminah@example.co.id", name="Siti Aminah")
    pay(siti, 1_350_000)  # 135 points (transactional test: the journey.event handler runs on commit)
    pay(siti, 480_000)  # 48
    journey(siti, "review_posted")  # 50
    journey(siti, "survey_answered")  # 20
    other = new_customer("budi@example.co.id", name="Budi")
    services.points_adjust(customer_id=other.pk, delta=999, note="PUNYA-BUDI", actor=None)
    assert Account.objects.get(customer=siti).balance == 253

    session = SessionStore()
    session["portal_customer_id"] = siti.pk
    session.create()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/portal/tickets/")
    page.get_by_role("link", name="Poin saya").click()
    expect(page).to_have_url(f"{live_server.url}/portal/loyalty/")
    expect(page.locator("h1")).to_have_text("Poin saya")
    expect(page.locator(".loyalty-number")).to_have_text("253")
    expect(page.locator(".loyalty-tier .badge")).to_have_text("Perunggu")
    expect(page.locator(".loyalty-ledger tbody tr")).to_have_count(4)
    expect(page.locator("body")).not_to_contain_text("PUNYA-BUDI")
    offer = programme["rewards"]["emas-only"]
    expect(page.locator(f"#reward-{offer.pk} button")).to_have_count(0)
    expect(page.locator(f"#reward-{offer.pk}")).to_contain_text("Untuk tingkat lebih tinggi")

    voucher = programme["rewards"]["voucher"]
    page.locator(f"#reward-{voucher.pk}").get_by_role("button", name="Tukar").click()
    code = Voucher.objects.get(customer=siti).code
    expect(page.locator(".flash")).to_contain_text(code)
    expect(page.locator(".loyalty-number")).to_have_text("153")
    expect(page.locator(".voucher-code")).to_have_text(code)
    expect(page.locator(".loyalty-ledger tbody tr").first).to_contain_text(re.compile(r"-100"))
    # kept in test-results/; docs/img/portal-loyalty.png is a reviewed copy of it
    page.screenshot(path=screenshot_path("portal-loyalty.png"), full_page=True)
    assert Account.objects.get(customer=siti).balance == 153
