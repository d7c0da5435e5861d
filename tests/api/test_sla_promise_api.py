"""SLA clocks and promises through the API, on the seeded default policies (issue 3):
"Standar" uses the Jakarta working-hours calendar (Mon-Fri 08-12 and 13-17, Sat 08-12)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from tanggap.conversations import services
from tanggap.conversations.models import Message
from tanggap.sla.services import sla_sweep
from tests.web.support import receive

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=WIB)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def wib(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(WIB)


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


def test_a_new_ticket_shows_its_policy_and_due_times(clock, api_for, admin_user):
    ticket = receive()
    body = api_for(admin_user).get(f"/tickets/{ticket.pk}").body
    assert body["sla"]["policy"]["name"] == "Standar"
    targets = {t["kind"]: t for t in body["sla"]["targets"]}
    # 4 business hours from Tuesday 10:00: 10-12, lunch, 13-15
    assert wib(targets["first_response"]["due_at"]) == at(24, 15)
    # 24 business hours: Tue 6 h, Wed 8 h, Thu 8 h, Fri 08-10
    assert wib(targets["resolution"]["due_at"]) == at(27, 10)
    assert wib(body["sla_due_at"]) == at(24, 15)
    assert body["promise"] is None


def test_the_first_reply_carries_the_promise_in_indonesian(clock, api_for, agent, admin_user):
    ticket = receive()
    clock.move_to(at(24, 11))
    reply = api_for(agent).post(f"/tickets/{ticket.pk}/replies", {"body": "Kami cek ke kurir dulu."})
    assert reply.status_code == 201
    assert reply.body["body_text"].endswith(
        "Kami akan menyelesaikan masalah ini paling lambat Jumat, 27 November, pukul 10.00 WIB.")
    body = api_for(admin_user).get(f"/tickets/{ticket.pk}").body
    assert body["promise"]["status"] == "active"
    assert wib(body["promise"]["due_at"]) == at(27, 10)
    first = next(t for t in body["sla"]["targets"] if t["kind"] == "first_response")
    assert first["status"] == "met" and wib(first["met_at"]) == at(24, 11)


def test_re_dating_tells_the_customer_the_reason_and_the_new_date(clock, api_for, agent, admin_user):
    ticket = receive()
    services.reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    client = api_for(agent)
    response = client.post(f"/tickets/{ticket.pk}/promise",
                           {"due_at": "2026-11-30T15:00:00+07:00", "reason": "Gudang Medan tutup karena banjir"})
    assert response.status_code == 201, response.body
    assert response.body["status"] == "active"
    told = Message.objects.filter(ticket=ticket, direction="out").order_by("-id").first()
    assert "Gudang Medan tutup karena banjir." in told.body_text
    assert "Senin, 30 November, pukul 15.00 WIB" in told.body_text
    history = api_for(admin_user).get(f"/tickets/{ticket.pk}").body["promise"]["history"]
    assert [p["status"] for p in history] == ["redated", "active"]


@pytest.mark.parametrize("payload, code", [
    ({"due_at": "2026-11-30T15:00:00+07:00", "reason": "   "}, "reason_required"),
    ({"due_at": "2026-11-20T15:00:00+07:00", "reason": "Banjir"}, "date_in_past"),
    ({"due_at": "2026-11-30T15:00:00", "reason": "Banjir"}, "naive_datetime"),
])
def test_a_bad_re_date_is_refused_with_a_clear_error(clock, api_for, agent, payload, code):
    ticket = receive()
    services.reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    response = api_for(agent).post(f"/tickets/{ticket.pk}/promise", payload)
    assert response.status_code == 422
    assert response.body["error"]["code"] == code


def test_a_ticket_without_a_promise_cannot_be_re_dated(clock, api_for, agent):
    ticket = receive()
    response = api_for(agent).post(f"/tickets/{ticket.pk}/promise",
                                   {"due_at": "2026-11-30T15:00:00+07:00", "reason": "Banjir"})
    assert response.status_code == 409
    assert response.body["error"]["code"] == "no_promise"


def test_the_promise_report_counts_kept_promises_per_agent(clock, api_for, agent, team):
    ticket = receive()
    services.ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)
    services.reply_send(ticket=ticket, author=agent, body_text="Kami kirim pengganti.")
    clock.move_to(at(25, 9))
    services.ticket_update(ticket=ticket, actor=agent, status="solved")
    rows = api_for(agent).get("/reports/promises?group_by=agent").body
    assert rows == [{"key": agent.pk, "label": "sari", "kept": 1, "redated": 0, "broken": 0, "total": 1,
                     "kept_share": 1.0}]
    assert api_for(agent).get("/reports/promises?group_by=month").status_code == 422


def test_the_assignee_is_warned_before_a_breach_and_told_at_it(clock, api_for, agent, team):
    ticket = receive()
    services.ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)
    clock.move_to(at(24, 14, 5))  # first response due 15:00, warning 60 minutes before
    sla_sweep()
    kinds = [n["kind"] for n in api_for(agent).get("/notifications").body]
    assert kinds == ["sla.warning"]
    clock.move_to(at(24, 15, 1))
    sla_sweep()
    sla_sweep()  # idempotent: one breach, one notification
    notes = api_for(agent).get("/notifications?unread=true").body
    assert [n["kind"] for n in notes] == ["sla.breached", "sla.warning"]
    body = api_for(agent).get(f"/tickets/{ticket.pk}").body
    assert [(b["kind"], wib(b["breached_at"])) for b in body["sla"]["breaches"]] == [("first_response", at(24, 15))]
    assert api_for(agent).post("/notifications/read", {}).body == {"marked": 2}
    assert api_for(agent).get("/notifications?unread=true").body == []


def test_the_ticket_list_sorts_by_sla_due_with_overdue_first(clock, api_for, admin_user, agent):
    normal = receive(subject="Tanya ukuran", email="a@example.com")
    urgent = receive(subject="Kartu terdebet dua kali", email="b@example.com")
    services.ticket_update(ticket=urgent, actor=agent, priority="urgent")  # "Mendesak": 60 minutes, 24/7
    waiting = receive(subject="Menunggu foto", email="c@example.com")
    services.ticket_update(ticket=waiting, actor=agent, status="pending")  # paused: no running clock
    listed = api_for(admin_user).get("/tickets?sort=sla").body["items"]
    assert [t["id"] for t in listed] == [urgent.pk, normal.pk, waiting.pk]
    assert wib(listed[0]["sla_due_at"]) == at(24, 11)
    assert listed[2]["sla_due_at"] is None
    assert api_for(admin_user).get("/tickets?sort=oldest").status_code == 400
