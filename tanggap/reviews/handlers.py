"""Reviews follow the replies on their tickets, inside the transaction that queued or delivered them."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.reviews import services


def _review_channel(data: dict) -> bool:
    # a reply on another channel (the event says which) has no review to look up; an event
    # without the field (from older code) is looked up
    return data.get("channel_kind", services.MARKETPLACE) == services.MARKETPLACE


@subscribe(names.MESSAGE_QUEUED, in_transaction=True, when=_review_channel)
def reply_queued(event: Event) -> None:
    services.reply_queued(message_id=event.data["message_id"])


@subscribe(names.MESSAGE_DELIVERED, in_transaction=True, when=_review_channel)
def reply_delivered(event: Event) -> None:
    services.reply_delivered(message_id=event.data["message_id"])


@subscribe(names.MESSAGE_FAILED, in_transaction=True, when=_review_channel)
def reply_failed(event: Event) -> None:
    services.reply_failed(message_id=event.data["message_id"])
