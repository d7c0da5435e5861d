"""The promise and SLA card on the ticket page, re-dating from the console, notifications and
the promise report (issue 3)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from tanggap.conversations import services
from tanggap.conversations.models import Message
from tanggap.promises.models import Promise
from tanggap.promises.services import promise_sweep
from tests.web.support import receive

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def console(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=WIB), tick=False) as traveller:
        yield traveller


def test_before_the_first_reply_the_agent_sees_the_promise_it_will_make(clock, console):
    ticket = receive()
    page = console.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Balasan Anda juga akan memberi tahu pelanggan:" in page
    assert "paling lambat Jumat, 27 November, pukul 10.00 WIB" in page
    assert "Respons pertama" in page  # the first-response clock is listed


def test_the_ticket_page_shows_the_promise_and_re_dates_it(clock, console, agent):
    ticket = receive()
    services.reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    page = console.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Dijanjikan kepada pelanggan paling lambat" in page
    response = console.post(f"/tickets/{ticket.pk}/promise/",
                            {"due_at": "2026-11-30T15:00", "reason": "Kurir SiCepat tertahan banjir di Medan"})
    assert response.status_code == 302
    assert Promise.objects.filter(ticket=ticket, status="active").get().due_at == dt.datetime(
        2026, 11, 30, 15, 0, tzinfo=WIB)
    told = Message.objects.filter(ticket=ticket, direction="out").order_by("-id").first()
    assert "Kurir SiCepat tertahan banjir di Medan." in told.body_text


def test_re_dating_into_the_past_shows_a_form_error(clock, console, agent):
    ticket = receive()
    services.reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    response = console.post(f"/tickets/{ticket.pk}/promise/", {"due_at": "2026-11-20T15:00", "reason": "Banjir"})
    assert response.status_code == 400
    assert "The new date must be in the future." in response.content.decode()
    assert Promise.objects.filter(ticket=ticket).count() == 1


def test_a_broken_promise_reaches_the_assignee_in_the_console(clock, console, agent, team):
    ticket = receive()
    services.ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)
    services.reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    clock.move_to(dt.datetime(2026, 11, 27, 10, 1, tzinfo=WIB))
    assert promise_sweep()["broken"] == 1
    nav = console.get("/inbox/").content.decode()
    assert 'class="count count-alert">' in nav
    page = console.get("/notifications/").content.decode()
    assert f"{ticket.reference}: janji kepada pelanggan tidak ditepati" in page
    report = console.get("/reports/promises/?group_by=agent").content.decode()
    assert "<td>sari</td><td>0</td><td>0</td><td>1</td><td>1</td>" in report


def test_the_inbox_can_sort_by_sla_due(clock, console, agent):
    later = receive(subject="Tanya ukuran", email="a@example.com")
    sooner = receive(subject="Kartu terdebet dua kali", email="b@example.com")
    services.ticket_update(ticket=sooner, actor=agent, priority="urgent")
    page = console.get("/inbox/?sort=sla").content.decode()
    assert page.index(sooner.reference) < page.index(later.reference)
    assert "jatuh tempo dalam 1 j" in page
