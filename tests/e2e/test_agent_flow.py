"""An agent logs in, finds a ticket in the inbox, replies, and sees the reply queued."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tanggap.conversations import services
from tanggap.customers.services import LineInput, order_create, product_upsert
from tests.web.support import receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPLY = "Mohon maaf atas keterlambatannya, Pak Budi. Paket Anda sudah kami lacak dan akan tiba besok."


def seed(agent, lead, team):
    """A small, realistic inbox: several channels, languages, statuses and an order."""
    old = receive(subject="Cara klaim garansi blender", email="budi.santoso@example.co.id", name="Budi Santoso",
                  body="Blender saya mati setelah 2 minggu. Bagaimana cara klaim garansinya?")
    services.ticket_update(ticket=old, actor=lead, status="solved", category="question")
    serum = receive(channel="whatsapp", subject="", name="Dewi Lestari", phone="+6281234567890",
                    body="Botol serum yang saya terima bocor, isinya tinggal setengah.")
    services.ticket_update(ticket=serum, actor=lead, priority="high", category="defect", tags=["retur"],
                           assignee=agent, team=team)
    refund = receive(subject="Bayaran balik belum diterima", email="nurul.huda@example.my", name="Nurul Huda",
                     body="Saya sudah pulangkan barang minggu lepas tetapi bayaran balik belum masuk.")
    services.ticket_update(ticket=refund, actor=lead, category="refund_request", status="pending", team=team)
    receive(subject="Wrong size delivered", email="jason.tan@example.com", name="Jason Tan",
            body="I ordered the jacket in M but received XL. Can I exchange it?")
    receive(channel="sms", subject="", name="Agus", phone="081298765432",
            body="Kode voucher ULANGTAHUN tidak bisa dipakai di checkout.")
    product_upsert(sku="BLD-300", name="Blender Turbo 300", price=450000)
    product_upsert(sku="GLS-02", name="Gelas kaca 2 pcs", price=60000)
    customer = old.customer
    order_create(external_id="INV/2025/0412", customer=customer, status="shipped", courier="JNE",
                 lines=[LineInput(sku="BLD-300"), LineInput(sku="GLS-02", quantity=2)])
    late = receive(subject="Paket belum sampai sejak Senin", email="budi.santoso@example.co.id", name="Budi Santoso",
                   body="Selamat siang,\n\nPesanan INV/2025/0412 katanya sudah dikirim Senin, tapi sampai hari ini "
                        "belum sampai. Nomor resinya tidak bisa dilacak.\n\nTerima kasih,\nBudi")
    services.ticket_update(ticket=late, actor=lead, priority="urgent", category="delivery", tags=["jne", "vip"],
                           assignee=agent, team=team)
    services.note_add(ticket=late, author=lead, body_text="Sudah dicek ke JNE: paket tertahan di hub Cakung.")
    return late


def test_an_agent_replies_to_a_ticket_from_the_inbox(page, live_server, make_staff, team, screenshot_path):
    agent = make_staff("sari", "agent", [team])
    agent.first_name, agent.last_name = "Sari", "Wulandari"
    agent.save()
    lead = make_staff("joko", "lead", [team])
    ticket = seed(agent, lead, team)

    page.goto(f"{live_server.url}/inbox/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/inbox/$"))
    page.fill("#id_username", "sari")
    page.fill("#id_password", "rahasia-123")
    page.click("button[type=submit].btn-primary")
    expect(page).to_have_url(f"{live_server.url}/inbox/")
    expect(page.locator("h1")).to_have_text("Kotak Masuk")
    expect(page.locator("tr.ticket-row")).to_have_count(4)  # the open group: not the paused or solved ones
    page.screenshot(path=screenshot_path("inbox.png"), full_page=True)

    page.get_by_role("link", name=f"{ticket.reference} Paket belum sampai sejak Senin").click()
    expect(page).to_have_url(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.locator(".msg-in .msg-body")).to_contain_text("belum sampai")
    expect(page.locator(".msg-note")).to_contain_text("tertahan di hub Cakung")

    page.fill("#reply_body_text", REPLY)
    page.get_by_role("button", name="Kirim balasan").click()

    expect(page).to_have_url(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.locator(".flash")).to_have_text("Balasan masuk antrean pengiriman.")
    reply = page.locator(".msg-out").last
    # the first answer carries the promise: urgent ("Mendesak", 24/7) resolves within 8 hours
    expect(reply.locator(".msg-body")).to_contain_text(REPLY)
    expect(reply.locator(".msg-body")).to_contain_text("Kami akan menyelesaikan masalah ini paling lambat")
    expect(reply.locator(".delivery")).to_have_text("Dalam antrean")
    expect(reply.locator(".msg-meta strong")).to_have_text("Sari Wulandari")
    card = page.locator(".sla-card")
    expect(card.locator(".promise-label")).to_have_text("Dijanjikan kepada pelanggan paling lambat")
    expect(card.locator(".sla-target").first).to_contain_text("Respons pertama")
    expect(card.locator(".sla-target").first).to_contain_text("terpenuhi")
    page.screenshot(path=screenshot_path("agent-flow.png"), full_page=True)

    # the courier is stuck: the agent moves the date and says why
    card.locator("summary", has_text="Jadwalkan ulang janji").click()
    page.fill("#promise_due_at", "2099-12-01T15:00")
    page.fill("#promise_reason", "Paket tertahan di hub Cakung; JNE mengirim ulang besok pagi")
    page.get_by_role("button", name="Beri tahu pelanggan tanggal barunya").click()
    expect(page.locator(".flash")).to_have_text("Janji punya tanggal baru; pelanggan sedang diberi tahu alasannya.")
    expect(card.locator(".promise-date")).to_contain_text("1 Desember 2099, 15:00")
    expect(card.locator(".promise-history")).to_contain_text("Dijadwalkan ulang")
    expect(page.locator(".msg-out").last.locator(".msg-body")).to_contain_text("JNE mengirim ulang besok pagi.")
    page.locator(".sla-card").screenshot(path=screenshot_path("ticket-sla-card.png"))
    page.screenshot(path=screenshot_path("ticket-redated.png"), full_page=True)
