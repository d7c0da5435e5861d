"""SLA clocks follow every change to a ticket, inside the transaction that made it.

Registered before ``promises.handlers`` (INSTALLED_APPS order), so a promise made on a
reply reads clocks that already count that reply."""

from tanggap.conversations.services import register_read_ahead
from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.sla.services import sla_inputs_read_ahead, sla_refresh_quietly

# Replies (and other writes that ask for it) read the policies and calendars before their transaction.
register_read_ahead(sla_inputs_read_ahead)


@subscribe(names.MESSAGE_RECEIVED, names.MESSAGE_QUEUED, names.TICKET_UPDATED, in_transaction=True)
def refresh_clocks(event: Event) -> None:
    if event.name == names.TICKET_UPDATED and not {"status", "priority", "category", "team", "assignee"} & set(
            event.data.get("fields", ())):
        return
    sla_refresh_quietly(ticket_id=event.data["ticket_id"], savepoint=False)  # the bus's savepoint is enough
