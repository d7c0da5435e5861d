"""WhatsApp Cloud API adapter.

Inbound is Meta's ``messages`` webhook, signed with ``X-Hub-Signature-256``::

    {"object": "whatsapp_business_account",
     "entry": [{"id": "<WABA id>",
                "changes": [{"field": "messages",
                             "value": {"messaging_product": "whatsapp",
                                       "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
                                       "contacts": [{"profile": {"name": "..."}, "wa_id": "6281..."}],
                                       "messages": [{"from": "6281...", "id": "wamid....", "timestamp": "<unix s>",
                                                     "type": "text", "text": {"body": "..."}}],
                                       "statuses": [...]}}]}]}

One delivery can batch several entries, changes and messages; every one is parsed.
Non-text messages become a readable line ("[image] caption", "[location] ...") rather
than being dropped, so an agent always sees that the customer sent *something*; media
ids are kept in ``meta`` for a later download step (parsing never touches the network).
Delivery/read ``statuses`` and reactions are not messages and yield nothing.

Outbound is ``POST /<version>/<phone_number_id>/messages`` (``channel.send_url``).
"""

from __future__ import annotations

from typing import Any

from tanggap.channels.adapters.base import ChannelConfig, OutboundEnvelope, SendError, SendResult, register
from tanggap.channels.adapters.webhook import (
    HubWebhookAdapter,
    as_dict_path,
    as_object,
    bad,
    default_country,
    from_unix,
    items,
    load_object,
    normalize_phone,
    obj,
    post_json,
    recipient_digits,
    send_timeout,
    text,
)
from tanggap.channels.normalized import IDENTITY_PHONE, InboundIdentity, NormalizedMessage
from tanggap.common.errors import ParseError

KIND = "whatsapp"
OBJECT = "whatsapp_business_account"
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
SKIPPED_TYPES = ("reaction",)  # a reaction annotates an earlier message; it is not one


class WhatsAppAdapter(HubWebhookAdapter):
    kind = KIND

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        payload = load_object(body)
        if payload.get("object") != OBJECT:
            raise bad("object", f"is {payload.get('object')!r}, expected {OBJECT!r}")
        country = default_country(channel)
        out: list[NormalizedMessage] = []
        for e, entry in enumerate(items(payload, "entry", "$")):
            where_entry = f"entry[{e}]"
            entry = as_object(entry, where_entry)
            for c, change in enumerate(items(entry, "changes", where_entry)):
                where = f"{where_entry}.changes[{c}]"
                change = as_object(change, where)
                if change.get("field") != "messages":
                    continue  # account/template updates share the subscription
                value = obj(change, "value", where)
                out.extend(_parse_value(value, f"{where}.value", country))
        return out

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        if not envelope.body_text.strip():
            raise SendError("WhatsApp cannot send an empty message.", retryable=False)
        payload: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient_digits(envelope.to, default_country(channel)),
            "type": "text",
            "text": {"body": envelope.body_text},
        }
        if envelope.reply_to_external_id:
            # Shows the customer which of their messages this answers.
            payload["context"] = {"message_id": envelope.reply_to_external_id}
        answer = post_json(channel.send_url, payload, channel.send_token, timeout=send_timeout(channel),
                           idempotency_key=envelope.idempotency_key)
        sent = answer.get("messages")
        provider_id = ""
        if isinstance(sent, list) and sent and isinstance(sent[0], dict):
            provider_id = str(sent[0].get("id") or "")
        return SendResult(provider_id=provider_id)


