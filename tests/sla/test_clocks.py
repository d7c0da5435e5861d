"""SLA clocks through the services and the real database, with a frozen clock: stored
targets and due times, breaches recorded once however often they are evaluated, warnings
before and at a breach, policy choice, pause/resume and reopening.

23 November 2026 is a Monday; the calendar is Monday-Friday 08-12 and 13-17, Saturday 08-12, WIB."""

from __future__ import annotations

import logging

import pytest
import time_machine

from tanggap.conversations.models import Ticket
from tanggap.conversations.services import reply_send, ticket_update
from tanggap.notifications.models import Notification
from tanggap.sla import services
from tanggap.sla.models import BusinessCalendar, SlaBreach, SlaPolicy, SlaTarget, TicketSla
from tanggap.sla.services import history, policy_for, sla_refresh, sla_sweep
from tests.promises.support import fresh, make_calendar, make_policy, receive, wib

pytestmark = pytest.mark.django_db
MON = (2026, 11, 23)
TUE = (2026, 11, 24)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Staff users are made in most tests; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_swallowed_errors(caplog):
    """The handlers swallow exceptions (the sweep retries); a test must not pass because of that."""
    caplog.set_level(logging.ERROR)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("tanggap")]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture
def calendar(db):
    SlaPolicy.objects.all().delete()  # the seeded defaults would get in the way
    return make_calendar()


@pytest.fixture
def policy(calendar):
    return make_policy(calendar=calendar, first_response_minutes=60, next_response_minutes=60,
                       resolution_minutes=8 * 60, warn_before_minutes=30)


@pytest.fixture
def lead(make_staff, team):
    user = make_staff("bayu", "lead", [team])
    team.lead = user
    team.save()
    return user


def at(*args):
    return time_machine.travel(wib(*args), tick=False)


def targets(ticket) -> dict[str, SlaTarget]:
    return {t.key: t for t in SlaTarget.objects.filter(ticket=ticket)}


def open_ticket(when=(*MON, 9, 0), **kw):
    with at(*when):
        return receive(**kw)


