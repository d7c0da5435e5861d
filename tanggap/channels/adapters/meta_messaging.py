"""What Instagram Messaging and Facebook Messenger share: Meta's Messenger Platform.

Both deliver ``{"object": ..., "entry": [{"messaging": [event, ...]}]}`` signed with
``X-Hub-Signature-256`` and registered with the ``hub.verify_token`` handshake
(``HubWebhookAdapter``), and both answer through the Send API shape
``{"recipient": {"id": ...}, "message": {"text": ...}}``. ``MessagingPlatformAdapter`` parses
the envelope, postbacks, messages, quick replies and ``reply_to``, and sends; a subclass
(``instagram``, ``messenger``) names its ``object``, says which messages to skip and how an
attachment reads, and adds its own Send API fields. Each module's docstring describes its
provider's payloads.
"""

from __future__ import annotations

from typing import Any

from tanggap.channels.adapters.base import ChannelConfig, OutboundEnvelope, SendError, SendResult
from tanggap.channels.adapters.webhook import (
    HubWebhookAdapter,
    as_dict_path,
    as_object,
    bad,
    from_unix,
    items,
    load_object,
    obj,
    post_json,
    send_timeout,
    text,
)
from tanggap.channels.normalized import IDENTITY_HANDLE, InboundIdentity, NormalizedMessage


class MessagingPlatformAdapter(HubWebhookAdapter):
    kind = ""
    label = ""  # the provider's name in error messages
    object_name = ""  # the payload's "object"
    send_fields: dict[str, Any] = {}  # added to every Send API payload

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        payload = load_object(body)
        if payload.get("object") != self.object_name:
            raise bad("object", f"is {payload.get('object')!r}, expected {self.object_name!r}")
        out: list[NormalizedMessage] = []
        for e, entry in enumerate(items(payload, "entry", "$")):
            where_entry = f"entry[{e}]"
            entry = as_object(entry, where_entry)
            for i, event in enumerate(items(entry, "messaging", where_entry, required=False)):
                where = f"{where_entry}.messaging[{i}]"
                message = self._parse_event(as_object(event, where), where)
                if message is not None:
                    out.append(message)
        return out

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        recipient = envelope.to.strip()
        if not recipient:
            raise SendError(f"{self.label} needs a recipient id.", retryable=False)
        if not envelope.body_text.strip():
            raise SendError(f"{self.label} cannot send an empty message.", retryable=False)
        payload = {"recipient": {"id": recipient}, **self.send_fields, "message": {"text": envelope.body_text}}
        answer = post_json(channel.send_url, payload, channel.send_token, timeout=send_timeout(channel),
                           idempotency_key=envelope.idempotency_key)
        return SendResult(provider_id=str(answer.get("message_id") or ""))

    # --- what a subclass decides -----------------------------------------------------------

    def skip(self, message: dict[str, Any]) -> bool:
        """Messages that are not the customer's: echoes of what we sent."""
        return bool(message.get("is_echo"))

    def attachment(self, attachment: dict[str, Any], where: str) -> tuple[str, dict[str, str]]:
        """(the line for the body, the entry for ``meta["attachments"]``): ``[type] url``."""
        kind = text(attachment, "type", where, required=False) or "attachment"
        url = text(as_dict_path(attachment, "payload"), "url", f"{where}.payload", required=False)
        return f"[{kind}] {url}".strip(), {"type": kind, "url": url}

    def extra_lines(self, message: dict[str, Any]) -> list[str]:
        return []

    # --- shared ----------------------------------------------------------------------------

    def _parse_event(self, event: dict[str, Any], where: str) -> NormalizedMessage | None:
        if "postback" in event:
            postback = obj(event, "postback", where)
            title = text(postback, "title", f"{where}.postback", required=False)
            mid = text(postback, "mid", f"{where}.postback")
            return self._message(event, where, mid, f"[postback] {title}".strip(),
                                 {"payload": postback.get("payload", "")})
        if "message" not in event:
            return None  # delivery, read, reaction, seen, optin, referral: not messages
        message = obj(event, "message", where)
        if self.skip(message):
            return None
        here = f"{where}.message"
        lines = [text(message, "text", here, required=False)]
        attachments: list[dict[str, str]] = []
        for a, raw in enumerate(items(message, "attachments", here, required=False)):
            line, entry = self.attachment(as_object(raw, f"{here}.attachments[{a}]"), f"{here}.attachments[{a}]")
            attachments.append(entry)
            lines.append(line)
        lines += self.extra_lines(message)
        body_text = "\n".join(line for line in lines if line)
        if not body_text:
            raise bad(here, "has no text, attachments or known content")
        meta: dict[str, Any] = {}
        if attachments:
            meta["attachments"] = attachments
        quick_reply = as_dict_path(message, "quick_reply")
        if quick_reply.get("payload"):
            meta["quick_reply_payload"] = quick_reply["payload"]
        msg = self._message(event, where, text(message, "mid", here), body_text, meta)
        msg.in_reply_to = text(as_dict_path(message, "reply_to"), "mid", f"{here}.reply_to", required=False)
        return msg

    def _message(self, event: dict[str, Any], where: str, mid: str, body_text: str,
                 meta: dict[str, Any]) -> NormalizedMessage:
        sender_id = text(obj(event, "sender", where), "id", f"{where}.sender")
        meta["recipient_id"] = text(obj(event, "recipient", where, required=False), "id", f"{where}.recipient",
                                    required=False)
        return NormalizedMessage(
            channel=self.kind,
            external_id=mid,
            sender=InboundIdentity(kind=IDENTITY_HANDLE, value=sender_id, namespace=self.kind),
            body_text=body_text,
            sent_at=from_unix(event.get("timestamp"), f"{where}.timestamp", millis=True),
            meta=meta,
        )