def _parse_value(value: dict[str, Any], where: str, country: str) -> list[NormalizedMessage]:
    metadata = obj(value, "metadata", where, required=False)
    names: dict[str, str] = {}
    for i, contact in enumerate(items(value, "contacts", where, required=False)):
        contact = as_object(contact, f"{where}.contacts[{i}]")
        profile = obj(contact, "profile", f"{where}.contacts[{i}]", required=False)
        wa_id = text(contact, "wa_id", f"{where}.contacts[{i}]", required=False)
        if wa_id:
            names[wa_id] = text(profile, "name", f"{where}.contacts[{i}].profile", required=False)
    out: list[NormalizedMessage] = []
    for m, raw in enumerate(items(value, "messages", where, required=False)):
        here = f"{where}.messages[{m}]"
        message = as_object(raw, here)
        kind = text(message, "type", here)
        if kind in SKIPPED_TYPES:
            continue
        sender = text(message, "from", here)
        try:
            phone = normalize_phone(sender, country)
        except ParseError:
            raise bad(f"{here}.from", f"{sender!r} is not a phone number") from None
        body_text, meta, automated = _render(message, kind, here)
        meta.update(
            {
                "type": kind,
                "phone_number_id": text(metadata, "phone_number_id", f"{where}.metadata", required=False),
                "display_phone_number": text(metadata, "display_phone_number", f"{where}.metadata", required=False),
            }
        )
        context = obj(message, "context", here, required=False)
        out.append(
            NormalizedMessage(
                channel=KIND,
                external_id=text(message, "id", here),
                sender=InboundIdentity(kind=IDENTITY_PHONE, value=phone, name=names.get(sender, "")),
                body_text=body_text,
                sent_at=from_unix(message.get("timestamp"), f"{here}.timestamp"),
                in_reply_to=text(context, "id", f"{here}.context", required=False),
                automated=automated,
                automated_reason="whatsapp system message" if automated else "",
                meta=meta,
            )
        )
    return out


def _render(message: dict[str, Any], kind: str, where: str) -> tuple[str, dict[str, Any], bool]:
    """A readable body for every message type; returns (body_text, meta, automated)."""
    content = as_dict_path(message, kind)
    here = f"{where}.{kind}"
    if kind == "text":
        return text(content, "body", here), {}, False
    if kind in MEDIA_TYPES:
        caption = text(content, "caption", here, required=False)
        filename = text(content, "filename", here, required=False)
        label = "voice message" if kind == "audio" and content.get("voice") else kind
        head = f"[{label}: {filename}]" if filename else f"[{label}]"
        media = {
            "type": kind,
            "id": text(content, "id", here, required=False),
            "mime_type": text(content, "mime_type", here, required=False),
            "filename": filename,
        }
        return _join(head, caption), {"media": media}, False
    if kind == "location":
        name = text(content, "name", here, required=False)
        address = text(content, "address", here, required=False)
        lat = text(content, "latitude", here, required=False)
        lon = text(content, "longitude", here, required=False)
        where_text = ", ".join(part for part in (name, address) if part)
        coords = f"({lat}, {lon})" if lat and lon else ""
        return _join("[location]", _join(where_text, coords)), {}, False
    if kind == "button":  # a tap on a template's quick-reply button
        return _join("[button]", text(content, "text", here, required=False)), {
            "payload": text(content, "payload", here, required=False)
        }, False
    if kind == "interactive":
        reply_type = text(content, "type", here, required=False)
        reply = as_dict_path(content, reply_type)
        title = text(reply, "title", f"{here}.{reply_type}", required=False)
        if reply_type == "nfm_reply":  # a WhatsApp Flow form submission
            title = text(reply, "body", f"{here}.{reply_type}", required=False) or text(
                reply, "response_json", f"{here}.{reply_type}", required=False
            )
        label = {"button_reply": "button", "list_reply": "list", "nfm_reply": "form"}.get(reply_type, "interactive")
        return _join(f"[{label}]", title), {"reply_id": text(reply, "id", here, required=False)}, False
    if kind == "contacts":
        shared = []
        for contact in message.get("contacts") or []:
            if isinstance(contact, dict):
                name = as_dict_path(contact, "name").get("formatted_name") or ""
                phones = [p.get("phone", "") for p in contact.get("phones") or [] if isinstance(p, dict)]
                shared.append(_join(str(name), " ".join(str(p) for p in phones if p)))
        return _join("[contact]", "; ".join(s for s in shared if s)), {}, False
    if kind == "system":
        return _join("[system]", text(content, "body", here, required=False)), {}, True
    if kind == "order":
        count = len(content.get("product_items") or []) if isinstance(content, dict) else 0
        return _join("[order]", f"{count} item(s)" if count else ""), {}, False
    # "unsupported", "unknown" and types added after this was written.
    return f"[{kind or 'unsupported'} message]", {}, False


def _join(head: str, tail: str) -> str:
    return f"{head} {tail}" if head and tail else head or tail


register(WhatsAppAdapter())