def notes(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


# --- defaults -------------------------------------------------------------------------------

def test_the_seeded_calendar_and_policies_exist():
    urgent, standard = SlaPolicy.objects.get(name="Mendesak"), SlaPolicy.objects.get(name="Standar")
    assert (urgent.priorities, urgent.calendar, urgent.acknowledge) == (["urgent"], None, True)
    assert urgent.position < standard.position and standard.priorities == []
    assert (urgent.first_response_minutes, urgent.resolution_minutes, urgent.warn_before_minutes) == (60, 480, 30)
    assert (standard.first_response_minutes, standard.next_response_minutes, standard.resolution_minutes) == \
        (240, 480, 1440)
    cal = standard.calendar
    assert (cal.time_zone, cal.country) == ("Asia/Jakarta", "ID")
    periods = {(p.weekday, p.opens_at.hour, p.closes_at.hour) for p in cal.periods.all()}
    assert periods == {(d, 8, 12) for d in range(6)} | {(d, 13, 17) for d in range(5)}
    assert BusinessCalendar.objects.count() == 1


def test_a_new_ticket_falls_under_the_seeded_standard_policy():
    ticket = open_ticket().ticket
    assert TicketSla.objects.get(ticket=ticket).policy.name == "Standar"
    assert targets(ticket)["first_response"].due_at == wib(*MON, 14, 0)  # 4 business hours over lunch


# --- stored targets and due times -----------------------------------------------------------

def test_a_new_ticket_gets_its_targets_with_due_times(policy):
    ticket = open_ticket().ticket
    t = targets(ticket)
    assert set(t) == {"first_response", "resolution"}
    assert (t["first_response"].status, t["first_response"].due_at) == ("running", wib(*MON, 10, 0))
    assert t["first_response"].warn_at == wib(*MON, 9, 30)
    assert t["first_response"].target_seconds == 3600
    assert t["resolution"].due_at == wib(*TUE, 9, 0)  # 09-12, 13-17 and Tuesday 08-09
    assert fresh(ticket).sla_due_at == wib(*MON, 10, 0)
    state = TicketSla.objects.get(ticket=ticket)
    assert state.policy == policy and state.evaluated_at == wib(*MON, 9, 0)


def test_a_reply_meets_the_first_response_and_the_ticket_is_due_for_resolution(policy, agent):
    ticket = open_ticket().ticket
    with at(*MON, 9, 40):
        reply_send(ticket=ticket, author=agent, body_text="Kami cek dulu.")
    t = targets(ticket)
    assert (t["first_response"].status, t["first_response"].met_at, t["first_response"].due_at) == \
        ("met", wib(*MON, 9, 40), None)
    assert t["first_response"].used_seconds == 40 * 60
    assert fresh(ticket).sla_due_at == wib(*TUE, 9, 0)


def test_a_ticket_opened_on_friday_evening_is_due_on_saturday_morning(policy):
    ticket = open_ticket((2026, 11, 27, 19, 0)).ticket
    assert targets(ticket)["first_response"].due_at == wib(2026, 11, 28, 9, 0)


def test_idul_fitri_moves_the_due_time_past_the_holidays(policy):
    ticket = open_ticket((2026, 3, 17, 16, 30)).ticket  # Tuesday before Idul Fitri; 18-24 March closed
    assert targets(ticket)["first_response"].due_at == wib(2026, 3, 25, 8, 30)


def test_a_kuala_lumpur_calendar_gives_a_different_due_time_for_the_same_moment(policy):
    kl = make_calendar(name="KL", tz="Asia/Kuala_Lumpur", country="MY", subdivision="14")
    make_policy(name="Malaysia", position=10, tiers=["my"], calendar=kl, first_response_minutes=60)
    instant = (2026, 11, 24, 16, 30)  # 16:30 WIB = 17:30 MYT, after closing in KL
    jakarta = open_ticket(instant, email="a@example.co.id").ticket
    malaysian = open_ticket(instant, email="b@example.com.my").ticket
    from tanggap.customers.models import Customer
    Customer.objects.filter(pk=malaysian.customer_id).update(tier="my")
    with at(*instant):
        sla_refresh(ticket=malaysian)
    assert targets(jakarta)["first_response"].due_at == wib(2026, 11, 25, 8, 30)
    assert targets(malaysian)["first_response"].due_at == wib(2026, 11, 25, 8, 0)  # 09:00 MYT


# --- breaches, once -------------------------------------------------------------------------

def test_a_breach_is_recorded_once_however_often_refresh_and_sweep_run(policy, agent, team, lead):
    ticket = open_ticket().ticket
    with at(*MON, 9, 5):
        ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)
    with at(*MON, 9, 59):
        sla_sweep()
        assert not SlaBreach.objects.exists()
    with at(*MON, 10, 1):
        assert sla_sweep() == 1
        for _ in range(3):
            sla_sweep()
            sla_refresh(ticket=ticket)
    with at(*MON, 11, 0):
        sla_sweep()
        sla_refresh(ticket=ticket)
    breach = SlaBreach.objects.get()
    assert (breach.kind, breach.breached_at, breach.recorded_at) == ("first_response", wib(*MON, 10, 0),
                                                                     wib(*MON, 10, 1))
    assert (breach.assignee, breach.team) == (agent, team)
    assert ticket.timeline.filter(kind="sla.breached").count() == 1
    assert notes("sla.breached") == ["bayu", "sari"]
    # the late reply turns the clock into a miss; still one breach
    with at(*MON, 11, 30):
        reply_send(ticket=ticket, author=agent, body_text="Maaf terlambat.")
        sla_sweep()
    assert targets(ticket)["first_response"].status == "missed"
    assert SlaBreach.objects.count() == 1 and len(notes("sla.breached")) == 2


def test_a_late_reply_records_the_breach_on_the_event_without_a_sweep(policy, agent):
    ticket = open_ticket().ticket
    with at(*MON, 10, 30):
        reply_send(ticket=ticket, author=agent, body_text="Maaf terlambat.")
    breach = SlaBreach.objects.get()
    assert (breach.kind, breach.breached_at, breach.target.status) == ("first_response", wib(*MON, 10, 0), "missed")


