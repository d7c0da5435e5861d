"""X (Twitter) direct messages: the Account Activity API in, the v2 DM endpoint out.

Inbound is an Account Activity webhook event for the subscribed account (``for_user_id``)::

    {"for_user_id": "<our user id>",
     "direct_message_events": [{"type": "message_create", "id": "<DM event id>",
                                "created_timestamp": "<ms>",
                                "message_create": {"target": {"recipient_id": "<our user id>"},
                                                   "sender_id": "<their user id>",
                                                   "message_data": {"text": "...", "entities": {"urls": [...]},
                                                                    "attachment": {"type": "media", "media": {...}}}}}],
     "users": {"<their user id>": {"id": "...", "name": "Siti", "screen_name": "siti_shop"}, ...}}

Signed with ``x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the raw body>``
keyed with the app's consumer secret (the channel's ``secret``). The registration check is
the CRC: a ``GET ?crc_token=...`` answered with ``{"response_token": "sha256=<base64
HMAC-SHA256 of crc_token>"}``, which X repeats about hourly and on demand.

Only messages from customers become ``NormalizedMessage``s. Skipped without error:

* our own account's DMs (``sender_id == for_user_id``): X delivers what we send on the same
  subscription; taking them in would loop replies back as customer messages;
* every other event type: typing and read indicators, tweets, likes, follows, blocks.

``t.co`` links in the text are put back to their ``expanded_url``; a photo, video or GIF
reads ``[photo] <url>`` (the ``t.co`` link to it is dropped from the text). DM media URLs
need the account's OAuth credentials to download; they go into ``meta["attachments"]``
for a later download step. The sender is X's numeric user id (it survives a change of
@name): identity kind ``handle`` in the ``x`` namespace, with the display name from
``users`` and the @name in ``meta["screen_name"]``.

Outbound is ``POST <send_url>/2/dm_conversations/with/<participant_id>/messages`` with
``{"text": "..."}`` and the account's OAuth 2.0 user token (scope ``dm.write``) as bearer;
``send_url`` is the API base, ``https://api.x.com``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Mapping

from tanggap.channels.adapters.base import ChannelConfig, InboundRequest, OutboundEnvelope, SendError, SendResult, register
from tanggap.channels.adapters.webhook import (
    as_dict_path,
    as_object,
    bad,
    from_unix,
    header,
    items,
    load_object,
    obj,
    post_json,
    send_timeout,
    text,
)
from tanggap.channels.normalized import IDENTITY_HANDLE, InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError

KIND = "x"
SIGNATURE_HEADER = "x-twitter-webhooks-signature"
DM_PATH = "/2/dm_conversations/with/{participant_id}/messages"


def sign(secret: str, data: bytes) -> str:
    """``sha256=<base64 HMAC-SHA256>``: the webhook signature over a body, and the CRC answer."""
    digest = hmac.new(secret.encode("utf-8"), data, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode("ascii")


def verify_signature(secret: str, body: bytes, header_value: str | None) -> None:
    """Raise ``DomainError("bad_signature", status=401)`` unless the signature matches.

    A channel without a consumer secret fails closed, like the Meta channels."""
    if not secret:
        raise DomainError("bad_signature", "This channel has no signing secret configured.", status=401)
    if not header_value:
        raise DomainError("bad_signature", "The x-twitter-webhooks-signature header is missing.", status=401)
    scheme, _, digest = header_value.strip().partition("=")
    if scheme.strip().lower() != "sha256" or not digest:
        raise DomainError("bad_signature", "The x-twitter-webhooks-signature header is not 'sha256=<base64>'.",
                          status=401)
    expected = sign(secret, body).partition("=")[2].encode("ascii")
    if not hmac.compare_digest(expected, digest.strip().encode("utf-8", "replace")):
        raise DomainError("bad_signature", "The x-twitter-webhooks-signature signature does not match the body.",
                          status=401)


class XAdapter:
    kind = KIND
    # The CRC answer is a JSON object, not the bare challenge of the Meta handshake.
    handshake_content_type = "application/json"

    def verify(self, channel: ChannelConfig, request: InboundRequest) -> None:
        verify_signature(channel.secret, request.body, header(request, SIGNATURE_HEADER))

    def handshake(self, channel: ChannelConfig, query: Mapping[str, str]) -> str:
        if not channel.secret:
            raise DomainError("bad_verify_token", "This channel has no consumer secret to answer the CRC with.",
                              status=403)
        crc_token = query.get("crc_token") or ""
        if not crc_token:
            raise DomainError("bad_handshake", "The CRC request has no crc_token to answer.", status=400)
        return json.dumps({"response_token": sign(channel.secret, crc_token.encode("utf-8"))})

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        payload = load_object(body)
        events = items(payload, "direct_message_events", "$", required=False)
        if not events:
            return []  # typing and read indicators, tweets, likes, follows: not messages
        ours = text(payload, "for_user_id", "$")
        users = as_dict_path(payload, "users")
        out: list[NormalizedMessage] = []
        for i, event in enumerate(events):
            where = f"direct_message_events[{i}]"
            message = _parse_event(as_object(event, where), where, ours, users)
            if message is not None:
                out.append(message)
        return out

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        recipient = envelope.to.strip()
        if not recipient.isascii() or not recipient.isdigit():
            # The id goes into the URL path: anything but digits is not an X user id.
            raise SendError("X needs the recipient's numeric user id.", retryable=False)
        if not envelope.body_text.strip():
            raise SendError("X cannot send an empty message.", retryable=False)
        if not channel.send_url:
            raise SendError("This channel has no send URL configured.", retryable=False)
        url = channel.send_url.rstrip("/") + DM_PATH.format(participant_id=recipient)
        answer = post_json(url, {"text": envelope.body_text}, channel.send_token, timeout=send_timeout(channel),
                           idempotency_key=envelope.idempotency_key)
        return SendResult(provider_id=str(as_dict_path(answer, "data").get("dm_event_id") or ""))


def _parse_event(event: dict[str, Any], where: str, ours: str, users: dict[str, Any]) -> NormalizedMessage | None:
    if event.get("type") != "message_create":
        return None
    create = obj(event, "message_create", where)
    here = f"{where}.message_create"
    sender_id = text(create, "sender_id", here)
    if sender_id == ours:
        return None  # our own DM, sent from tanggap or from the X app
    data = obj(create, "message_data", here)
    body = text(data, "text", f"{here}.message_data", required=False)
    meta: dict[str, Any] = {}
    media_line = ""
    attachment = as_dict_path(data, "attachment")
    if attachment:
        media = as_dict_path(attachment, "media")
        kind = text(media, "type", f"{here}.message_data.attachment.media", required=False) or "attachment"
        url = _media_url(media)
        short = media.get("url")
        if isinstance(short, str) and short:  # the t.co link to the media itself, at the end of the text
            body = body.replace(short, "").strip()
        media_line = " ".join(p for p in (f"[{kind}]", url) if p)
        meta["attachments"] = [{"type": kind, "url": url}]
    for url in items(as_dict_path(data, "entities"), "urls", f"{here}.message_data.entities", required=False):
        if isinstance(url, dict) and url.get("url") and isinstance(url["url"], str) \
                and isinstance(url.get("expanded_url"), str):
            body = body.replace(url["url"], url["expanded_url"])
    lines = [body, media_line]
    quick_reply = as_dict_path(data, "quick_reply_response")
    if quick_reply.get("metadata"):
        meta["quick_reply_payload"] = quick_reply["metadata"]
    body_text = "\n".join(line for line in lines if line)
    if not body_text:
        raise bad(f"{here}.message_data", "has no text or attachment")
    user = as_dict_path(users, sender_id)
    if isinstance(user.get("screen_name"), str) and user["screen_name"]:
        meta["screen_name"] = user["screen_name"]
    meta["recipient_id"] = text(as_dict_path(create, "target"), "recipient_id", f"{here}.target", required=False)
    name = user.get("name") if isinstance(user.get("name"), str) else ""
    return NormalizedMessage(
        channel=KIND,
        external_id=text(event, "id", where),
        sender=InboundIdentity(kind=IDENTITY_HANDLE, value=sender_id, name=name, namespace=KIND),
        body_text=body_text,
        sent_at=from_unix(event.get("created_timestamp"), f"{where}.created_timestamp", millis=True),
        meta=meta,
    )


def _media_url(media: dict[str, Any]) -> str:
    """A video's or GIF's best MP4, else the media URL (a photo, or a video's poster)."""
    variants = [v for v in items(as_dict_path(media, "video_info"), "variants", "media.video_info", required=False)
                if isinstance(v, dict) and v.get("content_type") == "video/mp4" and isinstance(v.get("url"), str)]
    if variants:
        return max(variants, key=lambda v: v.get("bitrate") if isinstance(v.get("bitrate"), int) else 0)["url"]
    url = media.get("media_url_https") or media.get("media_url")
    return url if isinstance(url, str) else ""


register(XAdapter())
