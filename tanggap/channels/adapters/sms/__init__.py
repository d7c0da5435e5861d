"""SMS gateway adapter.

SMS gateways all differ, so tanggap picks one public inbound format and one signing
convention and expects a gateway (or a small relay in front of it) to speak them.

Inbound follows **Infobip's "Receive inbound SMS messages" webhook** (its default
``MO_JSON_2`` renderer)::

    {"results": [{"messageId": "...", "from": "6281234567890", "to": "628001234567",
                  "text": "KODE halo", "cleanText": "halo", "keyword": "KODE",
                  "receivedAt": "2024-05-02T03:04:05.000+0000", "smsCount": 1,
                  "price": {"pricePerMessage": 0, "currency": "EUR"}, "callbackData": "..."}],
     "messageCount": 1, "pendingMessageCount": 0}

Only ``messageId``, ``from`` and ``text`` are required; ``receivedAt`` (ISO-8601) becomes
``sent_at``. The full ``text`` is kept, keyword included: the customer typed it.

Signing is **tanggap's convention, not Infobip's**: the body is signed like Meta's
webhooks, ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`` keyed with
the channel secret, and the GET ``hub.*`` handshake is answered the same way. One
scheme for every webhook channel keeps verification in one audited place.

``from`` is normally a number ("6281...", "+6281...", "0812..." national); a gateway may
also relay an alphanumeric sender id ("BANKXYZ"). Those cannot be replied to, so they
are kept as an ``sms`` handle and marked automated instead of failing the whole batch.

Outbound: ``POST channel.send_url`` with ``{"to": "+6281234567890", "text": "..."}`` and a
bearer token. The provider id is read from Infobip's answer
(``{"messages": [{"messageId": ...}]}``) or a flat ``id`` / ``messageId`` / ``message_id``.
"""

from __future__ import annotations

import re
from typing import Any

from tanggap.channels.adapters.base import ChannelConfig, OutboundEnvelope, SendError, SendResult, register
from tanggap.channels.adapters.webhook import (
    HubWebhookAdapter,
    as_object,
    default_country,
    from_iso,
    items,
    load_object,
    normalize_phone,
    post_json,
    recipient_digits,
    send_timeout,
    text,
)
from tanggap.channels.normalized import IDENTITY_HANDLE, IDENTITY_PHONE, InboundIdentity, NormalizedMessage
from tanggap.common.errors import ParseError

KIND = "sms"
_ALPHANUMERIC_SENDER = re.compile(r"[A-Za-z]")


class SmsAdapter(HubWebhookAdapter):
    kind = KIND

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        payload = load_object(body)
        country = default_country(channel)
        out: list[NormalizedMessage] = []
        for i, raw in enumerate(items(payload, "results", "$")):
            where = f"results[{i}]"
            result = as_object(raw, where)
            sender, automated = _sender(text(result, "from", where), country, f"{where}.from")
            received_at = text(result, "receivedAt", where, required=False)
            meta: dict[str, Any] = {"to": text(result, "to", where, required=False)}
            for key in ("keyword", "smsCount", "callbackData"):
                if result.get(key) not in (None, ""):
                    meta[key] = result[key]
            out.append(
                NormalizedMessage(
                    channel=KIND,
                    external_id=text(result, "messageId", where),
                    sender=sender,
                    body_text=_body(result, where),
                    sent_at=from_iso(received_at, f"{where}.receivedAt") if received_at else None,
                    automated=automated,
                    automated_reason="alphanumeric sender id" if automated else "",
                    meta=meta,
                )
            )
        return out

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        if not envelope.body_text.strip():
            raise SendError("Cannot send an empty SMS.", retryable=False)
        payload = {"to": "+" + recipient_digits(envelope.to, default_country(channel)), "text": envelope.body_text}
        answer = post_json(channel.send_url, payload, channel.send_token, timeout=send_timeout(channel),
                           idempotency_key=envelope.idempotency_key)
        return SendResult(provider_id=_provider_id(answer))


def _sender(raw: str, country: str, where: str) -> tuple[InboundIdentity, bool]:
    if _ALPHANUMERIC_SENDER.search(raw):
        return InboundIdentity(kind=IDENTITY_HANDLE, value=raw.strip(), namespace=KIND), True
    try:
        return InboundIdentity(kind=IDENTITY_PHONE, value=normalize_phone(raw, country)), False
    except ParseError:
        raise ParseError("bad_payload", f"{where}: {raw!r} is not a phone number.") from None


def _body(result: dict[str, Any], where: str) -> str:
    # An empty SMS is possible (a keyword-only or blank message); keep it visible.
    value = result.get("text")
    if value is None:
        raise ParseError("bad_payload", f"{where}.text: missing.")
    return text(result, "text", where, required=False) or "[empty SMS]"


def _provider_id(answer: dict[str, Any]) -> str:
    messages = answer.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        first = messages[0]
        return str(first.get("messageId") or first.get("id") or "")
    for key in ("messageId", "message_id", "id"):
        if answer.get(key):
            return str(answer[key])
    return ""


register(SmsAdapter())