def test_one_breach_row_per_missed_customer_message(policy, agent):
    first = open_ticket()
    ticket = first.ticket
    with at(*MON, 9, 10):
        reply_send(ticket=ticket, author=agent, body_text="Kami cek.")
    with at(*MON, 10, 0):
        second = receive(reply_to=first.message, body="Sudah ada kabar?")
    with at(*MON, 10, 20):
        receive(reply_to=first.message, body="Halo?")  # the older message is already waiting
    with at(*MON, 11, 30):
        reply_send(ticket=ticket, author=agent, body_text="Sedang dikirim ulang.")
    with at(*MON, 13, 0):
        third = receive(reply_to=first.message, body="Kapan sampai?")
    with at(*MON, 14, 5):
        sla_sweep()
        sla_sweep()
    with at(*MON, 15, 0):
        sla_sweep()
    rows = SlaBreach.objects.filter(kind="next_response").order_by("breached_at")
    assert [(b.target.message_id, b.breached_at) for b in rows] == [
        (second.message.pk, wib(*MON, 11, 0)), (third.message.pk, wib(*MON, 14, 0))]
    assert set(targets(ticket)) == {"first_response", "resolution", f"next_response:{second.message.pk}",
                                    f"next_response:{third.message.pk}"}


def test_warnings_go_to_the_assignee_and_the_team_lead_at_the_lead_time_then_the_breach(policy, agent, team, lead):
    ticket = open_ticket().ticket
    with at(*MON, 9, 5):
        ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)
    with at(*MON, 9, 29):
        sla_sweep()
    assert notes("sla.warning") == []
    with at(*MON, 9, 30):
        sla_sweep()
        sla_sweep()
    assert notes("sla.warning") == ["bayu", "sari"]
    warning = Notification.objects.filter(kind="sla.warning", user=agent).get()
    assert ticket.reference in warning.text and "first response" in warning.text and warning.ticket_id == ticket.pk
    assert SlaTarget.objects.get(ticket=ticket, key="first_response").warned
    with at(*MON, 9, 45):
        sla_sweep()
    assert len(notes("sla.warning")) == 2 and notes("sla.breached") == []
    with at(*MON, 10, 0):
        sla_sweep()
        sla_sweep()
    assert notes("sla.breached") == ["bayu", "sari"] and len(notes("sla.warning")) == 2


def test_without_assignee_or_lead_the_admins_are_warned(policy, admin_user):
    open_ticket()
    with at(*MON, 9, 30):
        sla_sweep()
    assert notes("sla.warning") == ["admin"]


def test_a_restarted_sweep_catches_up_on_every_missed_breach_exactly_once(policy):
    ticket = open_ticket().ticket
    # nothing ran for two days ("the worker was down"); the first sweep afterwards catches up
    with at(*(2026, 11, 25), 12, 0):
        assert sla_sweep() == 1
        assert sla_sweep() == 0
    assert sorted(SlaBreach.objects.values_list("kind", "breached_at")) == [
        ("first_response", wib(*MON, 10, 0)), ("resolution", wib(*TUE, 9, 0))]
    assert ticket.timeline.filter(kind="sla.breached").count() == 2


def test_a_failed_refresh_does_not_fail_the_intake_and_the_sweep_repairs_it(policy, monkeypatch, caplog):
    real = services.sla_refresh
    monkeypatch.setattr(services, "sla_refresh", lambda **kw: 1 / 0)
    ticket = open_ticket().ticket
    assert Ticket.objects.filter(pk=ticket.pk).exists() and not SlaTarget.objects.exists()
    assert "SLA refresh failed" in caplog.text
    caplog.clear()
    monkeypatch.setattr(services, "sla_refresh", real)
    with at(*MON, 9, 20):
        assert sla_sweep() == 1
    assert targets(ticket)["first_response"].due_at == wib(*MON, 10, 0)
    with at(*MON, 9, 25):
        assert sla_sweep() == 0


# --- pause, resume, solve, reopen -----------------------------------------------------------

