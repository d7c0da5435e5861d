"""Finding the configured channel of a kind (no dependency on conversations)."""

from __future__ import annotations

from tanggap.channels.models import Channel
from tanggap.common.errors import NotFound

DEFAULT_NAMES = {"email": "Email", "whatsapp": "WhatsApp", "sms": "SMS", "instagram": "Instagram",
                 "web": "Web form", "api": "API", "chat": "Chat",
                 "marketplace": "Marketplace reviews"}


def channel_for(*, kind: str, slug: str | None = None) -> Channel:
    """The configured channel (by slug), or the default channel of a kind, created on first use."""
    if slug:
        channel = Channel.objects.filter(slug=slug, active=True).first()
        if channel is None:
            raise NotFound("unknown_channel", f"No active channel '{slug}'.")
        return channel
    if kind not in DEFAULT_NAMES:
        raise NotFound("unknown_channel", f"Unknown channel '{kind}'. Known: {', '.join(sorted(DEFAULT_NAMES))}.")
    channel = Channel.objects.filter(kind=kind, active=True).order_by("id").first()
    if channel is None:
        channel, _ = Channel.objects.get_or_create(slug=kind, defaults={"kind": kind, "name": DEFAULT_NAMES[kind]})
    return channel
