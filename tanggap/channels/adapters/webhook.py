"""Plumbing shared by the webhook channels (WhatsApp, Instagram, SMS gateways).

All three follow Meta's webhook conventions, so the edge checks live here once:

* ``verify_hub_signature``: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
  body>``. It is computed over the *raw bytes*, before any JSON decoding, because a
  re-serialised body would not hash the same. Comparison is constant-time.
* ``answer_handshake``: the GET ``hub.mode=subscribe`` / ``hub.verify_token`` /
  ``hub.challenge`` dance a provider does once when the webhook URL is registered.
* ``post_json``: the one outbound HTTP call. It never retries by itself; it sorts every
  failure into "try again later" (network trouble, timeouts, 429, 5xx) and "will never
  pass" (other 4xx) so the task queue above can retry safely and give up on the rest.
  Every attempt at one message carries the same ``Idempotency-Key`` header, so a provider
  that honours it delivers the message once even when an attempt's answer was lost.
* Small path-aware readers (``obj``, ``text``, ...) so a malformed payload becomes a
  ``ParseError`` that says *what* is wrong and *where*, never a ``KeyError``.
* ``normalize_phone`` (from ``common.phone``, re-exported): one E.164-ish form, so
  "0812-3456-7890" by SMS and "6281234567890" from WhatsApp find the same customer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any, Mapping

import httpx

from tanggap.channels.adapters.base import ChannelConfig, InboundRequest, SendError
from tanggap.common.phone import normalize_phone  # noqa: F401  (re-exported for the adapters)
from tanggap.common.errors import DomainError, ParseError

SIGNATURE_HEADER = "x-hub-signature-256"


# --- inbound authenticity -------------------------------------------------------------


def sign_body(secret: str, body: bytes) -> str:
    """The header value a provider would send for ``body``; used by tests and tooling."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_hub_signature(secret: str, body: bytes, header_value: str | None) -> None:
    """Raise ``DomainError("bad_signature", status=401)`` unless the signature matches.

    A channel without a secret fails closed: an unsigned webhook would let anyone on
    the internet open tickets as any phone number.
    """
    if not secret:
        raise DomainError("bad_signature", "This channel has no signing secret configured.", status=401)
    if not header_value:
        raise DomainError("bad_signature", "The X-Hub-Signature-256 header is missing.", status=401)
    scheme, _, digest = header_value.strip().partition("=")
    if scheme.strip().lower() != "sha256" or not digest:
        raise DomainError("bad_signature", "The X-Hub-Signature-256 header is not 'sha256=<hex>'.", status=401)
    expected = sign_body(secret, body).partition("=")[2].encode("ascii")
    given = digest.strip().lower().encode("utf-8", "replace")
    if not hmac.compare_digest(expected, given):
        raise DomainError("bad_signature", "The X-Hub-Signature-256 signature does not match the body.", status=401)


def header(request: InboundRequest, name: str) -> str:
    """A header by name; ``InboundRequest`` promises lower-case names but be forgiving."""
    name = name.lower()
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return ""


def answer_handshake(channel: ChannelConfig, query: Mapping[str, str]) -> str:
    """Return ``hub.challenge`` when ``hub.verify_token`` matches the channel's token."""
    token = query.get("hub.verify_token") or ""
    if (
        query.get("hub.mode") != "subscribe"
        or not channel.verify_token
        or not hmac.compare_digest(token.encode("utf-8"), channel.verify_token.encode("utf-8"))
    ):
        raise DomainError("bad_verify_token", "The webhook verify token does not match.", status=403)
    challenge = query.get("hub.challenge") or ""
    if not challenge:
        raise DomainError("bad_handshake", "The handshake has no hub.challenge to answer.", status=400)
    return challenge


class HubWebhookAdapter:
    """Base for adapters signed and verified the Meta way; subclasses parse and send."""

    kind = ""

    def verify(self, channel: ChannelConfig, request: InboundRequest) -> None:
        verify_hub_signature(channel.secret, request.body, header(request, SIGNATURE_HEADER))

    def handshake(self, channel: ChannelConfig, query: dict[str, str]) -> str:
        return answer_handshake(channel, query)


# --- payload readers --------------------------------------------------------------------


