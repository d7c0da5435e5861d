"""Facebook Messenger (Messenger Platform) adapter.

Inbound is the Page's ``messages`` webhook, signed with ``X-Hub-Signature-256`` (the app
secret) and registered with the ``hub.verify_token`` GET handshake::

    {"object": "page",
     "entry": [{"id": "<our Page id>", "time": <ms>,
                "messaging": [{"sender": {"id": "<PSID>"}, "recipient": {"id": "<our Page id>"},
                               "timestamp": <ms>,
                               "message": {"mid": "m_...", "text": "...",
                                           "attachments": [{"type": "image", "payload": {"url": "..."}}]}}]}]}

Only customer messages become ``NormalizedMessage``s. Skipped without error:

* echoes (``message.is_echo``): what the Page sent, delivered on the same subscription when
  ``message_echoes`` is on; taking them in would loop replies back as customer messages;
* ``delivery``, ``read``, ``reaction``, ``optin``, ``referral`` and ``account_linking`` events;
* ``standby`` entries (another app holds the thread under the handover protocol).

Attachments: ``image``/``video``/``audio``/``file`` carry a CDN URL (into the body and
``meta["attachments"]``, as Instagram's); a sticker is an image with ``payload.sticker_id``
(the thumbs-up "like" among them) and reads ``[sticker] <url>``; ``fallback`` (a shared link)
gives its title and URL; ``location`` its coordinates. Postbacks (a tap on a button or the
Get Started button) are kept as "[postback] title".

The sender is a Page-scoped id (PSID), not a username: identity kind ``handle`` in the
``messenger`` namespace. The webhook carries no name; the agent sees the PSID until the
customer is merged with another identity.

Outbound is the Send API, ``POST https://graph.facebook.com/v21.0/<PAGE_ID>/messages``
(the channel's ``send_url``) with the Page access token as bearer (``send_token``)::

    {"recipient": {"id": "<PSID>"}, "messaging_type": "RESPONSE", "message": {"text": "..."}}

``RESPONSE`` is the type for an answer inside the 24-hour window the customer's last message
opened; Meta refuses it (a 400, not retried) once the window has closed.
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

KIND = "messenger"
OBJECT = "page"


class MessengerAdapter(HubWebhookAdapter):
    kind = KIND

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        payload = load_object(body)
        if payload.get("object") != OBJECT:
            raise bad("object", f"is {payload.get('object')!r}, expected {OBJECT!r}")
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
            raise SendError("Messenger needs a recipient id.", retryable=False)
        if not envelope.body_text.strip():
            raise SendError("Messenger cannot send an empty message.", retryable=False)
        payload = {"recipient": {"id": recipient}, "messaging_type": "RESPONSE",
                   "message": {"text": envelope.body_text}}
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
        return None  # delivery, read, reaction, optin, referral, account_linking: not messages
    message = obj(event, "message", where)
    if message.get("is_echo"):
        return None
    here = f"{where}.message"
    lines = [text(message, "text", here, required=False)]
    attachments: list[dict[str, str]] = []
    for a, raw in enumerate(items(message, "attachments", here, required=False)):
        line, attachment = _attachment(as_object(raw, f"{here}.attachments[{a}]"), f"{here}.attachments[{a}]")
        attachments.append(attachment)
        lines.append(line)
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


def _attachment(attachment: dict[str, Any], where: str) -> tuple[str, dict[str, str]]:
    """(the line for the body, the entry for ``meta["attachments"]``)."""
    kind = text(attachment, "type", where, required=False) or "attachment"
    payload = as_dict_path(attachment, "payload")
    if kind == "location":
        coordinates = as_dict_path(payload, "coordinates")
        lat = text(coordinates, "lat", f"{where}.payload.coordinates", required=False)
        lon = text(coordinates, "long", f"{where}.payload.coordinates", required=False)
        url = f"https://maps.google.com/?q={lat},{lon}" if lat and lon else ""
        title = text(attachment, "title", where, required=False)
        return _line(kind, title, url), {"type": kind, "url": url}
    # A fallback (a shared link) puts its URL in the payload on current API versions and
    # beside it on older ones.
    url = (text(payload, "url", f"{where}.payload", required=False)
           or text(attachment, "url", where, required=False))
    if kind == "image" and payload.get("sticker_id") is not None:
        kind = "sticker"
    title = text(attachment, "title", where, required=False) if kind == "fallback" else ""
    return _line(kind, title, url), {"type": kind, "url": url}


def _line(kind: str, *parts: str) -> str:
    return " ".join([f"[{kind}]", *(p for p in parts if p)])


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


register(MessengerAdapter())
