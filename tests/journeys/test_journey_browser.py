"""In a real browser: the customer page's journey, and "Lebih lama" appending older rows with htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tanggap.conversations import services as conversations
from tanggap.customers.services import LineInput, order_create, product_upsert
from tanggap.journeys.services import event_record
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401
from tests.web.support import receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIB = dt.timezone(dt.timedelta(hours=7))


def test_the_journey_pages_older_rows_in_place(page, live_server, make_staff, team, screenshot_path):  # noqa: F811
    agent = make_staff("sari", "agent", [team])
    ticket = receive(email="budi.santoso@example.co.id", name="Budi Santoso", subject="Paket belum sampai",
                     body="Pesanan INV/2026/0412 belum sampai sejak Senin.")
    conversations.ticket_update(ticket=ticket, actor=agent, team=team)
    conversations.reply_send(ticket=ticket, author=agent, body_text="Mohon maaf, Pak Budi. Kami cek ke JNE sekarang.")
    customer = ticket.customer
    product_upsert(sku="BLD-300", name="Blender Turbo 300", price=450000)
    order_create(external_id="INV/2026/0412", customer=customer, lines=[LineInput(sku="BLD-300")])
    start = dt.datetime(2026, 11, 1, 9, 0, tzinfo=WIB)
    for n in range(18):
        event_record(kind="site_visit", external_id=f"v{n}", source="ga", channel="web", customer=customer,
                     product_sku="BLD-300", summary=f"Halaman blender ({n})", occurred_at=start + dt.timedelta(hours=n))
    event_record(kind="ad_seen", external_id="ad1", source="ads", channel="instagram", customer=customer,
                 summary="Iklan Blender Turbo 300", occurred_at=start - dt.timedelta(days=1))
    for n, kind in enumerate(["order_placed", "order_paid", "order_shipped"]):
        event_record(kind=kind, external_id=f"o{n}", source="shop", order_external_id="INV/2026/0412",
                     occurred_at=start + dt.timedelta(days=1, hours=n * 5))

    page.goto(f"{live_server.url}/login/?next=/customers/{customer.pk}/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", "rahasia-123")
    page.click("button[type=submit].btn-primary")
    items = page.locator(".journey-item")
    expect(items).to_have_count(20)
    expect(items.first).to_contain_text("Balasan")  # the reply is the newest touchpoint
    # htmx is a deferred script: on a busy machine the rows can be on screen before it has bound the
    # link, and a click then is an ordinary navigation to the older page (CI saw 5 rows, a new URL)
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_role("link", name="Lebih lama").click()
    expect(items).to_have_count(25)  # appended in place, the page did not change
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    expect(items.last).to_contain_text("Iklan dilihat")
    expect(page.get_by_role("link", name="Lebih lama")).to_have_count(0)
    page.locator("#journey").screenshot(path=screenshot_path("customer-journey.png"))
