"""Events that change a customer's health mark its row stale (one UPDATE, after commit); the
hourly job recomputes stale rows (services.health_refresh)."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe

BY_TICKET = (names.MESSAGE_TRIAGED, names.PROMISE_BROKEN, names.TICKET_OPENED, names.TICKET_UPDATED)
BY_CUSTOMER = (names.SURVEY_ANSWERED, names.JOURNEY_EVENT, names.REVIEW_RECEIVED)


@subscribe(*BY_TICKET)
def stale_by_ticket(event: Event) -> None:
    from tanggap.health.services import health_mark_stale

    if event.data.get("ticket_id"):
        health_mark_stale(ticket_id=event.data["ticket_id"])


@subscribe(*BY_CUSTOMER)
def stale_by_customer(event: Event) -> None:
    from tanggap.health.services import health_mark_stale

    if event.data.get("customer_id"):
        health_mark_stale(customer_id=event.data["customer_id"])


@subscribe(names.CUSTOMER_MERGED)
def merged(event: Event) -> None:
    from tanggap.health.services import health_on_merge

    health_on_merge(source_id=event.data["source_id"], target_id=event.data["target_id"])
