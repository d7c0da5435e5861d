"""Instagram Messaging (Messenger Platform) adapter.

Inbound is Meta's ``messages`` webhook for Instagram, signed with ``X-Hub-Signature-256``::

    {"object": "instagram",
     "entry": [{"id": "<our IG account id>", "time": <ms>,
                "messaging": [{"sender": {"id": "<IGSID>"}, "recipient": {"id": "<our id>"},
                               "timestamp": <ms>,
                               "message": {"mid": "...", "text": "...",
                                           "attachments": [{"type": "image", "payload": {"url": "..."}}]}}]}]}

Only customer messages become ``NormalizedMessage``s. Skipped without error:

* echoes (``message.is_echo``): our own outbound messages, which Instagram delivers on
  the same subscription; taking them in would loop replies back as customer messages;
* ``read`` / ``reaction`` events and deleted (``is_deleted``) messages;
* entries with ``changes`` instead of ``messaging`` (comments, mentions).

Attachment URLs are short-lived CDN links; they go into the body (so an agent can open
them soon) and into ``meta["attachments"]`` for a later download step. Postbacks (a
tap on an ice-breaker or button) are kept as "[postback] title", like WhatsApp buttons.

The sender is an Instagram-scoped id, not a username: identity kind ``handle`` in the
``instagram`` namespace. The envelope, postbacks and the Send API are shared with Messenger
(``adapters/meta_messaging.py``).
"""

from __future__ import annotations

from typing import Any

from tanggap.channels.adapters.base import register
from tanggap.channels.adapters.meta_messaging import MessagingPlatformAdapter

KIND = "instagram"


class InstagramAdapter(MessagingPlatformAdapter):
    kind = KIND
    label = "Instagram"
    object_name = KIND

    def skip(self, message: dict[str, Any]) -> bool:
        return bool(message.get("is_echo") or message.get("is_deleted"))

    def extra_lines(self, message: dict[str, Any]) -> list[str]:
        return ["[unsupported message]"] if message.get("is_unsupported") else []


register(InstagramAdapter())
