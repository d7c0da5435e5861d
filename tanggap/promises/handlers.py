"""Promises follow the ticket inside the transaction that changed it (after the SLA clocks,
which ``sla.handlers`` refreshes first)."""

import logging

from django.db import transaction

from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.promises import services

log = logging.getLogger(__name__)


def _quietly(fn, **kwargs):
    """Promise bookkeeping never fails the reply or the intake that triggered it."""
    try:
        with transaction.atomic():
            return fn(**kwargs)
    except Exception:
        log.exception("%s failed for %s", fn.__name__, kwargs)
        return None


@subscribe(names.MESSAGE_QUEUED, in_transaction=True)
def on_answer(event: Event) -> None:
    _quietly(services.promise_on_answer, ticket_id=event.data["ticket_id"], message_id=event.data["message_id"],
             automated=event.data.get("automated", False), purpose=event.data.get("purpose", "reply"))


@subscribe(names.TICKET_UPDATED, in_transaction=True)
def on_status(event: Event) -> None:
    if "status" in event.data.get("fields", ()):
        _quietly(services.promise_on_status, ticket_id=event.data["ticket_id"])


@subscribe(names.MESSAGE_RECEIVED, in_transaction=True)
def on_customer_message(event: Event) -> None:
    if event.data.get("automated"):
        return
    if event.data.get("opened"):
        _quietly(services.acknowledge, ticket_id=event.data["ticket_id"])
    else:  # a reply from the customer may have resumed a paused ticket
        _quietly(services.promise_on_status, ticket_id=event.data["ticket_id"])
