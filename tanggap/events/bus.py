"""Domain events, published when the surrounding transaction commits.

A service calls ``publish("ticket.opened", ticket_id=...)``; the event reaches
subscribers only if the write committed, never for a rolled-back write. Subscribers
live in each domain's ``handlers.py`` and must be quick: slow or external work is
enqueued as a stored background task, so a crash after commit loses nothing that
a periodic sweep cannot pick up again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)

Handler = Callable[["Event"], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)
_in_transaction: dict[str, list[Handler]] = defaultdict(list)


@dataclass(frozen=True)
class Event:
    name: str
    data: dict = field(default_factory=dict)


def subscribe(*names: str, in_transaction: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler. ``in_transaction=True`` runs it at once, inside the publishing
    transaction and in a savepoint of its own: its writes commit with the change that caused
    them, and an error it raises is logged and rolls back only its own writes, never the
    change (bookkeeping must not lose a customer's message). Use it for bookkeeping that must
    never drift from the ticket (SLA clocks, promises); everything else runs after commit."""
    table = _in_transaction if in_transaction else _subscribers

    def decorator(fn: Handler) -> Handler:
        for name in names:
            if fn not in table[name]:
                table[name].append(fn)
        return fn

    return decorator


def publish(name: str, /, **data) -> None:
    event = Event(name=name, data=data)
    for handler in list(_in_transaction.get(name, ())):
        try:
            with transaction.atomic():
                handler(event)
        except Exception:
            log.exception("in-transaction handler %s failed for %s; the change goes on",
                          getattr(handler, "__name__", handler), name)
    transaction.on_commit(lambda: dispatch(event), robust=True)


def dispatch(event: Event) -> None:
    for handler in list(_subscribers.get(event.name, ())) + list(_subscribers.get("*", ())):
        try:
            handler(event)
        except Exception:  # one failing subscriber must not stop the others
            log.exception("event handler %s failed for %s", getattr(handler, "__name__", handler), event.name)
