"""Live chat in two browsers: a visitor on a plain HTML page of another origin (127.0.0.1 on its
own port, with a strict CSP: no inline script or style) chats through the widget with an agent in
a second browser context. Each sees the other's messages within a second; the agent's typing
shows in the widget; the visitor leaves an email and the chat joins that customer's history."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tanggap.channels.models import Channel
from tanggap.channels.normalized import InboundIdentity
from tanggap.conversations.models import Ticket
from tanggap.customers.services import customer_find_or_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SECOND = 1000  # ms: "within a second"


def host_page(widget_src: str, slug: str, csp: str) -> tuple[ThreadingHTTPServer, str]:
    html = (f'<!doctype html><html lang="ms"><head><meta charset="utf-8"><title>Kedai Runcit Aminah</title></head>'
            f'<body><h1>Kedai Runcit Aminah</h1><p>Barang dapur, dihantar ke seluruh Malaysia.</p>'
            f'<script src="{widget_src}" data-channel="{slug}" async></script></body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def chat_hub(monkeypatch):
    """The live server's hub for this test only, its poller stopped before the database goes."""
    from tanggap.livechat import hub as hub_mod, views

    hub = hub_mod.Hub()
    monkeypatch.setattr(views, "hub", hub)
    yield hub
    hub.stop()


def test_a_visitor_and_an_agent_chat_live(browser, live_server, chat_hub, make_staff, team, screenshot_path):
    make_staff("sari", "agent", [team])
    aminah, _ = customer_find_or_create(identity=InboundIdentity(kind="email", value="aminah@example.my",
                                                                 name="Aminah binti Yusof"))
    base = live_server.url
    server, site = host_page(f"{base}/chat/widget.js", "kedai-chat",
                             csp=f"default-src 'none'; script-src {base}; style-src {base}; connect-src {base}")
    Channel.objects.create(kind="chat", slug="kedai-chat", name="Chat kedai", config={"allowed_origins": [site]})
    try:
        agent_ctx, visitor_ctx = browser.new_context(locale="id-ID"), browser.new_context(locale="ms-MY")
        agent, visitor = agent_ctx.new_page(), visitor_ctx.new_page()
        csp_errors = []
        visitor.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

        agent.goto(f"{base}/chat/console/")
        agent.fill("#id_username", "sari")
        agent.fill("#id_password", "rahasia-123")
        agent.click("button[type=submit].btn-primary")
        expect(agent).to_have_url(f"{base}/chat/console/")
        agent.click("button[name=status][value=online]")
        expect(agent.locator("button[name=status][value=away]")).to_be_visible()

        visitor.goto(site)
        visitor.get_by_role("button", name="Chat dengan kami").click()
        expect(visitor.locator(".tgc-status")).to_have_text("Kami dalam talian dan sedia membantu.")
        visitor.fill(".tgc-input", "Assalamualaikum, pesanan saya belum sampai <b>lagi</b>")
        visitor.get_by_role("button", name="Hantar", exact=True).click()
        expect(visitor.locator(".tgc-msg.tgc-visitor")).to_have_text(re.compile("belum sampai <b>lagi</b>"))

        # the agent's console shows the new chat without a reload
        row = agent.locator("#livechat-chats tbody tr[data-ticket]").first
        expect(row).to_contain_text("belum sampai <b>lagi</b>", timeout=SECOND)
        ticket = Ticket.objects.get(channel__slug="kedai-chat")
        row.locator("a").click()
        expect(agent).to_have_url(f"{base}/tickets/{ticket.pk}/")
        expect(agent.locator("#livechat-panel")).to_be_visible()
        agent.wait_for_timeout(300)  # the panel's stream is connected

        visitor.fill(".tgc-input", "Nombor pesanan INV/2025/0412")
        visitor.get_by_role("button", name="Hantar", exact=True).click()
        expect(agent.locator("#livechat-feed li")).to_contain_text("INV/2025/0412", timeout=SECOND)

        agent.fill("#reply_body_text", "Waalaikumsalam. Sebentar, saya semak dengan kurier.")
        expect(visitor.locator(".tgc-typing")).to_be_visible(timeout=SECOND)
        expect(visitor.locator(".tgc-typing")).to_contain_text("sedang menaip")
        agent.get_by_role("button", name="Kirim balasan").click()
        expect(visitor.locator(".tgc-msg.tgc-agent")).to_contain_text("saya semak dengan kurier", timeout=SECOND)
        expect(visitor.locator(".tgc-typing")).to_be_hidden()
        visitor.screenshot(path=screenshot_path("livechat-visitor.png"))

        # the visitor leaves her email: the chat joins Aminah's history
        visitor.fill(".tgc-contact-input", "aminah@example.my")
        visitor.click(".tgc-contact-save")
        expect(visitor.locator(".tgc-foot")).to_contain_text("aminah@example.my")
        ticket.refresh_from_db()
        assert ticket.customer_id == aminah.pk
        agent.goto(f"{base}/customers/{aminah.pk}/")
        expect(agent.get_by_text(ticket.reference).first).to_be_visible()
        agent.screenshot(path=screenshot_path("livechat-customer.png"), full_page=True)
        assert not csp_errors, csp_errors  # nothing inline: the host's strict CSP is enough
        agent_ctx.close()
        visitor_ctx.close()
    finally:
        server.shutdown()
