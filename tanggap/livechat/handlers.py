"""Chat events written in the same transaction as the message they carry: a visitor's message
received by the ordinary intake, an agent's reply queued by the ordinary reply path."""

from tanggap.common.fastsql import Prepared
from tanggap.conversations.models import Message
from tanggap.events import names
from tanggap.events.bus import Event, subscribe
from tanggap.livechat.adapter import KIND

# Every chat reply runs it, inside the reply's transaction: compiled once (common.fastsql).
_REPLY = Prepared(lambda message_id: Message.objects.select_related("ticket", "author").filter(
    pk=message_id, channel_kind=KIND).order_by("pk")[:1])


def _chat_message(data: dict) -> bool:
    return data.get("channel_kind", KIND) == KIND


def _chat_message_not_sent_here(data: dict) -> bool:
    from tanggap.livechat.services import receiving

    # message_send writes its message's event itself; other channels have none
    return receiving.get() is None and _chat_message(data)


@subscribe(names.MESSAGE_RECEIVED, in_transaction=True, when=_chat_message_not_sent_here)
def chat_message_received(event: Event) -> None:
    from tanggap.livechat.services import event_for_inbound

    message = Message.objects.filter(pk=event.data["message_id"], channel_kind=KIND).first()
    if message is not None:
        event_for_inbound(message)


@subscribe(names.MESSAGE_QUEUED, in_transaction=True, when=_chat_message)
def chat_reply_queued(event: Event) -> None:
    from tanggap.livechat.services import event_for_outbound

    message = _REPLY.first(event.data["message_id"])
    if message is not None:
        event_for_outbound(message, new=True)
