"""Availability, continuing by email and the transcript: what a visitor sees when nobody is
online, and what reaches their mailbox."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from tanggap.conversations import services as conv
from tanggap.conversations.models import Message, Ticket
from tanggap.livechat.models import ChatEvent

pytestmark = pytest.mark.django_db
SATURDAY_NOON_WIB = dt.datetime(2026, 11, 28, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def calendar(chat_channel):
    from tanggap.sla.models import BusinessCalendar, OpenPeriod

    chat_channel.config["calendar"] = "Jam kerja toko"
    chat_channel.save()
    cal = BusinessCalendar.objects.create(name="Jam kerja toko", time_zone="Asia/Jakarta", country="")
    OpenPeriod.objects.bulk_create([OpenPeriod(calendar=cal, weekday=d, opens_at=dt.time(8), closes_at=dt.time(17))
                                    for d in range(5)])
    return cal


def test_nobody_online_on_saturday_says_monday_eight_oclock(visitor, calendar):
    with time_machine.travel(SATURDAY_NOON_WIB, tick=False):
        session = visitor().open()
    assert session["availability"] == {"online": False, "next_open": "2026-11-30T01:00:00+00:00", "open_now": False}


def test_an_agent_online_is_seen_until_the_timeout(visitor, calendar, agent, api_for):
    api = api_for(agent)
    with time_machine.travel(SATURDAY_NOON_WIB, tick=False) as clock:
        response = api._call("put", "/livechat/presence", {"status": "online"})
        assert response.status_code == 200 and response.body["agents_online"] == 1
        v = visitor()
        assert v.open()["availability"]["online"] is True
        clock.shift(dt.timedelta(seconds=119))
        assert v.open()["availability"]["online"] is True
        clock.shift(dt.timedelta(seconds=2))  # no sign of life for two minutes: away
        assert v.open()["availability"]["online"] is False
        api._call("put", "/livechat/presence", {"status": "online"})
        api._call("put", "/livechat/presence", {"status": "away"})
        assert v.open()["availability"]["online"] is False


def test_continuing_by_email_sends_the_replies_by_email_and_keeps_them_in_the_chat(visitor, agent, smtp_sink, settings,
                                                                                  django_capture_on_commit_callbacks):
    for name, value in smtp_sink.django_settings().items():
        setattr(settings, name, value)
    v = visitor()
    v.say("Saya tunggu jawabannya lewat email saja")
    assert v.post("continue-by-email", {"email": "rina@example.co.id"}).body == {"email": "rina@example.co.id",
                                                                                "by_email": True}
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        reply = conv.reply_send(ticket=ticket, author=agent, body_text="Halo Rina, pesanan Anda sudah dikirim.")
    reply.refresh_from_db()
    assert (reply.channel_kind, reply.recipient) == ("email", "rina@example.co.id")
    call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*", verbosity=0)
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["rina@example.co.id"]]
    assert "pesanan Anda sudah dikirim" in smtp_sink.messages[0].message.get_body().get_content()
    texts = [e["text"] for e in v.open()["events"] if e["kind"] == "message"]
    assert texts[-1].startswith("Halo Rina, pesanan Anda sudah dikirim.")


def test_the_transcript_is_emailed_as_a_stored_job_through_the_email_channel(visitor, agent, smtp_sink, settings,
                                                                             django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    for name, value in smtp_sink.django_settings().items():
        setattr(settings, name, value)
    v = visitor()
    v.say("Ukuran M masih ada?")
    conv.reply_send(ticket=Ticket.objects.get(), author=agent, body_text="Masih ada, Kak.")  # its job: not run here
    response = v.post("transcript", {"email": "dina@example.com"})
    assert response.status_code == 200 and response.body == {"email": "dina@example.com", "queued": True}
    assert DBTaskResult.objects.filter(task_path__endswith="send_transcript", status="READY").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*", verbosity=0)
    call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*", verbosity=0)
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["dina@example.com"]]
    body = smtp_sink.messages[0].message.get_body().get_content()
    assert "Anda: Ukuran M masih ada?" in body and "Kami: Masih ada, Kak." in body
    copy = Message.objects.get(meta__purpose="transcript")
    assert copy.channel_kind == "email" and copy.ticket == Ticket.objects.get()  # on the ticket's timeline
    assert not ChatEvent.objects.filter(message=copy).exists()


def test_a_transcript_needs_an_address_and_a_conversation(visitor):
    v = visitor()
    assert v.post("transcript", {}).body["error"]["code"] == "missing_email"
    assert v.post("transcript", {"email": "dina@example.com"}).body["error"]["code"] == "empty_chat"


def test_the_console_lists_open_chats_and_sets_presence(visitor, agent, client):
    v = visitor()
    v.say("Halo dari <script>alert(1)</script>")
    client.force_login(agent)
    page = client.get("/chat/console/").content.decode()
    assert Ticket.objects.get().reference in page and 'name="status" value="online"' in page
    assert client.post("/chat/console/presence", {"status": "online"}).status_code == 302
    page = client.get("/chat/console/").content.decode()
    assert 'name="status" value="away"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
