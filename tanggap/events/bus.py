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
# An in-transaction handler's filter on the event's data: when it says no, the handler is not
# called and no savepoint is opened for it (two statements fewer in the publishing transaction).
_when: dict[Handler, Callable[[dict], bool]] = {}


@dataclass(frozen=True)
class Event:
    name: str
    data: dict = field(default_factory=dict)


def subscribe(*names: str, in_transaction: bool = False,
              when: Callable[[dict], bool] | None = None) -> Callable[[Handler], Handler]:
    """Register a handler. ``in_transaction=True`` runs it at once, inside the publishing
    transaction and in a savepoint of its own: its writes commit with the change that caused
    them, and an error it raises is logged and rolls back only its own writes, never the
    change (bookkeeping must not lose a customer's message). Use it for bookkeeping that must
    never drift from the ticket (SLA clocks, promises); everything else runs after commit.

    ``when`` (in-transaction handlers): a cheap test of the event's data, without queries; the
    handler runs only for events it accepts (a chat handler and a reply on email, say), and an
    event it declines costs nothing, not even the savepoint."""
    table = _in_transaction if in_transaction else _subscribers

    def decorator(fn: Handler) -> Handler:
        if when is not None:
            _when[fn] = when
        for name in names:
            if fn not in table[name]:
                table[name].append(fn)
        return fn

    return decorator


def publish(name: str, /, **data) -> None:
    event = Event(name=name, data=data)
    for handler in list(_in_transaction.get(name, ())):
        accepts = _when.get(handler)
        if accepts is not None and not accepts(data):
            continue
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
