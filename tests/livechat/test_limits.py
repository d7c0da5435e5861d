"""Abuse limits: messages per visitor and per address per minute, new chats per address per hour
(counted from the stored rows, so every web process sees the same counts), message size, and
visitor text never rendered as HTML."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.conversations.models import Ticket
from tanggap.livechat.models import ChatEvent

pytestmark = pytest.mark.django_db
EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_a_visitor_is_slowed_down_after_the_per_minute_limit(visitor, chat_channel):
    chat_channel.config["visitor_messages_per_minute"] = 3
    chat_channel.save()
    v = visitor()
    with time_machine.travel(dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), tick=False) as clock:
        assert [v.say(f"pesan {i}").status_code for i in range(3)] == [200, 200, 200]
        refused = v.say("satu lagi")
        assert refused.status_code == 429 and refused.body["error"]["code"] == "rate_limited"
        assert refused["Access-Control-Allow-Origin"]  # the widget can read the reason
        clock.shift(dt.timedelta(seconds=61))
        assert v.say("sudah boleh lagi").status_code == 200
    assert ChatEvent.objects.filter(kind="message").count() == 4


def test_one_address_is_limited_across_visitors(visitor, chat_channel):
    chat_channel.config.update(ip_messages_per_minute=2, ip_sessions_per_hour=3)
    chat_channel.save()
    a, b = visitor(), visitor()
    assert a.say("a").status_code == 200 and b.say("b").status_code == 200
    assert a.say("a2").status_code == 429
    assert visitor(ip="198.51.100.1").say("dari alamat lain").status_code == 200
    visitor()  # the third new chat from 203.0.113.7 this hour
    from tests.livechat.conftest import Visitor

    fourth = Visitor(chat_channel.slug).post("session", {"lang": "id"})
    assert fourth.status_code == 429


def test_message_size_is_limited(visitor, chat_channel):
    v = visitor()
    too_long = v.say("x" * 2001)
    assert too_long.status_code == 413 and too_long.body["error"]["code"] == "message_too_long"
    assert v.say("x" * 2000).status_code == 200
    assert v.post("messages", {"text": "y" * 20_000, "client_id": "big"}).status_code == 413
    assert v.say("   ").status_code == 400


def test_visitor_html_is_escaped_on_the_ticket_page_panel_console_and_api(visitor, agent, client, api_for):
    v = visitor()
    v.say(EVIL)
    v.post("identify", {"name": EVIL, "email": "evil@example.com"})
    ticket = Ticket.objects.get()
    client.force_login(agent)
    for url in (f"/tickets/{ticket.pk}/", "/chat/console/"):
        page = client.get(url).content.decode()
        assert "<script>alert(2)</script>" not in page and '<img src=x onerror="alert(1)">' not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in client.get(f"/tickets/{ticket.pk}/").content.decode()
    # streams carry JSON; the widget and agent.js put it on the page with textContent only
    event = v.open()["events"][0]
    assert event["text"] == EVIL
    items = api_for(agent).get("/livechat/chats").body
    assert items[0]["customer_name"] == EVIL  # data, as sent; JSON is not HTML


def test_the_scripts_never_parse_text_as_html():
    from pathlib import Path

    static = Path(__file__).parents[2] / "tanggap" / "livechat" / "static" / "livechat"
    for name in ("widget.js", "agent.js"):
        source = (static / name).read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{name} uses {sink}"
