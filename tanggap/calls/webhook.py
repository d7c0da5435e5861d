"""The telephony webhook's wire format (docs/calls.md): verify the signature, parse one event.

Edge code: it knows JSON and HMAC, not customers or tickets. One event per request::

    {"event": "call.ended", "call_id": "pbx-1732500000.42", "direction": "inbound",
     "from": "0812-3456-7890", "to": "+622150001234", "caller_name": "Rina",
     "timestamp": "2026-11-25T09:19:14+07:00", "started_at": "...", "answered_at": "...",
     "ended_at": "...", "duration": 252, "outcome": "answered",
     "recording_url": "https://pbx.example.id/rec/42.mp3", "agent_email": "sari@toko.id", "notes": ""}

signed ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the phone
channel's secret>`` (the same header as the other signed webhooks)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from tanggap.calls.models import Outcome
from tanggap.calls.services import CallEventData
from tanggap.channels.adapters.webhook import SIGNATURE_HEADER, bad, load_object, verify_hub_signature
from tanggap.common.phone import normalize_phone

EVENTS = ("started", "answered", "ended")
DIRECTIONS = {"inbound": "in", "in": "in", "incoming": "in", "outbound": "out", "out": "out", "outgoing": "out"}
# What PBXs and cloud telephony services call the end of a call (Asterisk CDR dispositions,
# Twilio-style statuses), read as our outcomes.
OUTCOME_ALIASES = {
    "answered": Outcome.ANSWERED, "completed": Outcome.ANSWERED,
    "missed": Outcome.MISSED, "no_answer": Outcome.MISSED, "noanswer": Outcome.MISSED,
    "canceled": Outcome.MISSED, "cancelled": Outcome.MISSED, "abandoned": Outcome.MISSED,
    "voicemail": Outcome.VOICEMAIL, "busy": Outcome.BUSY, "failed": Outcome.FAILED, "congestion": Outcome.FAILED,
}
MAX_NOTES = 5000
# What is kept of the payload with the event (the fields read above, already checked).
KEPT = ("event", "call_id", "direction", "from", "to", "caller_name", "timestamp", "started_at", "answered_at",
        "ended_at", "duration", "outcome", "recording_url", "agent_email")


def verify(secret: str, body: bytes, headers: dict[str, str]) -> None:
    """401 ``bad_signature`` unless the header is the body's HMAC under ``secret`` (no secret: always 401)."""
    verify_hub_signature(secret, body, headers.get(SIGNATURE_HEADER.lower()))


def _text(data: dict[str, Any], key: str, *, required: bool = False, limit: int = 200) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise bad(key, "missing")
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("from", "to", "call_id"):
        value = str(value)  # some PBXs send numbers and ids as JSON numbers
    if not isinstance(value, str):
        raise bad(key, "is not a string")
    value = value.strip()
    if "\x00" in value:
        raise bad(key, "contains a NUL character")
    if len(value) > limit:
        raise bad(key, f"is longer than {limit} characters")
    return value


def _time(data: dict[str, Any], key: str) -> dt.datetime | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise bad(key, "is not a valid Unix time") from None
    if not isinstance(value, str):
        raise bad(key, "is not a time")
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise bad(key, "is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise bad(key, "has no time zone (e.g. 2026-11-25T09:15:02+07:00)")
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        raise bad(key, "is out of range") from None


def _phone(data: dict[str, Any], key: str, *, required: bool) -> str:
    value = _text(data, key, required=required, limit=40)
    if value:
        normalize_phone(value)  # bad_phone (422) names the value
    return value


def parse(body: bytes) -> CallEventData:
    data = load_object(body)
    event = _text(data, "event", required=True, limit=30).lower().removeprefix("call.").removeprefix("call_")
    if event not in EVENTS:
        raise bad("event", f"is {event!r}; one of call.started, call.answered, call.ended")
    direction = DIRECTIONS.get(_text(data, "direction", required=True, limit=20).lower())
    if direction is None:
        raise bad("direction", "is not 'inbound' or 'outbound'")
    customer_key, line_key = ("from", "to") if direction == "in" else ("to", "from")
    customer_number = _phone(data, customer_key, required=True)
    line = _text(data, line_key, limit=40)
    occurred_at = _time(data, "timestamp")
    if occurred_at is None:
        raise bad("timestamp", "missing")
    outcome = ""
    raw_outcome = _text(data, "outcome", limit=30)
    if raw_outcome:
        outcome = OUTCOME_ALIASES.get(raw_outcome.lower().replace("-", "_").replace(" ", "_"), "")
        if not outcome:
            raise bad("outcome", f"is {raw_outcome!r}; one of {', '.join(Outcome.values)}")
    duration = data.get("duration")
    if duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, (int, float)) or not 0 <= duration <= 86400:
            raise bad("duration", "is not a number of seconds between 0 and 86400")
        duration = int(duration)
    recording_url = _text(data, "recording_url", limit=1000)
    if recording_url and (urlsplit(recording_url).scheme not in ("http", "https") or not urlsplit(recording_url).netloc):
        raise bad("recording_url", "is not an http(s) URL")
    return CallEventData(
        kind=event, provider_call_id=_text(data, "call_id", required=True), direction=direction,
        customer_number=customer_number, line=line, customer_name=_text(data, "caller_name", limit=200),
        occurred_at=occurred_at, started_at=_time(data, "started_at"), answered_at=_time(data, "answered_at"),
        ended_at=_time(data, "ended_at"), duration_seconds=duration, outcome=outcome, recording_url=recording_url,
        agent_email=_text(data, "agent_email", limit=254).lower(), notes=_text(data, "notes", limit=MAX_NOTES),
        payload={k: data[k] for k in KEPT if data.get(k) not in (None, "")},
    )