def test_pending_pauses_the_clocks_and_the_customer_answer_resumes_them(policy, agent):
    first = open_ticket()
    ticket = first.ticket
    with at(*MON, 9, 30):
        reply_send(ticket=ticket, author=agent, body_text="Boleh kirim nomor resi?", status="pending")
    t = targets(ticket)["resolution"]
    assert (t.status, t.due_at, t.used_seconds) == ("paused", None, 30 * 60)
    assert fresh(ticket).sla_due_at is None
    with at(*TUE, 14, 0):  # a day later; none of it counts
        assert sla_sweep() == 0
        receive(reply_to=first.message, body="Resinya JNE123.")
    t = targets(ticket)
    assert fresh(ticket).status == "open"
    assert (t["resolution"].status, t["resolution"].used_seconds) == ("running", 30 * 60)
    assert t["resolution"].due_at == wib(2026, 11, 25, 13, 30)  # 7.5 h from Tuesday 14:00, over the night and lunch
    nr = next(v for k, v in t.items() if k.startswith("next_response:"))
    assert nr.due_at == wib(*TUE, 15, 0)
    assert fresh(ticket).sla_due_at == wib(*TUE, 15, 0)
    assert not SlaBreach.objects.exists()


def test_solving_before_any_reply_stops_the_first_response_without_a_breach(policy, agent):
    ticket = open_ticket().ticket
    with at(*MON, 9, 30):
        ticket_update(ticket=ticket, actor=agent, status="solved")
    with at(*MON, 12, 0):
        sla_sweep()
    t = targets(ticket)
    assert (t["first_response"].status, t["first_response"].due_at) == ("stopped", None)
    assert (t["resolution"].status, t["resolution"].met_at) == ("met", wib(*MON, 9, 30))
    assert not SlaBreach.objects.exists() and fresh(ticket).sla_due_at is None


def test_reopening_resumes_the_resolution_clock_and_starts_a_next_response(policy, agent):
    first = open_ticket()
    ticket = first.ticket
    with at(*MON, 9, 30):
        reply_send(ticket=ticket, author=agent, body_text="Sudah kami kirim ulang.", status="solved")
    assert targets(ticket)["resolution"].status == "met"
    with at(*TUE, 9, 0):
        again = receive(reply_to=first.message, body="Belum sampai juga.")
    assert fresh(ticket).status == "open"
    t = targets(ticket)
    assert (t["resolution"].status, t["resolution"].met_at, t["resolution"].used_seconds) == ("running", None, 1800)
    assert t["resolution"].due_at == wib(2026, 11, 25, 8, 30)  # 7.5 h left from Tuesday 09:00
    assert t[f"next_response:{again.message.pk}"].due_at == wib(*TUE, 10, 0)


def test_automated_messages_do_not_count(policy):
    SlaPolicy.objects.filter(pk=policy.pk).update(acknowledge=True)
    first = open_ticket()
    ticket = first.ticket
    ack = ticket.messages.get(direction="out")
    assert ack.automated and ack.meta["purpose"] == "acknowledgement"
    with at(*MON, 9, 20):
        receive(reply_to=first.message, body="Saya sedang cuti.", automated=True)
    # neither the acknowledgement nor the auto-reply is a fact for the clocks
    assert [f.kind for f in history(ticket) if f.kind != "state"] == ["in"]
    t = targets(ticket)
    assert set(t) == {"first_response", "resolution"}
    assert (t["first_response"].status, t["first_response"].met_at) == ("running", None)
    assert fresh(ticket).first_response_at is None


# --- which policy -----------------------------------------------------------------------------

def test_the_policy_is_the_first_active_one_by_position_whose_conditions_all_match(calendar):
    from tanggap.customers.models import Customer

    make_policy(name="catch-all", position=90)
    make_policy(name="gold billing", position=15, categories=["billing"], tiers=["gold"])
    make_policy(name="whatsapp", position=30, channels=["whatsapp"])
    make_policy(name="billing", position=20, categories=["billing"])
    make_policy(name="urgent", position=10, priorities=["urgent", "high"])
    make_policy(name="switched off", position=1, active=False)

    ticket = open_ticket().ticket
    assert policy_for(fresh(ticket)).name == "catch-all"
    Ticket.objects.filter(pk=ticket.pk).update(category="billing")
    assert policy_for(fresh(ticket)).name == "billing"
    Customer.objects.filter(pk=ticket.customer_id).update(tier="gold")
    assert policy_for(fresh(ticket)).name == "gold billing"
    Ticket.objects.filter(pk=ticket.pk).update(priority="high")
    assert policy_for(fresh(ticket)).name == "urgent"
    wa = open_ticket(channel="whatsapp", phone="+6281234567890").ticket
    assert policy_for(fresh(wa)).name == "whatsapp"
    SlaPolicy.objects.all().delete()
    assert policy_for(fresh(wa)) is None


