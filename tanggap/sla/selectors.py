from __future__ import annotations

from tanggap.common.fastsql import Prepared
from tanggap.sla.calendar import CalendarSpec
from tanggap.sla.models import BusinessCalendar, ClosedDay, OpenPeriod

# Read for every message and reply (before its transaction): compiled once (common.fastsql).
_PERIODS = Prepared(lambda calendar_id: OpenPeriod.objects.filter(calendar_id=calendar_id)
                    .order_by("weekday", "opens_at").only("weekday", "opens_at", "closes_at"))
_CLOSED_DAYS = Prepared(lambda calendar_id: ClosedDay.objects.filter(calendar_id=calendar_id).only("date"))


def calendar_spec(*, calendar: BusinessCalendar) -> CalendarSpec:
    periods: dict[int, list] = {}
    for period in _PERIODS.list(calendar.pk):
        periods.setdefault(period.weekday, []).append((period.opens_at, period.closes_at))
    return CalendarSpec(
        time_zone=calendar.time_zone, country=calendar.country, subdivision=calendar.subdivision,
        observe_collective_leave=calendar.observe_collective_leave,
        periods={day: tuple(ps) for day, ps in periods.items()},
        closed_days=frozenset(day.date for day in _CLOSED_DAYS.list(calendar.pk)),
    )


def ticket_sla(*, ticket) -> dict:
    """The policy a ticket is under, its clocks and its breaches (for the API and the console)."""
    from tanggap.sla.models import SlaBreach, SlaTarget, TicketSla

    state = TicketSla.objects.filter(ticket=ticket).select_related("policy").first()
    targets = list(SlaTarget.objects.filter(ticket=ticket).order_by("started_at", "id"))
    breaches = list(SlaBreach.objects.filter(ticket=ticket).order_by("breached_at", "id"))
    return {"policy": state.policy if state else None, "targets": targets, "breaches": breaches,
            "next_update_at": state.next_update_at if state else None}
