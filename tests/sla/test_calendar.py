"""Business-time arithmetic over real calendars: weekends, lunch breaks, Idul Fitri,
Jakarta vs Kuala Lumpur, company closed days."""

import datetime as dt
import zoneinfo

import pytest

from tanggap.common.errors import DomainError
from tanggap.sla.calendar import CalendarSpec, add_business_time, business_time_between, is_open, next_open

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MYT = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")
H = dt.timedelta(hours=1)
WEEKDAYS = ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))  # a lunch break 12:00-13:00


def shop(tz="Asia/Jakarta", country="ID", saturday=False, **kw) -> CalendarSpec:
    periods = {d: WEEKDAYS for d in range(5)}
    if saturday:
        periods[5] = ((dt.time(9), dt.time(13)),)
    return CalendarSpec(time_zone=tz, country=country, periods=periods, **kw)


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize("start, hours, due", [
    (wib(2026, 11, 23, 9, 0), 2, wib(2026, 11, 23, 11, 0)),      # inside one period
    (wib(2026, 11, 23, 11, 30), 1, wib(2026, 11, 23, 13, 30)),   # across the lunch break
    (wib(2026, 11, 23, 12, 15), 1, wib(2026, 11, 23, 14, 0)),    # starting during lunch
    (wib(2026, 11, 23, 6, 0), 1, wib(2026, 11, 23, 9, 0)),       # before opening
    (wib(2026, 11, 23, 16, 30), 1, wib(2026, 11, 24, 8, 30)),    # past closing: next morning
    (wib(2026, 11, 27, 16, 0), 4, wib(2026, 11, 30, 11, 0)),     # Friday afternoon: over the weekend
    (wib(2026, 11, 28, 10, 0), 1, wib(2026, 11, 30, 9, 0)),      # asked on a Saturday
])
def test_adding_business_hours(start, hours, due):
    assert add_business_time(shop(), start, hours * H) == due


def test_a_saturday_morning_counts_when_the_shop_is_open_then():
    assert add_business_time(shop(saturday=True), wib(2026, 11, 27, 16, 0), 2 * H) == wib(2026, 11, 28, 10, 0)


def test_idul_fitri_2026_public_holidays_only():
    # Thu 19 March is Nyepi (Day of Silence); Fri 20 is a working day without cuti bersama;
    # Sat 21 and Sun 22 are Idul Fitri.
    spec = shop(observe_collective_leave=False)
    assert add_business_time(spec, wib(2026, 3, 18, 16, 0), 4 * H) == wib(2026, 3, 20, 11, 0)
    assert add_business_time(spec, wib(2026, 3, 20, 16, 0), 2 * H) == wib(2026, 3, 23, 9, 0)


def test_idul_fitri_2026_with_cuti_bersama():
    # With collective leave, 18-24 March are all closed: the clock runs again on Wed 25 March.
    spec = shop(observe_collective_leave=True)
    assert add_business_time(spec, wib(2026, 3, 17, 16, 0), 4 * H) == wib(2026, 3, 25, 11, 0)
    assert business_time_between(spec, wib(2026, 3, 17, 17, 0), wib(2026, 3, 25, 8, 0)) == dt.timedelta(0)


def test_kuala_lumpur_observes_malaysian_hari_raya_not_indonesian_cuti_bersama():
    kl = shop(tz="Asia/Kuala_Lumpur", country="MY", subdivision="14")
    start = dt.datetime(2026, 3, 19, 16, 0, tzinfo=MYT)  # Thursday; Fri 20 - Mon 23 are holidays in KL
    assert add_business_time(kl, start, 2 * H) == dt.datetime(2026, 3, 24, 9, 0, tzinfo=MYT)


def test_the_same_moment_in_jakarta_and_kuala_lumpur_gives_different_due_times():
    start = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)  # 16:30 in Jakarta, 17:30 in Kuala Lumpur
    jakarta = add_business_time(shop(), start, 1 * H)
    kl = add_business_time(shop(tz="Asia/Kuala_Lumpur", country="MY", subdivision="14"), start, 1 * H)
    assert jakarta == dt.datetime(2026, 11, 25, 1, 30, tzinfo=dt.UTC)  # Wed 08:30 WIB
    assert kl == dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # Wed 09:00 MYT
    assert jakarta.tzinfo == dt.UTC


def test_a_company_closed_day_is_skipped():
    spec = shop(closed_days=frozenset({dt.date(2026, 11, 24)}))
    assert add_business_time(spec, wib(2026, 11, 23, 16, 0), 2 * H) == wib(2026, 11, 25, 9, 0)


@pytest.mark.parametrize("start, end, hours", [
    (wib(2026, 11, 23, 9, 0), wib(2026, 11, 23, 14, 0), 4),     # the lunch hour does not count
    (wib(2026, 11, 27, 16, 0), wib(2026, 11, 30, 9, 0), 2),     # Friday 16-17 and Monday 8-9
    (wib(2026, 11, 23, 18, 0), wib(2026, 11, 23, 20, 0), 0),    # after hours
    (wib(2026, 11, 23, 10, 0), wib(2026, 11, 23, 9, 0), 0),     # end before start
])
def test_business_time_between(start, end, hours):
    assert business_time_between(shop(), start, end) == hours * H


@pytest.mark.parametrize("hours", [0.5, 1, 3.75, 8, 9, 23, 40, 100])
def test_adding_then_measuring_gives_back_the_duration(hours):
    spec, start = shop(saturday=True), wib(2026, 3, 16, 10, 20)
    due = add_business_time(spec, start, hours * H)
    assert business_time_between(spec, start, due) == hours * H


def test_open_and_next_open():
    spec = shop()
    assert is_open(spec, wib(2026, 11, 23, 9, 0)) and not is_open(spec, wib(2026, 11, 23, 12, 30))
    assert next_open(spec, wib(2026, 11, 23, 12, 30)) == wib(2026, 11, 23, 13, 0)
    assert next_open(spec, wib(2026, 11, 23, 9, 0)) == wib(2026, 11, 23, 9, 0)
    assert not is_open(spec, wib(2026, 3, 21, 9, 0))  # Idul Fitri


def test_a_calendar_without_opening_hours_is_a_clear_error():
    with pytest.raises(DomainError) as exc:
        add_business_time(CalendarSpec(), wib(2026, 11, 23, 9, 0), H)
    assert exc.value.code == "calendar_never_open"


@pytest.mark.django_db
def test_a_stored_calendar_gives_the_same_answers():
    from tanggap.sla.models import BusinessCalendar, ClosedDay, OpenPeriod
    from tanggap.sla.selectors import calendar_spec

    cal = BusinessCalendar.objects.create(name="Jakarta", time_zone="Asia/Jakarta", country="ID")
    for day in range(5):
        for opens, closes in WEEKDAYS:
            OpenPeriod.objects.create(calendar=cal, weekday=day, opens_at=opens, closes_at=closes)
    ClosedDay.objects.create(calendar=cal, date=dt.date(2026, 11, 24), name="Stock opname")
    spec = calendar_spec(calendar=cal)
    assert spec.periods[0] == WEEKDAYS and 5 not in spec.periods
    assert add_business_time(spec, wib(2026, 11, 23, 16, 0), 2 * H) == wib(2026, 11, 25, 9, 0)
