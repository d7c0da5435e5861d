from __future__ import annotations

from tanggap.sla.calendar import CalendarSpec
from tanggap.sla.models import BusinessCalendar


def calendar_spec(*, calendar: BusinessCalendar) -> CalendarSpec:
    periods: dict[int, list] = {}
    for weekday, opens_at, closes_at in calendar.periods.order_by("weekday", "opens_at").values_list(
            "weekday", "opens_at", "closes_at"):
        periods.setdefault(weekday, []).append((opens_at, closes_at))
    return CalendarSpec(
        time_zone=calendar.time_zone, country=calendar.country, subdivision=calendar.subdivision,
        observe_collective_leave=calendar.observe_collective_leave,
        periods={day: tuple(ps) for day, ps in periods.items()},
        closed_days=frozenset(calendar.closed_days.values_list("date", flat=True)),
    )


def ticket_sla(*, ticket) -> dict:
    """The policy a ticket is under, its clocks and its breaches (for the API and the console)."""
    from tanggap.sla.models import SlaBreach, SlaTarget, TicketSla

    state = TicketSla.objects.filter(ticket=ticket).select_related("policy").first()
    targets = list(SlaTarget.objects.filter(ticket=ticket).order_by("started_at", "id"))
    breaches = list(SlaBreach.objects.filter(ticket=ticket).order_by("breached_at", "id"))
    return {"policy": state.policy if state else None, "targets": targets, "breaches": breaches,
            "next_update_at": state.next_update_at if state else None}
