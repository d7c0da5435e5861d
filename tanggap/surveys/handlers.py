"""Ticket solved → schedule the ticket-solved surveys (after commit; the worker sends them)."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe


@subscribe(names.TICKET_UPDATED)
def schedule_on_solved(event: Event) -> None:
    if "status" not in event.data.get("fields", ()):
        return
    from tanggap.surveys.services import on_ticket_solved

    on_ticket_solved(ticket_id=event.data["ticket_id"])
