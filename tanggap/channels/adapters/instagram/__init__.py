"""Instagram Messaging (Messenger Platform) adapter.

Inbound is Meta's ``messages`` webhook for Instagram, signed with ``X-Hub-Signature-256``::

    {"object": "instagram",
     "entry": [{"id": "<our IG account id>", "time": <ms>,
                "messaging": [{"sender": {"id": "<IGSID>"}, "recipient": {"id": "<our id>"},
                               "timestamp": <ms>,
                               "message": {"mid": "...", "text": "...",
                                           "attachments": [{"type": "image", "payload": {"url": "..."}}]}}]}]}

Only customer messages become ``NormalizedMessage``s. Skipped without error:

* echoes (``message.is_echo``): our own outbound messages, which Instagram delivers on
  the same subscription; taking them in would loop replies back as customer messages;
* ``read`` / ``reaction`` events and deleted (``is_deleted``) messages;
* entries with ``changes`` instead of ``messaging`` (comments, mentions).

Attachment URLs are short-lived CDN links; they go into the body (so an agent can open
them soon) and into ``meta["attachments"]`` for a later download step. Postbacks (a
tap on an ice-breaker or button) are kept as "[postback] title", like WhatsApp buttons.

The sender is an Instagram-scoped id, not a username: identity kind ``handle`` in the
``instagram`` namespace.
"""

from __future__ import annotations

from typing import Any

from tanggap.channels.adapters.base import ChannelConfig, OutboundEnvelope, SendError, SendResult, register
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

KIND = "instagram"


class InstagramAdapter(HubWebhookAdapter):
    kind = KIND

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        payload = load_object(body)
        if payload.get("object") != KIND:
            raise bad("object", f"is {payload.get('object')!r}, expected {KIND!r}")
        out: list[NormalizedMessage] = []
        for e, entry in enumerate(items(payload, "entry", "$")):
            where_entry = f"entry[{e}]"
            entry = as_object(entry, where_entry)
            for i, event in enumerate(items(entry, "messaging", where_entry, required=False)):
                where = f"{where_entry}.messaging[{i}]"
                message = _parse_event(as_object(event, where), where)
                if message is not None:
                    out.append(message)
        return out

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        recipient = envelope.to.strip()
        if not recipient:
            raise SendError("Instagram needs a recipient id.", retryable=False)
        if not envelope.body_text.strip():
            raise SendError("Instagram cannot send an empty message.", retryable=False)
        payload = {"recipient": {"id": recipient}, "message": {"text": envelope.body_text}}
        answer = post_json(channel.send_url, payload, channel.send_token, timeout=send_timeout(channel),
                           idempotency_key=envelope.idempotency_key)
        return SendResult(provider_id=str(answer.get("message_id") or ""))


def _parse_event(event: dict[str, Any], where: str) -> NormalizedMessage | None:
    if "postback" in event:
        postback = obj(event, "postback", where)
        title = text(postback, "title", f"{where}.postback", required=False)
        mid = text(postback, "mid", f"{where}.postback")
        return _message(event, where, mid, f"[postback] {title}".strip(), {"payload": postback.get("payload", "")})
    if "message" not in event:
        return None  # read, reaction, referral, seen: not messages
    message = obj(event, "message", where)
    if message.get("is_echo") or message.get("is_deleted"):
        return None
    here = f"{where}.message"
    lines = [text(message, "text", here, required=False)]
    attachments: list[dict[str, str]] = []
    for a, raw in enumerate(items(message, "attachments", here, required=False)):
        attachment = as_object(raw, f"{here}.attachments[{a}]")
        kind = text(attachment, "type", f"{here}.attachments[{a}]", required=False) or "attachment"
        url = text(as_dict_path(attachment, "payload"), "url", f"{here}.attachments[{a}].payload", required=False)
        attachments.append({"type": kind, "url": url})
        lines.append(f"[{kind}] {url}".strip())
    if message.get("is_unsupported"):
        lines.append("[unsupported message]")
    body_text = "\n".join(line for line in lines if line)
    if not body_text:
        raise bad(here, "has no text, attachments or known content")
    meta: dict[str, Any] = {}
    if attachments:
        meta["attachments"] = attachments
    quick_reply = as_dict_path(message, "quick_reply")
    if quick_reply.get("payload"):
        meta["quick_reply_payload"] = quick_reply["payload"]
    msg = _message(event, where, text(message, "mid", here), body_text, meta)
    msg.in_reply_to = text(as_dict_path(message, "reply_to"), "mid", f"{here}.reply_to", required=False)
    return msg


def _message(event: dict[str, Any], where: str, mid: str, body_text: str, meta: dict[str, Any]) -> NormalizedMessage:
    sender_id = text(obj(event, "sender", where), "id", f"{where}.sender")
    meta["recipient_id"] = text(obj(event, "recipient", where, required=False), "id", f"{where}.recipient", required=False)
    return NormalizedMessage(
        channel=KIND,
        external_id=mid,
        sender=InboundIdentity(kind=IDENTITY_HANDLE, value=sender_id, namespace=KIND),
        body_text=body_text,
        sent_at=from_unix(event.get("timestamp"), f"{where}.timestamp", millis=True),
        meta=meta,
    )


register(InstagramAdapter())
