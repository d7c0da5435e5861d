"""The interface every channel adapter implements, and the adapter registry.

An adapter is edge code: it verifies a provider's request, parses a payload into
``NormalizedMessage`` objects and sends an ``OutboundEnvelope``. It never touches
tickets or customers; ``conversations.services.message_receive`` does that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from tanggap.channels.normalized import NormalizedMessage


class ChannelConfig(Protocol):
    """What an adapter may read of a configured channel (``channels.models.Channel``)."""

    kind: str
    slug: str
    secret: str  # webhook signing secret (HMAC-SHA256 key)
    verify_token: str  # GET handshake token (hub.verify_token)
    send_url: str  # provider-style endpoint for outbound messages
    send_token: str  # bearer token for that endpoint
    from_address: str  # email From / sender phone number id
    config: dict


@dataclass(frozen=True)
class InboundRequest:
    body: bytes
    headers: dict[str, str]  # lower-case names
    query: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboundEnvelope:
    to: str  # recipient address / phone / handle on that channel
    body_text: str
    subject: str = ""
    body_html: str = ""
    message_id: str = ""  # ours, e.g. "<tg.123.abc@tanggap.local>" for email
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    reply_to_external_id: str = ""  # provider id of the message being answered
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # (filename, type, content)
    # The same for every attempt at one message: a provider that honours it (the
    # ``Idempotency-Key`` header of HTTP senders) delivers a retried message once, even when
    # the worker died after the provider accepted it and before the message was marked sent.
    idempotency_key: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_id: str = ""  # the provider's id for the sent message, when it gives one


class SendError(Exception):
    """A send failed. ``retryable`` separates a timeout or 5xx from a 4xx that will never pass."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class Adapter(Protocol):
    kind: str

    def verify(self, channel: ChannelConfig, request: InboundRequest) -> None:
        """Raise ``DomainError`` (code ``bad_signature``, status 401) unless the request is authentic."""

    def handshake(self, channel: ChannelConfig, query: dict[str, str]) -> str:
        """Answer a provider's GET verification; raise ``DomainError`` when the token is wrong.

        The answer is served as text/plain unless the adapter has a ``handshake_content_type``
        attribute (X's CRC answer is a JSON object)."""

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        """Turn one stored raw payload into messages (none for status callbacks); raise ``ParseError``."""

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        """Deliver one message; raise ``SendError``. Must use a timeout."""


_REGISTRY: dict[str, Adapter] = {}


def register(adapter: Adapter) -> Adapter:
    _REGISTRY[adapter.kind] = adapter
    return adapter


def get_adapter(kind: str) -> Adapter:
    from tanggap.common.errors import DomainError

    _load_builtin()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise DomainError("unknown_channel", f"Unknown channel '{kind}'.", status=404) from None


def registered_kinds() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def _load_builtin() -> None:
    # Importing an adapter package registers it.
    import importlib

    for name in ("email", "whatsapp", "sms", "instagram", "messenger", "x", "web", "marketplace"):
        try:
            importlib.import_module(f"tanggap.channels.adapters.{name}")
        except ModuleNotFoundError as exc:  # an adapter not written yet
            if exc.name != f"tanggap.channels.adapters.{name}":
                raise
