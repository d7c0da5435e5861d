"""Real time: chat events are rows; the hub's poller hands new rows to the streams that want
them; a stream resumes from Last-Event-ID; the console only streams tickets the agent may see."""

from __future__ import annotations

import threading
import time

import pytest

from tanggap.conversations import services as conv
from tanggap.conversations.models import Ticket
from tanggap.livechat import hub as hub_mod, views
from tanggap.livechat.models import ChatConversation, ChatEvent


def _event(conversation, id=None, text="x"):
    return ChatEvent.objects.create(id=id, conversation=conversation, kind="message", sender="visitor",
                                    data={"text": text})


@pytest.mark.django_db
def test_the_poller_waits_for_a_late_commit_then_gives_up_on_a_gap(chat_channel, monkeypatch):
    c = ChatConversation.objects.create(channel=chat_channel, visitor_id="v1")
    hub = hub_mod.Hub(autostart=False)
    got = []
    hub.subscribe_queue(lambda row: True)  # a subscriber; the test reads what the hub dispatches
    monkeypatch.setattr(hub, "dispatch", lambda rows: got.extend(r["id"] for r in rows))
    hub.watermark = 0
    _event(c, id=1), _event(c, id=3)  # id 2 is "not committed yet"
    hub.poll_once()
    assert got == [1, 3] and hub.watermark == 1
    _event(c, id=2)  # the late commit
    hub.poll_once()
    assert got == [1, 3, 2] and hub.watermark == 3
    _event(c, id=5)  # id 4: rolled back, never comes
    hub.poll_once()
    assert got == [1, 3, 2, 5] and hub.watermark == 3
    later = time.monotonic() + hub_mod.GAP_SECONDS + 1
    monkeypatch.setattr(hub_mod.time, "monotonic", lambda: later)
    hub.poll_once()
    assert got == [1, 3, 2, 5] and hub.watermark == 5  # nothing handed out twice


@pytest.mark.django_db
def test_a_stream_resumes_after_last_event_id_with_only_its_own_conversation(visitor, monkeypatch):
    monkeypatch.setattr(views, "STREAM_SECONDS", 0.2)
    monkeypatch.setattr(views, "hub", hub_mod.Hub(autostart=False))  # no poller thread inside a test transaction
    a, b = visitor(), visitor(ip="198.51.100.9")
    a.say("satu")
    b.say("punya orang lain")
    a.say("dua")
    first = ChatEvent.objects.filter(data__text="satu").get()
    response = a.client.get(f"/chat/api/{a.slug}/stream", {"token": a.token}, headers={"Last-Event-ID": str(first.pk)})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    body = b"".join(response.streaming_content).decode()
    assert '"text": "dua"' in body and "satu" not in body and "orang lain" not in body
    assert f"id: {ChatEvent.objects.get(data__text='dua').pk}\n" in body
    bad = a.client.get(f"/chat/api/{a.slug}/stream", {"token": b.token + "x"})
    assert bad.status_code == 401


def off_loop(fn, *args, **kwargs):
    """Django's sync test client calls an async view through async_to_sync, which refuses a thread
    that has a running event loop, and Playwright's sync API (the browser tests that ran earlier in
    the same pytest process) leaves one in the main thread. So the request is made from a fresh
    thread (these tests use committed transactions, which every thread sees)."""
    out = {}

    def run():
        out["r"] = fn(*args, **kwargs)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(30)
    assert "r" in out, "the request did not complete (see the thread's exception above)"
    return out["r"]


@pytest.mark.django_db(transaction=True)
def test_a_visitor_message_reaches_the_agents_console_stream_within_a_second(visitor, agent, monkeypatch, live_hub):
    monkeypatch.setattr(views, "STREAM_SECONDS", 3.0)
    v = visitor()
    v.say("halo")
    ticket = Ticket.objects.get()
    from django.test import Client

    console = Client()
    console.force_login(agent)
    response = off_loop(console.get, "/chat/console/stream", {"ticket": ticket.pk})
    assert response.status_code == 200
    received = []

    def read():
        for chunk in response.streaming_content:
            if b"data:" in chunk:
                received.append((time.monotonic(), chunk.decode()))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.3)  # the stream is waiting
    sent = time.monotonic()
    v.say("pesanan saya belum sampai")
    reader.join(3)
    assert received, "nothing reached the console stream"
    assert received[0][0] - sent < 1.0 and "pesanan saya belum sampai" in received[0][1]


@pytest.mark.django_db(transaction=True)
def test_the_agents_typing_and_reply_reach_the_visitor_stream(visitor, agent, monkeypatch, live_hub):
    monkeypatch.setattr(views, "STREAM_SECONDS", 3.0)
    v = visitor()
    v.say("halo")
    session = v.open()
    ticket = Ticket.objects.get()
    response = off_loop(v.client.get, f"/chat/api/{v.slug}/stream",
                        {"token": v.token, "after": session["events"][-1]["id"]})
    frames = []

    def read():
        for chunk in response.streaming_content:
            if b"data:" in chunk:
                frames.append(chunk.decode())
                if len(frames) == 2:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.3)
    from django.test import Client

    console = Client()
    console.force_login(agent)
    assert off_loop(console.post, f"/chat/console/tickets/{ticket.pk}/typing", {"typing": "1"}).status_code == 200
    conv.reply_send(ticket=ticket, author=agent, body_text="Sebentar, saya cek dulu ya.")
    reader.join(3)
    assert len(frames) == 2
    assert '"kind": "typing"' in frames[0] and '"typing": true' in frames[0]
    assert "Sebentar, saya cek dulu ya." in frames[1] and '"sender": "agent"' in frames[1]


@pytest.mark.django_db
def test_the_console_stream_leaves_out_tickets_of_other_teams(visitor, make_staff, team, monkeypatch):
    from tanggap.accounts.services import team_get_or_create

    monkeypatch.setattr(views, "STREAM_SECONDS", 0.1)
    monkeypatch.setattr(views, "hub", hub_mod.Hub(autostart=False))
    other = team_get_or_create(name="Pembayaran")
    sari = make_staff("sari", "agent", [team])
    boss = make_staff("boss", "admin")
    v = visitor()
    v.say("rahasia tim pembayaran")
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(team=other)
    from django.test import Client

    for user, sees in ((sari, False), (boss, True)):
        c = Client()
        c.force_login(user)
        body = b"".join(c.get("/chat/console/stream", {"after": 0}).streaming_content).decode()
        assert ("rahasia tim pembayaran" in body) is sees
        assert c.get("/chat/console/stream", {"ticket": ticket.pk}).status_code == (200 if sees else 404)
    assert Client().get("/chat/console/stream").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_row_committed_in_this_process_goes_out_at_once_not_at_the_next_tick(visitor, monkeypatch, live_hub):
    monkeypatch.setattr(hub_mod, "POLL_SECONDS", 5.0)  # a tick far longer than the test may wait
    v = visitor()
    _, rows = live_hub.subscribe_queue(lambda row: row["kind"] == "message")
    deadline = time.monotonic() + 3
    while live_hub.watermark is None and time.monotonic() < deadline:  # the poller has started
        time.sleep(0.01)
    sent = time.monotonic()
    v.say("cepat sampai")
    row = rows.get(timeout=3)
    assert row["data"]["text"] == "cepat sampai" and time.monotonic() - sent < 1.0
