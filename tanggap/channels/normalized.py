"""The one shape every channel adapter parses its inbound payloads into.

``message_receive`` (conversations.services) only ever sees these; it never knows
which wire format a message came in on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Identity kinds a customer can be found by. A handle is scoped by its channel
# (an Instagram handle and a chat visitor id are different namespaces).
IDENTITY_EMAIL = "email"
IDENTITY_PHONE = "phone"
IDENTITY_HANDLE = "handle"


@dataclass(frozen=True)
class InboundIdentity:
    kind: str  # email | phone | handle
    value: str  # already normalised: lower-case email, E.164-ish digits for phone
    name: str = ""
    namespace: str = ""  # for handles: the channel kind ("instagram", "chat", ...)


@dataclass(frozen=True)
class NormalizedAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False


@dataclass
class NormalizedMessage:
    channel: str  # channel kind: email | whatsapp | sms | instagram | web | api
    external_id: str  # Message-ID or provider id; the idempotency key with ``channel``
    sender: InboundIdentity
    body_text: str
    subject: str = ""
    body_html: str = ""  # already sanitised with nh3
    sent_at: dt.datetime | None = None  # aware UTC
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    attachments: list[NormalizedAttachment] = field(default_factory=list)
    # Auto-replies, bounces, bulk mail: stored, never answered.
    automated: bool = False
    automated_reason: str = ""
    meta: dict = field(default_factory=dict)
