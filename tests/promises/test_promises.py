"""Promises to the customer: made on the first answer with the date in the customer's
language, kept, broken (once), re-dated with a reason, and the automatic acknowledgement.

25 November 2026 is a Wednesday; the calendar is Monday-Friday 08-12 and 13-17, Saturday 08-12,
and the policy's resolution target is 8 business hours."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.common.errors import DomainError
from tanggap.conversations.models import Message
from tanggap.conversations.services import reply_send, ticket_update
from tanggap.customers.models import Customer
from tanggap.notifications.models import Notification
from tanggap.promises.models import Promise
from tanggap.promises.services import promise_redate, promise_sweep
from tanggap.sla.models import SlaPolicy, SlaTarget
from tanggap.sla.services import sla_refresh
from tests.promises.support import fresh, make_calendar, make_policy, myt, receive, wib

pytestmark = pytest.mark.django_db
WED = (2026, 11, 25)
THU = (2026, 11, 26)
ID_SENTENCE = "Kami akan menyelesaikan masalah ini paling lambat Kamis, 26 November, pukul 15.00 WIB."


def at(when: dt.datetime):
    return time_machine.travel(when, tick=False)


def open_ticket(when=wib(*WED, 15, 0), **kw):
    with at(when):
        return receive(**kw)


def answer(ticket, agent, when, text="Mohon maaf atas kendalanya, kami cek ke kurir.", **kw):
    with at(when):
        return reply_send(ticket=ticket, author=agent, body_text=text, **kw)


def notes(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def assigned(ticket, agent, team):
    return ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)


# --- made on the first answer -------------------------------------------------------------

def test_the_first_reply_makes_the_promise_and_tells_it_in_indonesian(policy, agent):
    ticket = open_ticket().ticket
    reply = answer(ticket, agent, wib(*WED, 15, 10))
    promise = Promise.objects.get()
    assert (promise.status, promise.due_at, promise.made_at) == ("active", wib(*THU, 15, 0), wib(*WED, 15, 10))
    assert (promise.message_id, promise.made_by, promise.ticket_id) == (reply.pk, agent, ticket.pk)
    assert promise.warn_at == wib(*THU, 14, 30)
    body = Message.objects.get(pk=reply.pk).body_text
    assert body == f"Mohon maaf atas kendalanya, kami cek ke kurir.\n\n{ID_SENTENCE}"
    assert Message.objects.get(pk=reply.pk).meta["promise_id"] == promise.pk
    made = ticket.timeline.get(kind="promise.made")
    assert dt.datetime.fromisoformat(made.data["due_at"]) == wib(*THU, 15, 0) and made.message_id == reply.pk
    # the promise equals the resolution clock's due time
    assert SlaTarget.objects.get(ticket=ticket, kind="resolution").due_at == promise.due_at


def test_later_replies_do_not_repeat_or_change_the_promise(policy, agent):
    ticket = open_ticket().ticket
    answer(ticket, agent, wib(*WED, 15, 10))
    second = answer(ticket, agent, wib(*WED, 16, 0), text="Kurir sudah kami hubungi.")
    assert Promise.objects.count() == 1
    assert Message.objects.get(pk=second.pk).body_text == "Kurir sudah kami hubungi."


def test_a_malay_customer_in_kuala_lumpur_is_told_in_malay_and_malaysian_time(policy, agent):
    kl = make_calendar(name="KL", tz="Asia/Kuala_Lumpur", country="MY", subdivision="14")
    make_policy(name="Malaysia", position=10, tiers=["my"], calendar=kl, resolution_minutes=8 * 60)
    with at(myt(*WED, 15, 0)):
        result = receive(email="aminah@example.com.my", name="Aminah", language="ms")
        Customer.objects.filter(pk=result.ticket.customer_id).update(tier="my")
        sla_refresh(ticket=result.ticket)
    reply = answer(result.ticket, agent, myt(*WED, 15, 10), text="Maaf atas kesulitan ini.")
    assert Promise.objects.get().due_at == myt(*THU, 15, 0)
    assert Message.objects.get(pk=reply.pk).body_text.endswith(
        "Kami akan menyelesaikan masalah ini selewat-lewatnya Khamis, 26 November, jam 15.00 MYT.")


def test_an_english_speaking_customer_is_told_in_english(policy, agent):
    ticket = open_ticket(email="john@example.com", name="John", language="en").ticket
    reply = answer(ticket, agent, wib(*WED, 15, 10), text="Sorry about this.")
    assert Message.objects.get(pk=reply.pk).body_text == (
        "Sorry about this.\n\nWe will resolve this by Thursday, 26 November, 15:00 WIB at the latest.")


@pytest.mark.parametrize("opened, promised", [
    (wib(*WED, 15, 7), wib(*THU, 15, 15)),
    (wib(*WED, 15, 14, 59), wib(*THU, 15, 15)),
    (wib(*WED, 15, 15), wib(*THU, 15, 15)),
    (wib(*WED, 15, 0, 0, 250000), wib(*THU, 15, 15)),  # never earlier than the clock's due time
    (wib(*WED, 16, 50), wib(*THU, 17, 0)),  # due 16:50, after lunch on Thursday
])
def test_the_promised_time_is_rounded_up_to_the_quarter_hour(policy, agent, opened, promised):
    ticket = open_ticket(opened).ticket
    answer(ticket, agent, opened + dt.timedelta(minutes=1))
    due = SlaTarget.objects.get(ticket=ticket, kind="resolution").due_at
    promise = Promise.objects.get()
    assert promise.due_at >= due and promise.due_at - due < dt.timedelta(minutes=15)
    assert promise.due_at.minute % 15 == 0 and promise.due_at.second == 0 and promise.due_at.microsecond == 0
    assert promise.due_at == promised


def test_no_promise_without_a_resolution_target(calendar, agent):
    make_policy(calendar=calendar, resolution_minutes=None)
    ticket = open_ticket().ticket
    reply = answer(ticket, agent, wib(*WED, 15, 10), text="Baik.")
    assert not Promise.objects.exists() and Message.objects.get(pk=reply.pk).body_text == "Baik."


def test_replying_and_solving_at_once_makes_no_promise(policy, agent):
    ticket = open_ticket().ticket
    reply = answer(ticket, agent, wib(*WED, 15, 10), text="Sudah beres.", status="solved")
    assert not Promise.objects.exists() and Message.objects.get(pk=reply.pk).body_text == "Sudah beres."


# --- kept and broken ------------------------------------------------------------------------

def test_solved_in_time_the_promise_is_kept(policy, agent, team):
    ticket = open_ticket().ticket
    assigned(ticket, agent, team)
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 15, 0)):  # on the minute still counts
        ticket_update(ticket=ticket, actor=agent, status="solved")
        promise_sweep()
    promise = Promise.objects.get()
    assert (promise.status, promise.settled_at, promise.agent, promise.team) == ("kept", wib(*THU, 15, 0), agent,
                                                                                team)
    assert ticket.timeline.filter(kind="promise.kept").count() == 1
    assert not ticket.timeline.filter(kind="promise.broken").exists()


def test_solved_too_late_without_a_sweep_the_promise_is_broken(policy, agent):
    ticket = open_ticket().ticket
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 15, 1)):
        ticket_update(ticket=ticket, actor=agent, status="solved")
    assert Promise.objects.get().status == "broken"
    assert ticket.timeline.filter(kind="promise.broken").count() == 1


def test_the_assignee_and_lead_are_alerted_before_the_promise_lapses(policy, agent, team, lead):
    ticket = open_ticket().ticket
    assigned(ticket, agent, team)
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 14, 29)):
        assert promise_sweep()["warned"] == 0
    with at(wib(*THU, 14, 30)):
        assert promise_sweep()["warned"] == 1
        assert promise_sweep()["warned"] == 0
    assert notes("promise.warning") == ["bayu", "sari"]
    text = Notification.objects.filter(kind="promise.warning").first().text
    assert ticket.reference in text and "26 Nov 15:00" in text
    assert Promise.objects.get().warned and Promise.objects.get().status == "active"


def test_a_lapsed_promise_is_broken_by_the_sweep_once_and_people_are_told(policy, agent, team, lead):
    ticket = open_ticket().ticket
    assigned(ticket, agent, team)
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 14, 59)):
        assert promise_sweep()["broken"] == 0
    with at(wib(*THU, 15, 0)):
        assert promise_sweep()["broken"] == 1
        assert promise_sweep()["broken"] == 0
    with at(wib(*THU, 16, 0)):  # a restarted worker sweeping again later
        assert promise_sweep()["broken"] == 0
        ticket_update(ticket=ticket, actor=agent, status="solved")  # solving later changes nothing
    promise = Promise.objects.get()
    assert (promise.status, promise.settled_at, promise.agent, promise.team) == ("broken", wib(*THU, 15, 0), agent,
                                                                                team)
    assert ticket.timeline.filter(kind="promise.broken").count() == 1
    assert not ticket.timeline.filter(kind="promise.kept").exists()
    assert notes("promise.broken") == ["bayu", "sari"]


def test_no_silent_new_promise_after_a_broken_one(policy, agent):
    ticket = open_ticket().ticket
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 15, 5)):
        promise_sweep()
    reply = answer(ticket, agent, wib(*THU, 15, 30), text="Masih kami proses.")
    assert Promise.objects.count() == 1
    assert Message.objects.get(pk=reply.pk).body_text == "Masih kami proses."


def test_after_a_kept_promise_a_reopened_ticket_gets_a_new_promise_on_its_next_answer(policy, agent):
    first = open_ticket()
    ticket = first.ticket
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*WED, 16, 0)):
        ticket_update(ticket=ticket, actor=agent, status="solved")
    with at(wib(*THU, 9, 0)):
        receive(reply_to=first.message, body="Ternyata rusak.")
    reply = answer(ticket, agent, wib(*THU, 9, 5))
    kept, new = Promise.objects.order_by("made_at")
    assert kept.status == "kept" and new.status == "active"
    # one business hour was used before solving; 7 remain from Thursday 09:00
    assert new.due_at == wib(*THU, 17, 0)
    assert "Kamis, 26 November, pukul 17.00 WIB" in Message.objects.get(pk=reply.pk).body_text


# --- re-dating ----------------------------------------------------------------------------

def test_redating_tells_the_customer_the_reason_and_the_new_date(policy, agent):
    ticket = open_ticket().ticket
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 10, 0)):
        new = promise_redate(ticket=ticket, actor=agent, due_at=wib(2026, 11, 27, 12, 5),
                             reason="Suku cadang dikirim dari Surabaya")
    old = Promise.objects.get(status="redated")
    assert (new.status, new.previous, new.reason, new.due_at) == ("active", old, "Suku cadang dikirim dari Surabaya",
                                                                  wib(2026, 11, 27, 12, 15))
    assert old.settled_at == wib(*THU, 10, 0)
    message = Message.objects.get(pk=new.message_id)
    assert message.body_text == (f"Mohon maaf, kami memerlukan waktu lebih lama untuk {ticket.reference}: "
                                 "Suku cadang dikirim dari Surabaya. Kami akan menyelesaikannya paling lambat "
                                 "Jumat, 27 November, pukul 12.15 WIB.")
    assert (message.author, message.automated, message.meta["purpose"]) == (agent, False, "promise_redated")
    entry = ticket.timeline.get(kind="promise.redated")
    assert entry.data["reason"] == "Suku cadang dikirim dari Surabaya"
    assert dt.datetime.fromisoformat(entry.data["old_due_at"]) == wib(*THU, 15, 0)
    # the new date is what counts now: kept when solved before it
    with at(wib(2026, 11, 27, 9, 0)):
        assert promise_sweep()["broken"] == 0
        ticket_update(ticket=ticket, actor=agent, status="solved")
    assert Promise.objects.get(pk=new.pk).status == "kept"


def test_a_broken_promise_can_be_redated_with_a_reason(policy, agent):
    ticket = open_ticket(email="john@example.com", language="en").ticket
    answer(ticket, agent, wib(*WED, 15, 10), text="Sorry.")
    with at(wib(*THU, 15, 30)):
        promise_sweep()
        new = promise_redate(ticket=ticket, actor=agent, due_at=wib(2026, 11, 27, 16, 0),
                             reason="The courier lost the parcel!")
    assert new.previous.status == "broken" and new.status == "active"
    assert Message.objects.get(pk=new.message_id).body_text == (
        f"We are sorry, {ticket.reference} is taking longer: The courier lost the parcel! "
        "We will resolve it by Friday, 27 November, 16:00 WIB at the latest.")
    with at(wib(*THU, 15, 31)):  # re-dating again moves the standing promise, keeping the chain
        newer = promise_redate(ticket=ticket, actor=agent, due_at=wib(2026, 11, 28, 10, 0), reason="Still lost")
    assert list(Promise.objects.order_by("id").values_list("status", flat=True)) == ["broken", "redated", "active"]
    assert newer.previous == new and Promise.objects.get(status="active") == newer


@pytest.mark.parametrize("due, reason, code", [
    (wib(2026, 11, 27, 12, 0), "", "reason_required"),
    (wib(2026, 11, 27, 12, 0), "   ", "reason_required"),
    (wib(*THU, 9, 59), "Menunggu kurir", "date_in_past"),
    (wib(*THU, 10, 0), "Menunggu kurir", "date_in_past"),
])
def test_redating_is_refused_without_a_reason_or_into_the_past(policy, agent, due, reason, code):
    ticket = open_ticket().ticket
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 10, 0)), pytest.raises(DomainError) as exc:
        promise_redate(ticket=ticket, actor=agent, due_at=due, reason=reason)
    assert exc.value.code == code and exc.value.status == 422
    assert Promise.objects.get().status == "active" and Message.objects.filter(direction="out").count() == 1


def test_redating_is_refused_when_solved_or_before_any_promise(policy, agent):
    ticket = open_ticket().ticket
    with at(wib(*WED, 15, 5)), pytest.raises(DomainError) as exc:
        promise_redate(ticket=ticket, actor=agent, due_at=wib(2026, 11, 27, 12, 0), reason="x")
    assert exc.value.code == "no_promise"
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*WED, 16, 0)):
        ticket_update(ticket=ticket, actor=agent, status="solved")
        with pytest.raises(DomainError) as exc:
            promise_redate(ticket=ticket, actor=agent, due_at=wib(2026, 11, 27, 12, 0), reason="x")
    assert exc.value.code == "ticket_solved"
    assert Promise.objects.get().status == "kept"


# --- automatic acknowledgement ----------------------------------------------------------------

def test_an_acknowledgement_policy_sends_the_promise_at_once_but_it_is_not_a_first_response(policy, agent):
    SlaPolicy.objects.filter(pk=policy.pk).update(acknowledge=True)
    ticket = open_ticket(name="Budi").ticket
    ack = Message.objects.get(ticket=ticket, direction="out")
    assert (ack.automated, ack.author, ack.meta["purpose"]) == (True, None, "acknowledgement")
    assert ack.body_text == (f"Halo Budi, terima kasih telah menghubungi kami. Pesan Anda sudah kami terima dengan "
                             f"nomor {ticket.reference}.\n\n{ID_SENTENCE}")
    promise = Promise.objects.get()
    assert (promise.message_id, promise.made_by, promise.due_at) == (ack.pk, None, wib(*THU, 15, 0))
    first = SlaTarget.objects.get(ticket=ticket, kind="first_response")
    assert (first.status, first.met_at) == ("running", None)
    assert fresh(ticket).first_response_at is None
    # the agent's first reply meets the first response, and does not make a second promise
    reply = answer(ticket, agent, wib(*WED, 15, 30))
    first.refresh_from_db()
    assert (first.status, first.met_at) == ("met", wib(*WED, 15, 30))
    assert Promise.objects.count() == 1 and "paling lambat" not in Message.objects.get(pk=reply.pk).body_text


def test_no_acknowledgement_for_an_automated_message_or_a_policy_without_it(policy):
    open_ticket()
    assert not Message.objects.filter(direction="out").exists()
    SlaPolicy.objects.filter(pk=policy.pk).update(acknowledge=True)
    open_ticket(email="noreply@example.com", automated=True)
    assert not Message.objects.filter(direction="out").exists() and not Promise.objects.exists()


def test_a_first_answer_that_waits_on_the_customer_promises_from_now_with_the_time_left(policy, agent):
    # the docstring's rule: a paused resolution clock counts its remaining time from now
    ticket = open_ticket().ticket
    answer(ticket, agent, wib(*WED, 15, 10), text="Boleh kirim foto resinya?", status="pending")
    assert SlaTarget.objects.get(ticket=ticket, kind="resolution").status == "paused"
    assert Promise.objects.get().due_at == wib(*THU, 15, 0)  # 7h50 left from Wednesday 15:10


def test_a_redated_promise_gets_its_own_warning(policy, agent, team):
    ticket = open_ticket().ticket
    assigned(ticket, agent, team)
    answer(ticket, agent, wib(*WED, 15, 10))
    with at(wib(*THU, 14, 30)):
        promise_sweep()
        promise_redate(ticket=ticket, actor=agent, due_at=wib(2026, 11, 27, 10, 0), reason="Menunggu kurir")
    with at(wib(2026, 11, 27, 9, 29)):
        assert promise_sweep() == {"warned": 0, "broken": 0, "updates": 0}
    with at(wib(2026, 11, 27, 9, 30)):
        assert promise_sweep()["warned"] == 1
    assert Notification.objects.filter(kind="promise.warning", user=agent).count() == 2


def test_after_a_restart_a_lapsed_promise_is_broken_once_without_a_late_warning(policy, agent, team):
    ticket = open_ticket().ticket
    assigned(ticket, agent, team)
    answer(ticket, agent, wib(*WED, 15, 10))
    # the worker was down over both the warning moment and the promised time
    with at(wib(2026, 11, 27, 9, 0)):
        assert promise_sweep() == {"warned": 0, "broken": 1, "updates": 0}
        assert promise_sweep() == {"warned": 0, "broken": 0, "updates": 0}
    assert notes("promise.warning") == [] and notes("promise.broken") == ["sari"]
    # settled at the moment it lapsed (Thursday 15:00), not when the returning worker noticed
    assert Promise.objects.get().settled_at == wib(*THU, 15, 0)
