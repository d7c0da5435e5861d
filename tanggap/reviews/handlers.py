"""Reviews follow the replies on their tickets, inside the transaction that queued or delivered them."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.reviews import services


@subscribe(names.MESSAGE_QUEUED, in_transaction=True)
def reply_queued(event: Event) -> None:
    if event.data.get("channel_kind", services.MARKETPLACE) != services.MARKETPLACE:
        return  # not a reply on a review's channel (the event says which): nothing to look up
    services.reply_queued(message_id=event.data["message_id"])


@subscribe(names.MESSAGE_DELIVERED, in_transaction=True)
def reply_delivered(event: Event) -> None:
    services.reply_delivered(message_id=event.data["message_id"])


@subscribe(names.MESSAGE_FAILED, in_transaction=True)
def reply_failed(event: Event) -> None:
    services.reply_failed(message_id=event.data["message_id"])
