"""The generic JSON message of ``POST /api/v1/messages``, parsed into a NormalizedMessage.

Shape: ``{channel, external_id, from: {email | phone | handle, name}, subject?, body, sent_at?}``.
It lives here (not in the API layer) so a stored raw payload can be re-parsed by the sweep.
"""

from __future__ import annotations

import datetime as dt
import json

import nh3

from tanggap.channels.normalized import IDENTITY_EMAIL, IDENTITY_HANDLE, IDENTITY_PHONE, InboundIdentity, NormalizedMessage
from tanggap.common.errors import ParseError


def _sender(data: dict, channel: str) -> InboundIdentity:
    sender = data.get("from")
    if not isinstance(sender, dict):
        raise ParseError("missing_field", "'from' must be an object with email, phone or handle.")
    name = str(sender.get("name") or "")[:200]
    if sender.get("email"):
        value = str(sender["email"]).strip().lower()
        if "@" not in value:
            raise ParseError("invalid_email", f"'{value}' is not an email address.")
        return InboundIdentity(kind=IDENTITY_EMAIL, value=value, name=name)
    if sender.get("phone"):
        return InboundIdentity(kind=IDENTITY_PHONE, value=str(sender["phone"]), name=name)
    if sender.get("handle"):
        return InboundIdentity(kind=IDENTITY_HANDLE, value=str(sender["handle"]), name=name, namespace=channel)
    raise ParseError("missing_field", "'from' needs one of email, phone or handle.")


def parse_generic(body: bytes) -> list[NormalizedMessage]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError("malformed_json", f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ParseError("malformed_json", "The body must be a JSON object.")
    for field in ("channel", "external_id", "body"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise ParseError("missing_field", f"'{field}' is required and must be a non-empty string.")
    channel = data["channel"].strip().lower()
    sent_at = None
    if data.get("sent_at"):
        try:
            sent_at = dt.datetime.fromisoformat(str(data["sent_at"]).replace("Z", "+00:00"))
        except ValueError:
            raise ParseError("invalid_datetime", "'sent_at' must be an ISO-8601 date-time.") from None
        if sent_at.tzinfo is None:
            raise ParseError("invalid_datetime", "'sent_at' needs a time zone offset.")
        sent_at = sent_at.astimezone(dt.UTC)
    html = data.get("body_html") or ""
    return [NormalizedMessage(
        channel=channel, external_id=data["external_id"].strip()[:500], sender=_sender(data, channel),
        body_text=data["body"], subject=str(data.get("subject") or "")[:500],
        body_html=nh3.clean(html) if html else "", sent_at=sent_at,
        in_reply_to=str(data.get("in_reply_to") or ""),
        meta={"language": data["language"]} if data.get("language") in ("id", "ms", "en") else {},
    )]
