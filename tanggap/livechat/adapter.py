"""The chat channel's adapter: what ``channels.services.inbound_receive`` parses a visitor's
message with, and what the delivery worker "sends" an agent's reply with.

Sending a chat reply is writing its ``ChatEvent`` row (the visitor's stream reads it); the
row is normally written already, in the reply's own transaction (``handlers``), so ``send``
only makes sure it exists (a reply queued before this part was installed, say)."""

from __future__ import annotations

import json

from tanggap.channels.adapters.base import InboundRequest, OutboundEnvelope, SendError, SendResult, register
from tanggap.channels.normalized import IDENTITY_HANDLE, InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError, ParseError

KIND = "chat"


class ChatAdapter:
    kind = KIND

    def verify(self, channel, request: InboundRequest) -> None:
        # Visitor messages never come in as webhooks: the visitor endpoints check the signed token.
        raise DomainError("bad_signature", "Live chat takes messages from the widget only.", status=401)

    def handshake(self, channel, query) -> str:
        raise DomainError("not_supported", "Live chat has no webhook handshake.", status=404)

    def parse(self, channel, body: bytes) -> list[NormalizedMessage]:
        try:
            data = json.loads(body)
            visitor, text, client_id = data["visitor"], data["text"], data["client_id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ParseError("bad_chat_payload", f"Not a chat message: {exc}") from exc
        if not (isinstance(visitor, str) and isinstance(text, str) and isinstance(client_id, str)):
            raise ParseError("bad_chat_payload", "visitor, text and client_id must be strings.")
        return [NormalizedMessage(
            channel=KIND, external_id=f"chat:{visitor}:{client_id}"[:200],
            sender=InboundIdentity(kind=IDENTITY_HANDLE, value=visitor, namespace=KIND),
            body_text=text, meta={"language": data.get("language", ""), "chat": data.get("conversation"),
                  "ip": data.get("ip")},
        )]

    def send(self, channel, envelope: OutboundEnvelope) -> SendResult:
        from tanggap.livechat import services

        event = services.outbound_event_for(idempotency_key=envelope.idempotency_key, visitor_id=envelope.to)
        if event is None:
            raise SendError(f"no chat visitor {envelope.to!r}", retryable=False)
        return SendResult(provider_id=f"chat-event-{event.pk}")


register(ChatAdapter())
