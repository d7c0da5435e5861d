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


@dataclass(frozen=True)
class Event:
    name: str
    data: dict = field(default_factory=dict)


def subscribe(*names: str) -> Callable[[Handler], Handler]:
    def decorator(fn: Handler) -> Handler:
        for name in names:
            if fn not in _subscribers[name]:
                _subscribers[name].append(fn)
        return fn

    return decorator


def publish(name: str, /, **data) -> None:
    event = Event(name=name, data=data)
    transaction.on_commit(lambda: dispatch(event), robust=True)


def dispatch(event: Event) -> None:
    for handler in list(_subscribers.get(event.name, ())) + list(_subscribers.get("*", ())):
        try:
            handler(event)
        except Exception:  # one failing subscriber must not stop the others
            log.exception("event handler %s failed for %s", getattr(handler, "__name__", handler), event.name)
