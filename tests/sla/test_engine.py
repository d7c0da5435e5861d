"""The SLA engine as a pure function: explicit facts, an explicit calendar, an explicit "now".

Calendar as the seeded default: Monday-Friday 08-12 and 13-17, Saturday 08-12, Asia/Jakarta,
Indonesian holidays. 23 November 2026 is a Monday."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import holidays
import pytest

from tanggap.sla.calendar import CalendarSpec
from tanggap.sla.engine import Fact, Targets, evaluate

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MYT = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
WEEKDAY = ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
SATURDAY = ((dt.time(8), dt.time(12)),)


def shop(tz="Asia/Jakarta", country="ID", saturday=True, **kw) -> CalendarSpec:
    periods = {d: WEEKDAY for d in range(5)}
    if saturday:
        periods[5] = SATURDAY
    return CalendarSpec(time_zone=tz, country=country, periods=periods, **kw)


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def myt(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MYT)


def inn(at, mid):
    return Fact(at=at, kind="in", message_id=mid)


def out(at):
    return Fact(at=at, kind="out")


def state(at, s):
    return Fact(at=at, kind="state", state=s)


def clocks(facts, now, *, created, targets, spec=None, customer_initiated=True):
    spec = shop() if spec is None else spec
    result = evaluate(created_at=created, customer_initiated=customer_initiated, facts=facts, targets=targets,
                      spec=spec or None, now=now)
    return {c.key: c for c in result}


FIRST_4H = Targets(first_response=4 * H)
RES_8H = Targets(resolution=8 * H)
MON = (2026, 11, 23)
FRI = (2026, 11, 27)


# --- calendar effects on due times ----------------------------------------------------------

def test_a_running_clock_is_due_across_the_lunch_break_and_counts_only_business_time():
    created = wib(*MON, 9, 0)
    first = clocks([inn(created, 1)], wib(*MON, 12, 30), created=created, targets=FIRST_4H)["first_response"]
    assert first.status == "running"
    assert first.due_at == wib(*MON, 14, 0)  # 09-12 is 3 h, the fourth after lunch
    assert first.used == 3 * H  # 12:00-12:30 is lunch: not counted
    assert first.remaining == 1 * H
    assert first.breached_at is None and first.met_at is None


def test_lunch_gap_a_reply_during_lunch_after_an_hour_of_work_uses_only_that_hour():
    created = wib(*MON, 11, 30)
    targets = Targets(first_response=1 * H)
    c = clocks([inn(created, 1), out(wib(*MON, 12, 55))], wib(*MON, 15, 0), created=created,
               targets=targets)["first_response"]
    assert (c.status, c.used, c.met_at, c.breached_at) == ("met", 30 * M, wib(*MON, 12, 55), None)
    # the same reply ten minutes into the afternoon is late: due was 13:30
    c = clocks([inn(created, 1), out(wib(*MON, 13, 40))], wib(*MON, 15, 0), created=created,
               targets=targets)["first_response"]
    assert (c.status, c.breached_at) == ("missed", wib(*MON, 13, 30))


def test_a_ticket_opened_friday_afternoon_is_due_saturday_morning_or_monday_when_saturday_is_closed():
    created = wib(*FRI, 16, 0)
    facts, now = [inn(created, 1)], wib(*FRI, 16, 5)
    assert clocks(facts, now, created=created, targets=FIRST_4H)["first_response"].due_at == wib(2026, 11, 28, 11, 0)
    five_days = shop(saturday=False)
    assert clocks(facts, now, created=created, targets=FIRST_4H, spec=five_days)["first_response"].due_at == \
        wib(2026, 11, 30, 11, 0)


def test_the_weekend_does_not_count_towards_used_time():
    created = wib(*FRI, 16, 0)
    c = clocks([inn(created, 1)], wib(2026, 11, 30, 9, 0), created=created, targets=Targets(resolution=24 * H),
               spec=shop(saturday=False))["resolution"]
    assert c.used == 2 * H  # Friday 16-17 and Monday 08-09
    assert c.status == "running" and c.breached_at is None


def test_idul_fitri_2026_dates_in_the_holidays_package():
    # checked, not assumed: the engine's answers below rest on these dates
    id_public = holidays.country_holidays("ID", years=2026)
    id_leave = holidays.country_holidays("ID", years=2026, categories=("public", "government"))
    my_kl = holidays.country_holidays("MY", subdiv="14", years=2026)
    march = lambda h: sorted(d.day for d in h if d.month == 3)  # noqa: E731
    assert march(id_public) == [19, 21, 22]  # Nyepi, Idul Fitri and its second day
    assert march(id_leave) == [18, 19, 20, 21, 22, 23, 24]  # with cuti bersama
    assert {20, 21, 22, 23} <= set(march(my_kl))  # Hari Raya Aidilfitri in Kuala Lumpur
    assert "Eid al-Fitr" in id_public[dt.date(2026, 3, 21)]


def test_idul_fitri_in_jakarta_with_and_without_cuti_bersama():
    created = wib(2026, 3, 17, 16, 0)  # Tuesday before Idul Fitri
    facts, now = [inn(created, 1)], wib(2026, 3, 17, 16, 30)
    with_leave = clocks(facts, now, created=created, targets=FIRST_4H, spec=shop(observe_collective_leave=True))
    assert with_leave["first_response"].due_at == wib(2026, 3, 25, 11, 0)  # 18-24 March closed
    without = clocks(facts, now, created=created, targets=FIRST_4H, spec=shop(observe_collective_leave=False))
    assert without["first_response"].due_at == wib(2026, 3, 18, 11, 0)
    # and nothing is used over the holidays: on the morning of 25 March only Tuesday's hour counts
    later = clocks(facts, wib(2026, 3, 25, 8, 0), created=created, targets=FIRST_4H,
                   spec=shop(observe_collective_leave=True))["first_response"]
    assert later.used == 1 * H and later.breached_at is None


def test_hari_raya_in_kuala_lumpur_skips_the_malaysian_holidays_including_saturday():
    created = myt(2026, 3, 19, 16, 0)  # Thursday; 20-23 March are holidays in KL
    kl = shop(tz="Asia/Kuala_Lumpur", country="MY", subdivision="14")
    c = clocks([inn(created, 1)], myt(2026, 3, 19, 16, 10), created=created, targets=Targets(first_response=2 * H),
               spec=kl)["first_response"]
    assert c.due_at == myt(2026, 3, 24, 9, 0)


def test_the_same_utc_instant_is_due_at_different_times_in_jakarta_and_kuala_lumpur():
    created = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)  # 16:30 WIB, 17:30 MYT (closed)
    facts, now = [inn(created, 1)], created + 5 * M
    targets = Targets(first_response=1 * H)
    jakarta = clocks(facts, now, created=created, targets=targets)["first_response"]
    kl = clocks(facts, now, created=created, targets=targets,
                spec=shop(tz="Asia/Kuala_Lumpur", country="MY", subdivision="14"))["first_response"]
    assert jakarta.due_at == dt.datetime(2026, 11, 25, 1, 30, tzinfo=dt.UTC)  # Wed 08:30 WIB
    assert kl.due_at == dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # Wed 09:00 MYT
    assert jakarta.used == 5 * M and kl.used == dt.timedelta(0)


def test_without_a_calendar_the_clock_runs_around_the_clock():
    created = wib(*FRI, 22, 0)
    c = clocks([inn(created, 1)], wib(*FRI, 23, 0), created=created, targets=Targets(first_response=1 * H),
               spec=False)["first_response"]
    assert c.due_at == wib(*FRI, 23, 0)
    assert c.breached_at == wib(*FRI, 23, 0)  # reached exactly now: breached (the docstring's rule)
    assert c.used == 1 * H


# --- breaches ---------------------------------------------------------------------------

def test_a_breach_is_the_moment_used_time_reaches_the_target_and_due_stays_there():
    created = wib(*MON, 9, 0)
    c = clocks([inn(created, 1)], wib(*MON, 15, 0), created=created, targets=FIRST_4H)["first_response"]
    assert c.breached_at == wib(*MON, 14, 0)
    assert c.status == "running" and c.due_at == wib(*MON, 14, 0)
    assert c.used == 5 * H


def test_a_late_reply_is_a_miss_with_its_breach_time():
    created = wib(*MON, 9, 0)
    c = clocks([inn(created, 1), out(wib(*MON, 15, 0))], wib(*MON, 16, 0), created=created,
               targets=FIRST_4H)["first_response"]
    assert (c.status, c.met_at, c.breached_at, c.due_at) == ("missed", wib(*MON, 15, 0), wib(*MON, 14, 0), None)


def test_a_breach_inside_a_finished_open_stretch_is_found_after_the_ticket_was_paused():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 5)), state(wib(*MON, 16, 0), "paused")]
    c = clocks(facts, wib(*MON, 16, 30), created=created, targets=Targets(resolution=4 * H))["resolution"]
    assert c.breached_at == wib(*MON, 14, 0)
    assert c.status == "paused" and c.due_at is None


# --- pause and resume -----------------------------------------------------------------------

def test_paused_time_is_not_counted_and_the_due_time_moves_on_resume():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 30)), state(wib(*MON, 10, 0), "paused")]
    paused = clocks(facts, wib(*MON, 16, 0), created=created, targets=RES_8H)["resolution"]
    assert (paused.status, paused.used, paused.due_at) == ("paused", 1 * H, None)
    facts.append(state(wib(2026, 11, 24, 10, 0), "open"))  # the customer answers on Tuesday
    resumed = clocks(facts, wib(2026, 11, 24, 11, 0), created=created, targets=RES_8H)["resolution"]
    assert resumed.status == "running"
    assert resumed.used == 2 * H  # Monday 09-10 and Tuesday 10-11; the night and Monday afternoon do not count
    assert resumed.due_at == wib(2026, 11, 25, 9, 0)  # 7 h left from Tuesday 10:00: 10-12, 13-17, Wed 08-09
    assert resumed.breached_at is None


def test_a_clock_due_while_paused_is_not_breached_while_paused():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 30)), state(wib(*MON, 10, 0), "paused")]
    c = clocks(facts, wib(2026, 11, 26, 9, 0), created=created, targets=Targets(resolution=2 * H))["resolution"]
    assert c.breached_at is None and c.status == "paused"


def test_pausing_pauses_a_waiting_next_response_too():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 10)), inn(wib(*MON, 10, 0), 2), state(wib(*MON, 10, 30), "paused")]
    c = clocks(facts, wib(*MON, 16, 0), created=created, targets=Targets(next_response=1 * H))["next_response:2"]
    assert (c.status, c.used, c.due_at, c.breached_at) == ("paused", 30 * M, None, None)


# --- reopening ------------------------------------------------------------------------------

def test_reopening_resumes_resolution_without_counting_the_solved_time():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 30)), state(wib(*MON, 11, 0), "resolved")]
    solved = clocks(facts, wib(*MON, 16, 0), created=created, targets=RES_8H)["resolution"]
    assert (solved.status, solved.met_at, solved.used, solved.due_at) == ("met", wib(*MON, 11, 0), 2 * H, None)
    facts += [inn(wib(2026, 11, 24, 9, 0), 2), state(wib(2026, 11, 24, 9, 0), "open")]
    reopened = clocks(facts, wib(2026, 11, 24, 10, 0), created=created, targets=RES_8H)["resolution"]
    assert reopened.status == "running" and reopened.met_at is None
    assert reopened.used == 3 * H
    assert reopened.due_at == wib(2026, 11, 24, 16, 0)  # 6 h left from Tuesday 09:00
    facts.append(state(wib(2026, 11, 24, 17, 0), "resolved"))
    again = clocks(facts, wib(2026, 11, 24, 18, 0), created=created, targets=RES_8H)["resolution"]
    assert (again.status, again.met_at) == ("missed", wib(2026, 11, 24, 17, 0))
    assert again.breached_at == wib(2026, 11, 24, 16, 0)


def test_the_reopening_message_waits_for_a_next_response():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 30)), state(wib(*MON, 11, 0), "resolved"),
             inn(wib(2026, 11, 24, 9, 0), 2), state(wib(2026, 11, 24, 9, 0), "open")]
    c = clocks(facts, wib(2026, 11, 24, 9, 30), created=created, targets=Targets(next_response=2 * H))
    assert c["next_response:2"].status == "running"
    assert c["next_response:2"].due_at == wib(2026, 11, 24, 11, 0)


def test_a_ticket_solved_before_any_reply_then_reopened_still_waits_for_an_answer():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), state(wib(*MON, 10, 0), "resolved"),
             inn(wib(2026, 11, 24, 9, 0), 2), state(wib(2026, 11, 24, 9, 0), "open")]
    c = clocks(facts, wib(2026, 11, 24, 9, 30), created=created,
               targets=Targets(first_response=4 * H, next_response=2 * H))
    assert c["first_response"].status == "stopped"
    assert c["next_response:2"].status == "running"  # the customer is waiting again: a clock must run
    assert c["next_response:2"].due_at == wib(2026, 11, 24, 11, 0)


# --- first and next response ----------------------------------------------------------------

def test_first_response_is_met_by_the_first_reply():
    created = wib(*MON, 9, 0)
    c = clocks([inn(created, 1), inn(wib(*MON, 9, 20), 2), out(wib(*MON, 10, 0))], wib(*MON, 11, 0),
               created=created, targets=Targets(first_response=4 * H, next_response=2 * H))
    assert (c["first_response"].status, c["first_response"].met_at) == ("met", wib(*MON, 10, 0))
    assert c["first_response"].used == 1 * H
    # a second customer message before the first answer is covered by the first response
    assert set(c) == {"first_response"}


def test_solving_before_any_reply_stops_the_first_response_without_a_hit_or_a_miss():
    created = wib(*MON, 9, 0)
    c = clocks([inn(created, 1), state(wib(*MON, 10, 0), "resolved")], wib(*MON, 17, 0), created=created,
               targets=FIRST_4H)["first_response"]
    assert (c.status, c.met_at, c.breached_at, c.due_at) == ("stopped", None, None, None)
    # ... unless it had already been missed
    late = clocks([inn(created, 1), state(wib(*MON, 15, 0), "resolved")], wib(*MON, 17, 0), created=created,
                  targets=FIRST_4H)["first_response"]
    assert (late.status, late.breached_at) == ("missed", wib(*MON, 14, 0))


def test_next_response_runs_from_the_oldest_unanswered_message_one_clock_per_message():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 10)),
             inn(wib(*MON, 10, 0), 2), inn(wib(*MON, 10, 30), 3),  # two unanswered: the oldest counts
             out(wib(*MON, 11, 0)),
             inn(wib(*MON, 14, 0), 4)]
    c = clocks(facts, wib(*MON, 15, 0), created=created, targets=Targets(next_response=2 * H))
    assert set(c) == {"next_response:2", "next_response:4"}
    two, four = c["next_response:2"], c["next_response:4"]
    assert (two.status, two.started_at, two.met_at, two.used) == ("met", wib(*MON, 10, 0), wib(*MON, 11, 0), 1 * H)
    assert (four.status, four.started_at, four.due_at, four.message_id) == ("running", wib(*MON, 14, 0),
                                                                           wib(*MON, 16, 0), 4)


def test_each_missed_customer_message_gets_its_own_missed_next_response_clock():
    created = wib(*MON, 8, 0)
    facts = [inn(created, 1), out(wib(*MON, 8, 5)),
             inn(wib(*MON, 9, 0), 2), out(wib(*MON, 10, 0)),
             inn(wib(*MON, 10, 30), 3), out(wib(*MON, 11, 45))]
    c = clocks(facts, wib(*MON, 15, 0), created=created, targets=Targets(next_response=30 * M))
    assert {k: (v.status, v.breached_at) for k, v in c.items()} == {
        "next_response:2": ("missed", wib(*MON, 9, 30)),
        "next_response:3": ("missed", wib(*MON, 11, 0)),
    }


def test_solving_stops_a_waiting_next_response_clock():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 10)), inn(wib(*MON, 10, 0), 2), state(wib(*MON, 10, 30), "resolved")]
    c = clocks(facts, wib(*MON, 16, 0), created=created, targets=Targets(next_response=1 * H))["next_response:2"]
    assert (c.status, c.breached_at, c.due_at) == ("stopped", None, None)


def test_a_company_initiated_ticket_has_no_first_response_and_every_customer_message_awaits_an_answer():
    created = wib(*MON, 9, 0)
    facts = [out(created), inn(wib(*MON, 10, 0), 7)]
    c = clocks(facts, wib(*MON, 10, 30), created=created, customer_initiated=False,
               targets=Targets(first_response=1 * H, next_response=1 * H))
    assert set(c) == {"next_response:7"}
    assert c["next_response:7"].due_at == wib(*MON, 11, 0)


def test_facts_after_now_are_ignored_and_evaluation_is_repeatable():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 13, 0))]
    targets = Targets(first_response=4 * H, resolution=8 * H)
    before = clocks(facts, wib(*MON, 10, 0), created=created, targets=targets)
    assert before["first_response"].status == "running" and before["first_response"].met_at is None
    assert clocks(facts, wib(*MON, 10, 0), created=created, targets=targets) == before


@pytest.mark.parametrize("shuffled", [False, True])
def test_facts_are_sorted_by_time(shuffled):
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 30)), state(wib(*MON, 10, 0), "paused"), state(wib(*MON, 11, 0), "open")]
    if shuffled:
        facts = list(reversed(facts))
    c = clocks(facts, wib(*MON, 12, 0), created=created, targets=RES_8H)["resolution"]
    assert c.used == 2 * H and c.due_at == wib(2026, 11, 24, 10, 0)  # 13-17 today, 08-10 tomorrow


def test_closing_a_solved_ticket_later_does_not_move_the_resolution_time():
    created = wib(*MON, 9, 0)
    facts = [inn(created, 1), out(wib(*MON, 9, 30)), state(wib(*MON, 11, 0), "resolved"),
             state(wib(2026, 11, 27, 9, 0), "resolved")]  # solved -> closed: the same group
    c = clocks(facts, wib(2026, 11, 27, 10, 0), created=created, targets=RES_8H)["resolution"]
    assert (c.status, c.met_at, c.used, c.breached_at) == ("met", wib(*MON, 11, 0), 2 * H, None)
