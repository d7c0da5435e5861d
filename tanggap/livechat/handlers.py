"""Chat events written in the same transaction as the message they carry: a visitor's message
received by the ordinary intake, an agent's reply queued by the ordinary reply path."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.livechat.adapter import KIND


@subscribe(names.MESSAGE_RECEIVED, in_transaction=True)
def chat_message_received(event: Event) -> None:
    from tanggap.conversations.models import Message
    from tanggap.livechat.services import event_for_inbound, receiving

    if receiving.get() is not None or event.data.get("channel_kind", KIND) != KIND:
        return  # message_send writes its message's event itself; other channels have none
    message = Message.objects.filter(pk=event.data["message_id"], channel_kind=KIND).first()
    if message is not None:
        event_for_inbound(message)


@subscribe(names.MESSAGE_QUEUED, in_transaction=True)
def chat_reply_queued(event: Event) -> None:
    from tanggap.conversations.models import Message
    from tanggap.livechat.services import event_for_outbound

    if event.data.get("channel_kind", KIND) != KIND:
        return  # a reply on another channel (the event says which)
    message = (Message.objects.select_related("ticket", "author")
               .filter(pk=event.data["message_id"], channel_kind=KIND).first())
    if message is not None:
        event_for_outbound(message, new=True)
