"""Business calendars: open periods (with a lunch break), no overlaps, closed days, holidays."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tanggap.sla.models import BusinessCalendar, ClosedDay, OpenPeriod, SlaPolicy
from tests.manager.support import calendar_data, formset, text

pytestmark = pytest.mark.django_db

WEEKDAYS_9_TO_5 = [(d, "09:00", "17:00") for d in range(5)]


def test_lunch_break_calendar_saves_two_periods(lead_client, sla_changes):
    response = lead_client.post(reverse("manager:calendar-create"), calendar_data(
        [(0, "08:00", "12:00"), (0, "13:00", "17:00"), (1, "08:00", "17:00")]))
    assert response.status_code == 302, text(response)
    calendar = BusinessCalendar.objects.get()
    assert (calendar.name, calendar.time_zone, calendar.country) == ("Kantor Jakarta", "Asia/Jakarta", "ID")
    monday = [(p.opens_at, p.closes_at) for p in calendar.periods.filter(weekday=0)]
    assert monday == [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))]
    assert calendar.periods.count() == 3
    assert sla_changes == [1]


def test_overlapping_periods_are_refused(lead_client, sla_changes):
    response = lead_client.post(reverse("manager:calendar-create"), calendar_data(
        [(2, "08:00", "12:00"), (2, "11:30", "17:00")]))
    assert response.status_code == 400
    page = text(response)
    assert "Rabu: 08:00–12:00 dan 11:30–17:00 tumpang tindih." in page
    assert not BusinessCalendar.objects.exists() and not OpenPeriod.objects.exists()
    assert sla_changes == []


def test_touching_periods_are_fine(lead_client):
    response = lead_client.post(reverse("manager:calendar-create"), calendar_data(
        [(2, "08:00", "12:00"), (2, "12:00", "17:00")]))
    assert response.status_code == 302


@pytest.mark.parametrize(("opens", "closes"), [("17:00", "09:00"), ("09:00", "09:00")])
def test_opens_not_before_closes_is_refused(lead_client, opens, closes):
    response = lead_client.post(reverse("manager:calendar-create"), calendar_data([(0, opens, closes)]))
    assert response.status_code == 400
    assert f"Jam tutup ({closes}) harus setelah jam buka ({opens})." in text(response)
    assert not BusinessCalendar.objects.exists()


def test_a_calendar_never_open_is_refused(lead_client):
    response = lead_client.post(reverse("manager:calendar-create"), calendar_data([]))
    assert response.status_code == 400
    assert "minimal satu periode buka" in text(response)
    assert not BusinessCalendar.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"time_zone": "Asia/Jakarat"}, "time_zone"),
    ({"country": "SG"}, "country"),
    ({"country": "MY", "subdivision": "99"}, "subdivision"),
    ({"country": "", "subdivision": "14"}, "subdivision"),
])
def test_bad_calendar_fields_are_refused(lead_client, overrides, field):
    response = lead_client.post(reverse("manager:calendar-create"), calendar_data(WEEKDAYS_9_TO_5, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not BusinessCalendar.objects.exists()


def _existing(calendar) -> dict:
    """The edit form as the browser would post it back, unchanged."""
    periods = list(calendar.periods.all())
    data = calendar_data([], name=calendar.name, time_zone=calendar.time_zone, country=calendar.country)
    data.update(formset("periods", [{"id": str(p.pk), "weekday": str(p.weekday), "opens_at": f"{p.opens_at:%H:%M}",
                                     "closes_at": f"{p.closes_at:%H:%M}"} for p in periods], initial=len(periods)))
    return data


@pytest.fixture
def calendar():
    calendar = BusinessCalendar.objects.create(name="Kantor KL", time_zone="Asia/Kuala_Lumpur", country="MY")
    for day in range(5):
        OpenPeriod.objects.create(calendar=calendar, weekday=day, opens_at=dt.time(9), closes_at=dt.time(18))
    return calendar


def test_a_closed_day_is_added(lead_client, calendar, sla_changes):
    data = _existing(calendar)
    data.update(formset("closed", [{"date": "2025-12-31", "name": "Stock opname"}]))
    response = lead_client.post(reverse("manager:calendar-edit", args=[calendar.pk]), data)
    assert response.status_code == 302, text(response)
    assert list(ClosedDay.objects.values_list("calendar", "date", "name")) == [
        (calendar.pk, dt.date(2025, 12, 31), "Stock opname")]
    assert calendar.periods.count() == 5
    assert sla_changes == [1]


def test_the_same_closed_day_twice_is_refused(lead_client, calendar):
    data = _existing(calendar)
    data.update(formset("closed", [{"date": "2025-12-31", "name": "a"}, {"date": "2025-12-31", "name": "b"}]))
    response = lead_client.post(reverse("manager:calendar-edit", args=[calendar.pk]), data)
    assert response.status_code == 400
    assert "2025-12-31" in text(response)
    assert not ClosedDay.objects.exists()


def test_an_edit_that_creates_an_overlap_is_refused(lead_client, calendar):
    data = _existing(calendar)
    data["periods-TOTAL_FORMS"] = "6"
    data.update({"periods-5-weekday": "0", "periods-5-opens_at": "17:00", "periods-5-closes_at": "20:00"})
    response = lead_client.post(reverse("manager:calendar-edit", args=[calendar.pk]), data)
    assert response.status_code == 400
    assert "tumpang tindih" in text(response)
    assert calendar.periods.count() == 5


def test_a_period_can_be_removed(lead_client, calendar):
    data = _existing(calendar)
    data["periods-4-DELETE"] = "on"
    response = lead_client.post(reverse("manager:calendar-edit", args=[calendar.pk]), data)
    assert response.status_code == 302
    assert sorted(calendar.periods.values_list("weekday", flat=True)) == [0, 1, 2, 3]


@time_machine.travel(dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False)
def test_holiday_preview_lists_the_next_ten(lead_client):
    calendar = BusinessCalendar.objects.create(name="Kantor Jakarta", country="ID")
    response = lead_client.get(reverse("manager:calendar-edit", args=[calendar.pk]))
    holidays = response.context["holidays"]
    assert len(holidays) == 10
    assert holidays[0][0] >= dt.date(2025, 3, 1)
    assert dt.date(2025, 3, 31) in [day for day, _name in holidays]  # Idul Fitri 1446 H
    assert "Idul Fitri" in text(response)


@time_machine.travel(dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False)
def test_holiday_preview_for_the_chosen_country(lead_client):
    response = lead_client.get(reverse("manager:calendar-holidays"), {"country": "MY", "subdivision": "14"})
    assert response.status_code == 200
    days = [day for day, _name in response.context["holidays"]]
    assert dt.date(2025, 3, 31) in days  # Hari Raya Puasa
    assert "Malaysia" in text(response)
    none = lead_client.get(reverse("manager:calendar-holidays"), {"country": ""})
    assert none.context["holidays"] == []


def test_a_calendar_in_use_is_not_deleted(lead_client, calendar, sla_changes):
    SlaPolicy.objects.create(name="Malaysia", calendar=calendar, first_response_minutes=60)
    response = lead_client.post(reverse("manager:calendar-delete", args=[calendar.pk]))
    assert response.status_code == 400
    assert "Malaysia" in text(response)
    assert BusinessCalendar.objects.filter(pk=calendar.pk).exists()
    assert sla_changes == []


def test_an_unused_calendar_is_deleted(lead_client, calendar, sla_changes):
    response = lead_client.post(reverse("manager:calendar-delete", args=[calendar.pk]))
    assert response.status_code == 302
    assert not BusinessCalendar.objects.exists() and not OpenPeriod.objects.exists()
    assert sla_changes == [1]