def test_without_a_matching_policy_there_are_no_clocks(calendar):
    ticket = open_ticket().ticket
    assert not SlaTarget.objects.exists() and fresh(ticket).sla_due_at is None
    assert TicketSla.objects.get(ticket=ticket).policy is None


def test_making_a_ticket_urgent_switches_policy_and_due_time(policy, agent):
    urgent = make_policy(name="Mendesak", position=10, priorities=["urgent"], calendar=None,
                         first_response_minutes=30, resolution_minutes=4 * 60, warn_before_minutes=10)
    ticket = open_ticket((2026, 11, 27, 16, 30)).ticket  # Friday afternoon
    assert targets(ticket)["first_response"].due_at == wib(2026, 11, 28, 8, 30)
    with at(2026, 11, 27, 16, 40):
        ticket_update(ticket=ticket, actor=agent, priority="urgent")
    assert TicketSla.objects.get(ticket=ticket).policy == urgent
    t = targets(ticket)
    assert t["first_response"].due_at == wib(2026, 11, 27, 17, 0)  # 24/7 from the opening
    assert t["first_response"].warn_at == wib(2026, 11, 27, 16, 50)
    assert t["resolution"].due_at == wib(2026, 11, 27, 20, 30)
    assert fresh(ticket).sla_due_at == wib(2026, 11, 27, 17, 0)
    with at(2026, 11, 27, 17, 1):
        sla_sweep()
    assert SlaBreach.objects.get().breached_at == wib(2026, 11, 27, 17, 0)


def test_a_policy_losing_a_target_stops_that_clock(policy):
    ticket = open_ticket().ticket
    SlaPolicy.objects.filter(pk=policy.pk).update(first_response_minutes=None)
    with at(*MON, 9, 10):
        sla_refresh(ticket=ticket)
    t = targets(ticket)
    assert (t["first_response"].status, t["first_response"].due_at) == ("stopped", None)
    assert fresh(ticket).sla_due_at == t["resolution"].due_at


def test_closing_a_solved_ticket_keeps_the_moment_it_was_solved(policy, agent):
    ticket = open_ticket().ticket
    with at(*MON, 9, 30):
        reply_send(ticket=ticket, author=agent, body_text="Sudah beres.", status="solved")
    with at(2026, 11, 30, 9, 0):
        ticket_update(ticket=ticket, actor=agent, status="closed")
    t = targets(ticket)["resolution"]
    assert (t.status, t.met_at) == ("met", wib(*MON, 9, 30))


def test_a_warning_given_before_a_pause_is_given_again_for_the_new_due_time(policy, agent, team):
    first = open_ticket()
    ticket = first.ticket
    with at(*MON, 9, 5):
        ticket_update(ticket=ticket, actor=agent, assignee=agent, team=team)
        reply_send(ticket=ticket, author=agent, body_text="Kami cek.")
    # resolution due Tuesday 09:00, warned 08:30; the ticket is then paused and resumed
    with at(*TUE, 8, 30):
        sla_sweep()
    assert Notification.objects.filter(kind="sla.warning", user=agent).count() == 1
    with at(*TUE, 8, 40):
        ticket_update(ticket=ticket, actor=agent, status="pending")
    with at(*TUE, 13, 0):
        receive(reply_to=first.message, body="Ini datanya.")
    # 20 business minutes were left: due 13:20, so the warning moment (12:50) has already come
    resolution = targets(ticket)["resolution"]
    assert resolution.due_at == wib(*TUE, 13, 20) and resolution.warned
    with at(*TUE, 13, 5):
        sla_sweep()
    assert Notification.objects.filter(kind="sla.warning", user=agent).count() == 2
    with at(*TUE, 13, 20):
        sla_sweep()
    assert SlaBreach.objects.get().kind == "resolution"
