"""In Chromium: a customer types on the contact form, sees a suggested article, opens it and says
it answered their question (a deflection, counted); an agent inserts an article's link into the
reply box with one click. Screenshots go to test-results/ (reviewed copies in docs/img/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tanggap.knowledge.models import Deflection
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401
from tests.web.support import receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_customer_is_deflected_and_an_agent_inserts_a_link(page, context, live_server, kb, agent, screenshot_path):
    # The help center, without signing in.
    page.goto(f"{live_server.url}/portal/help/")
    expect(page.get_by_role("link", name="Cara pengembalian dana")).to_be_visible()
    page.screenshot(path=screenshot_path("kb-help-center.png"), full_page=True)

    # The contact form suggests while the customer types.
    page.goto(f"{live_server.url}/portal/contact/")
    page.get_by_role("link", name="Pusat bantuan").first.wait_for()
    page.fill("#id_subject", "Uang belum kembali")
    page.locator("#id_message").press_sequentially("Kapan uang saya dikembalikan setelah barang saya kirim balik?")
    suggestion = page.locator("#kb-suggest a", has_text="Cara pengembalian dana")
    expect(suggestion).to_be_visible()
    page.screenshot(path=screenshot_path("kb-contact-suggestions.png"), full_page=True)
    with context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    expect(article.get_by_role("heading", name="Cara pengembalian dana")).to_be_visible()
    article.get_by_role("button", name=re.compile("menjawab pertanyaan saya")).click()
    expect(article.get_by_role("status")).to_contain_text("tidak perlu")
    assert sorted(Deflection.objects.values_list("kind", flat=True)) == ["answered", "opened"]

    # An agent on a delivery ticket inserts the suggested article with one click.
    ticket = receive(subject="Paket belum sampai", name="Budi", email="budi@example.co.id",
                     body="Paket saya belum diantar kurir, nomor resi tidak bisa dilacak.")
    page.goto(f"{live_server.url}/login/?next=/tickets/{ticket.pk}/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", "rahasia-123")
    page.click("button[type=submit].btn-primary")
    box = page.locator("#reply textarea[name=body_text]")
    box.fill("Halo Pak Budi, cara melacak paket ada di sini:")
    page.locator("#kb-suggestions li", has_text="Melacak pengiriman paket").get_by_role("button").click()
    expect(box).to_have_value(re.compile(
        r"^Halo Pak Budi, cara melacak paket ada di sini:\nMelacak pengiriman paket: "
        + re.escape(live_server.url) + r"/portal/help/lacak-pengiriman/\?lang=id\n$"))
    page.locator("#reply").screenshot(path=screenshot_path("kb-ticket-panel.png"))