def load_object(body: bytes) -> dict[str, Any]:
    """Decode a JSON object body, or raise ``ParseError("bad_payload")``."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError("bad_payload", f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ParseError("bad_payload", f"The body is a JSON {type(data).__name__}, not an object.")
    return data


def bad(where: str, what: str) -> ParseError:
    return ParseError("bad_payload", f"{where}: {what}.")


def obj(parent: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> dict[str, Any]:
    value = parent.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise bad(f"{where}.{key}", "missing" if value is None else "is not an object")
    return value


def items(parent: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> list[Any]:
    value = parent.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise bad(f"{where}.{key}", "missing" if value is None else "is not a list")
    return value


def text(parent: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    """A string field; numbers are accepted (providers are loose about ids)."""
    value = parent.get(key)
    if isinstance(value, bool):
        raise bad(f"{where}.{key}", "is not a string")
    if isinstance(value, (int, float)):
        return str(value)
    if value is None or value == "":
        if required:
            raise bad(f"{where}.{key}", "missing")
        return ""
    if not isinstance(value, str):
        raise bad(f"{where}.{key}", "is not a string")
    return value


def as_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad(where, "is not an object")
    return value


def from_unix(value: Any, where: str, *, millis: bool = False) -> dt.datetime:
    """Unix seconds (or milliseconds), as a number or numeric string, to aware UTC."""
    try:
        number = float(value)
        if isinstance(value, bool) or number != number:
            raise ValueError
        return dt.datetime.fromtimestamp(number / 1000 if millis else number, tz=dt.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        raise bad(where, f"{value!r} is not a unix timestamp") from None


def from_iso(value: str, where: str) -> dt.datetime:
    """ISO-8601 to aware UTC; a timestamp without an offset is taken as UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise bad(where, f"{value!r} is not an ISO-8601 timestamp") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


# --- outbound ---------------------------------------------------------------------------


IDEMPOTENCY_HEADER = "Idempotency-Key"


def post_json(url: str, payload: dict[str, Any], token: str, timeout: float = 10,
              idempotency_key: str = "") -> dict[str, Any]:
    """POST ``payload`` as JSON with a bearer token; return the decoded JSON answer.

    ``idempotency_key`` (the same for every attempt at one message) goes out as the
    ``Idempotency-Key`` header: a worker killed after the provider accepted a message but
    before it was marked sent sends it again, and the provider answers the repeat without
    delivering it twice.

    Raises ``SendError``: ``retryable=True`` for connection errors, timeouts, 429 and
    5xx; ``retryable=False`` for other non-2xx answers, carrying the provider's own
    error message. A 2xx answer that is not a JSON object returns ``{}``: the provider
    accepted the message, and treating it as a failure would send it twice.
    """
    if not url:
        raise SendError("This channel has no send URL configured.", retryable=False)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if idempotency_key:
        headers[IDEMPOTENCY_HEADER] = idempotency_key
    host = _host(url)
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False) as client:
            response = client.post(url, json=payload, headers=headers)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise SendError("The channel's send URL is not a valid http(s) URL.", retryable=False) from None
    except httpx.TimeoutException as exc:
        raise SendError(f"Timed out after {timeout:g}s talking to {host} ({type(exc).__name__}).", retryable=True) from None
    except httpx.TransportError as exc:
        raise SendError(f"Could not reach {host}: {_scrub(str(exc) or type(exc).__name__, token)}", retryable=True) from None
    except httpx.RequestError as exc:  # e.g. an undecodable answer: outcome unknown, try again
        raise SendError(f"Bad answer from {host}: {type(exc).__name__}", retryable=True) from None

    status = response.status_code
    if 200 <= status < 300:
        try:
            data = response.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    message = _scrub(_provider_message(response), token)
    retryable = status == 429 or status >= 500
    raise SendError(f"{host} answered {status}: {message}", retryable=retryable)


def _host(url: str) -> str:
    """Only the host goes into messages: paths and queries may carry ids or keys."""
    try:
        return httpx.URL(url).host or "the provider"
    except (httpx.InvalidURL, TypeError):
        return "the provider"


def _provider_message(response: httpx.Response) -> str:
    """The provider's error text: Graph API, Infobip and the usual generic shapes."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            for key in ("message", "error_user_msg", "title", "description"):
                if isinstance(error.get(key), str) and error[key]:
                    return error[key][:300]
        if isinstance(error, str) and error:
            return error[:300]
        exception = as_dict_path(data, "requestError", "serviceException")
        if isinstance(exception.get("text"), str):
            return exception["text"][:300]
        for key in ("message", "detail", "error_description", "title"):
            if isinstance(data.get(key), str) and data[key]:
                return data[key][:300]
    body = response.text.strip()
    return body[:300] if body else (response.reason_phrase or "no error message")


def as_dict_path(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    current: Any = data
    for key in keys:
        current = current.get(key) if isinstance(current, dict) else None
    return current if isinstance(current, dict) else {}


def _scrub(message: str, token: str) -> str:
    """Providers sometimes echo the credential back; never let it into a stored error."""
    return message.replace(token, "***") if token else message


def default_country(channel: ChannelConfig) -> str:
    """Country code for national numbers ("0812..."); ``config["default_country"]``, else 62."""
    return str((channel.config or {}).get("default_country") or "62")


def send_timeout(channel: ChannelConfig) -> float:
    """Seconds for one send; ``config["send_timeout"]``, else 10."""
    try:
        return float((channel.config or {}).get("send_timeout") or 10)
    except (TypeError, ValueError):
        return 10.0


def recipient_digits(to: str, default_country: str = "62") -> str:
    """Envelope recipient as international digits without "+", or a non-retryable error."""
    try:
        return normalize_phone(to, default_country)[1:]
    except ParseError as exc:
        raise SendError(exc.message, retryable=False) from None
