"""Facebook Messenger (Messenger Platform) adapter.

Inbound is the Page's ``messages`` webhook, signed with ``X-Hub-Signature-256`` (the app
secret) and registered with the ``hub.verify_token`` GET handshake::

    {"object": "page",
     "entry": [{"id": "<our Page id>", "time": <ms>,
                "messaging": [{"sender": {"id": "<PSID>"}, "recipient": {"id": "<our Page id>"},
                               "timestamp": <ms>,
                               "message": {"mid": "m_...", "text": "...",
                                           "attachments": [{"type": "image", "payload": {"url": "..."}}]}}]}]}

Only customer messages become ``NormalizedMessage``s. Skipped without error:

* echoes (``message.is_echo``): what the Page sent, delivered on the same subscription when
  ``message_echoes`` is on; taking them in would loop replies back as customer messages;
* ``delivery``, ``read``, ``reaction``, ``optin``, ``referral`` and ``account_linking`` events;
* ``standby`` entries (another app holds the thread under the handover protocol).

Attachments: ``image``/``video``/``audio``/``file`` carry a CDN URL (into the body and
``meta["attachments"]``, as Instagram's); a sticker is an image with ``payload.sticker_id``
(the thumbs-up "like" among them) and reads ``[sticker] <url>``; ``fallback`` (a shared link)
gives its title and URL; ``location`` its coordinates. Postbacks (a tap on a button or the
Get Started button) are kept as "[postback] title".

The sender is a Page-scoped id (PSID), not a username: identity kind ``handle`` in the
``messenger`` namespace. The webhook carries no name; the agent sees the PSID until the
customer is merged with another identity.

Outbound is the Send API, ``POST https://graph.facebook.com/v21.0/<PAGE_ID>/messages``
(the channel's ``send_url``) with the Page access token as bearer (``send_token``)::

    {"recipient": {"id": "<PSID>"}, "messaging_type": "RESPONSE", "message": {"text": "..."}}

``RESPONSE`` is the type for an answer inside the 24-hour window the customer's last message
opened; Meta refuses it (a 400, not retried) once the window has closed. The envelope,
postbacks and the Send API are shared with Instagram (``adapters/meta_messaging.py``).
"""

from __future__ import annotations

from typing import Any

from tanggap.channels.adapters.base import register
from tanggap.channels.adapters.meta_messaging import MessagingPlatformAdapter
from tanggap.channels.adapters.webhook import as_dict_path, text

KIND = "messenger"


class MessengerAdapter(MessagingPlatformAdapter):
    kind = KIND
    label = "Messenger"
    object_name = "page"
    send_fields = {"messaging_type": "RESPONSE"}

    def attachment(self, attachment: dict[str, Any], where: str) -> tuple[str, dict[str, str]]:
        return _attachment(attachment, where)


def _attachment(attachment: dict[str, Any], where: str) -> tuple[str, dict[str, str]]:
    """(the line for the body, the entry for ``meta["attachments"]``)."""
    kind = text(attachment, "type", where, required=False) or "attachment"
    payload = as_dict_path(attachment, "payload")
    if kind == "location":
        coordinates = as_dict_path(payload, "coordinates")
        lat = text(coordinates, "lat", f"{where}.payload.coordinates", required=False)
        lon = text(coordinates, "long", f"{where}.payload.coordinates", required=False)
        url = f"https://maps.google.com/?q={lat},{lon}" if lat and lon else ""
        title = text(attachment, "title", where, required=False)
        return _line(kind, title, url), {"type": kind, "url": url}
    # A fallback (a shared link) puts its URL in the payload on current API versions and
    # beside it on older ones.
    url = (text(payload, "url", f"{where}.payload", required=False)
           or text(attachment, "url", where, required=False))
    if kind == "image" and payload.get("sticker_id") is not None:
        kind = "sticker"
    title = text(attachment, "title", where, required=False) if kind == "fallback" else ""
    return _line(kind, title, url), {"type": kind, "url": url}


def _line(kind: str, *parts: str) -> str:
    return " ".join([f"[{kind}]", *(p for p in parts if p)])


register(MessengerAdapter())
