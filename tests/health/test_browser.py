"""A team lead opens the customers at risk in a real browser (Chromium), filters by band and opens
a customer to read the score's reasons. The screenshot goes to test-results/health-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from tanggap.health import services
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401
from tests.health.conftest import NOW, background_shop, broken_promise, buy, customer, triage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_finds_a_customer_at_risk_and_reads_why(page, live_server, make_staff, team,  # noqa: F811
                                                       screenshot_path):  # noqa: F811
    make_staff("bayu", "lead", [team])
    with time_machine.travel(NOW, tick=False):
        background_shop(40)
        dewi = customer("dewi@example.id", name="Dewi Lestari")
        buy(dewi, 200, 170, 140)
        triage("dewi@example.id", 0.3, NOW - dt.timedelta(days=100))
        ticket = triage("dewi@example.id", -0.9, NOW - dt.timedelta(days=2), "Sudah dua kali dijanjikan!")
        broken_promise(ticket, NOW - dt.timedelta(days=3))
        broken_promise(ticket, NOW - dt.timedelta(days=1))
        services.health_refresh()

    page.goto(f"{live_server.url}/health/")
    page.fill("#id_username", "bayu")
    page.fill("#id_password", "rahasia-123")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/health/$"))
    row = page.locator(f'tr.health-row[data-customer="{dewi.pk}"]')
    expect(row).to_contain_text("Dewi Lestari")
    expect(row).to_contain_text("2 janji diingkari")
    page.screenshot(path=screenshot_path("health-at-risk.png"), full_page=True)

    page.get_by_role("link", name=re.compile("^Sehat")).click()
    expect(page).to_have_url(re.compile(r"band=healthy"))
    expect(page.locator(f'tr.health-row[data-customer="{dewi.pk}"]')).to_have_count(0)

    page.get_by_role("link", name=re.compile("^Berisiko")).click()
    page.get_by_role("link", name="Dewi Lestari").click()
    panel = page.locator("#health-panel")
    expect(panel).to_contain_text("Berisiko")
    expect(panel.locator('[data-code="broken_promises"]')).to_contain_text("2 janji diingkari")
    expect(panel.locator('[data-code="negative_trend"]')).to_contain_text("tren negatif")
    expect(panel.locator('[data-code="no_order_for"]')).to_contain_text("140 hari, biasanya setiap 30 hari")
    panel.screenshot(path=screenshot_path("health-panel.png"))
