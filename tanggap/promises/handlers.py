"""Promises follow the ticket inside the transaction that changed it (after the SLA clocks,
which ``sla.handlers`` refreshes first). The bus runs each handler in a savepoint and logs a
failure, so promise bookkeeping never fails the reply or the intake that triggered it."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.promises import services


@subscribe(names.MESSAGE_QUEUED, in_transaction=True)
def on_answer(event: Event) -> None:
    services.promise_on_answer(ticket_id=event.data["ticket_id"], message_id=event.data["message_id"],
                               automated=event.data.get("automated", False),
                               purpose=event.data.get("purpose", "reply"))


@subscribe(names.TICKET_UPDATED, in_transaction=True, when=lambda data: "status" in data.get("fields", ()))
def on_status(event: Event) -> None:
    services.promise_on_status(ticket_id=event.data["ticket_id"])


@subscribe(names.MESSAGE_RECEIVED, in_transaction=True, when=lambda data: not data.get("automated"))
def on_customer_message(event: Event) -> None:
    if event.data.get("opened"):
        services.acknowledge(ticket_id=event.data["ticket_id"])
    else:  # a reply from the customer may have resumed a paused ticket
        services.promise_on_status(ticket_id=event.data["ticket_id"])
