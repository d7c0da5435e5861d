"""Subscribers for conversation events."""

from tanggap.conversations import services  # noqa: F401  (registers the customer-merge hook)
from tanggap.events import names
from tanggap.events.bus import Event, subscribe


@subscribe(names.MESSAGE_QUEUED)
def enqueue_delivery(event: Event) -> None:
    from tanggap.conversations.tasks import deliver_message

    deliver_message.enqueue(message_id=event.data["message_id"])
