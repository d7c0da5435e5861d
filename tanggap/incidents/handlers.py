"""A new customer ticket that matches an active incident is linked to it and answered with the
incident's status. After commit, so intake stays fast and never fails because of an incident;
``incident_auto_link`` is idempotent (one link per incident and ticket, one answer per link)."""

import logging

from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.incidents import services

log = logging.getLogger(__name__)


@subscribe(names.TICKET_OPENED)
def on_ticket_opened(event: Event) -> None:
    try:
        services.incident_auto_link(ticket_id=event.data["ticket_id"])
    except Exception:  # never let an incident problem surface at intake
        log.exception("incident auto-link failed for ticket %s", event.data.get("ticket_id"))
