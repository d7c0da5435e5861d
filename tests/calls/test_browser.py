"""An agent logs a call in a real browser (Debian's Chromium): from the customer page, a call
about a new problem opens a ticket; the call shows on the new ticket's thread and in its calls
card. The screenshot goes to test-results/calls-ticket.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tanggap.calls.models import Call
from tests.calls.conftest import receive_message
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agent_logs_a_call_about_a_new_problem(page, live_server, make_staff, team, screenshot_path):  # noqa: F811
    make_staff("sari", "agent", [team])
    known = receive_message(external_id="sms-1", phone="0812-3456-7890", name="Dewi Lestari",
                            body="Paket saya belum sampai.")
    customer = known.ticket.customer

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", "rahasia-123")
    page.click("button[type=submit].btn-primary")
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")

    panel = page.locator("#calls-panel")
    expect(panel.locator("details.call-log")).to_have_attribute("open", "")  # no calls yet: the form is open
    expect(panel.locator("#id_number")).to_have_value("+6281234567890")  # prefilled from the customer
    panel.locator("input[name=direction][value=in]").check()
    panel.locator("#id_outcome").select_option("answered")
    panel.locator("#id_duration").fill("4:30")
    panel.locator("#id_notes").fill("Voucher ulang tahun tidak bisa dipakai\nSudah dicoba dua kali di aplikasi.")
    panel.locator("#id_new_ticket").check()
    panel.get_by_role("button", name="Catat panggilan").click()

    call = Call.objects.get()
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator("body")).to_contain_text(f"Panggilan dicatat di {call.ticket.reference}")
    expect(page.locator(f"#call-{call.pk}")).to_contain_text("4:30")
    page.screenshot(path=screenshot_path("calls-customer.png"), full_page=True)

    page.locator(f"#call-{call.pk} a", has_text=call.ticket.reference).click()
    expect(page).to_have_url(re.compile(rf"/tickets/{call.ticket_id}/$"))
    expect(page.locator("h1")).to_contain_text("Voucher ulang tahun tidak bisa dipakai")
    expect(page.locator(f"#m{call.message_id}")).to_contain_text("Panggilan masuk")
    expect(page.locator("#calls-panel")).to_contain_text("Terjawab")
    page.screenshot(path=screenshot_path("calls-ticket.png"), full_page=True)
