"""Subscribers for conversation events."""

from django.db import transaction

from tanggap.conversations import services  # noqa: F401  (registers the customer-merge hook)
from tanggap.events import names
from tanggap.events.bus import Event, subscribe


@subscribe(names.MESSAGE_QUEUED)
def enqueue_delivery(event: Event) -> None:
    from tanggap.conversations.choices import Delivery
    from tanggap.conversations.models import Message
    from tanggap.conversations.tasks import deliver_message

    if not Message.objects.filter(pk=event.data["message_id"], delivery_status=Delivery.QUEUED).exists():
        return  # delivered in its own transaction (a live chat reply): no job, no worker round trip
    # One INSERT, in a transaction of its own: on SQLite it waits its turn at the write lock
    # (tanggap.common.sqlite) instead of napping in SQLite's busy handler while others write.
    with transaction.atomic():
        deliver_message.enqueue(message_id=event.data["message_id"])
