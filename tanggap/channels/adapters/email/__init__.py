"""Email channel: raw RFC 5322 in (upload endpoint, IMAP poll, mbox import), SMTP out.

* ``parse.parse_email`` — raw bytes → ``NormalizedMessage`` (never raises on merely
  broken mail; ``ParseError`` only for non-email or sender-less input).
* ``smtp.send_email`` — one reply through Django's SMTP backend, threaded with
  Message-ID / In-Reply-To / References.
* ``imap.imap_poll`` — fetch unprocessed mail, hand each raw message to a ``store``
  callback, and mark it processed only after the callback succeeded.

The inbound endpoint is authenticated by the API token, not by a provider signature,
so ``verify`` has nothing to check and there is no GET handshake.
"""

from __future__ import annotations

from django.conf import settings

from tanggap.channels.adapters.base import ChannelConfig, InboundRequest, OutboundEnvelope, SendResult, register
from tanggap.channels.adapters.email.parse import DEFAULT_MAX_ATTACHMENT_BYTES, parse_email
from tanggap.channels.adapters.email.smtp import send_email
from tanggap.channels.normalized import NormalizedMessage
from tanggap.common.errors import DomainError

__all__ = ["EmailAdapter", "parse_email", "send_email"]

KIND = "email"


class EmailAdapter:
    kind = KIND

    def verify(self, channel: ChannelConfig, request: InboundRequest) -> None:
        """Nothing to verify: the upload endpoint is token-authenticated."""

    def handshake(self, channel: ChannelConfig, query: dict[str, str]) -> str:
        raise DomainError("not_supported", "The email channel has no webhook handshake.", status=405)

    def parse(self, channel: ChannelConfig, body: bytes) -> list[NormalizedMessage]:
        limit = getattr(settings, "TANGGAP_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)
        return [parse_email(body, max_attachment_bytes=limit)]

    def send(self, channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
        return send_email(channel, envelope)


register(EmailAdapter())
