"""Finding the configured channel of a kind (no dependency on conversations)."""

from __future__ import annotations

import functools

from tanggap.channels.models import Channel
from tanggap.common.errors import NotFound
from tanggap.common.fastsql import Shape, column, fetch_one, quoted

DEFAULT_NAMES = {"email": "Email", "whatsapp": "WhatsApp", "sms": "SMS", "instagram": "Instagram",
                 "messenger": "Messenger", "x": "X (Twitter)", "web": "Web form", "api": "API", "chat": "Live chat", "phone": "Phone",
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
    channel = _default_of(kind)
    if channel is None:
        channel, _ = Channel.objects.get_or_create(slug=kind, defaults={"kind": kind, "name": DEFAULT_NAMES[kind]})
    return channel


@functools.cache
def _default_query() -> tuple[Shape, str]:
    shape = Shape((Channel, "c"))
    sql = (f"SELECT {shape.select} FROM {quoted(Channel)} c WHERE c.{column(Channel, 'kind')} = %s "
           f"AND c.{column(Channel, 'active')} = %s ORDER BY c.{column(Channel, 'id')} LIMIT 1")
    return shape, sql


def _default_of(kind: str) -> Channel | None:
    """The first active channel of a kind: every API intake asks, so one hand-written SELECT
    (``common.fastsql``: 25 µs instead of the ORM's 0.4 ms), read anew each time."""
    shape, sql = _default_query()
    row = fetch_one(sql, [kind, True])
    return shape.instances(row)[0] if row else None


@functools.cache
def _default_id_query() -> str:
    return (f"SELECT c.{column(Channel, 'id')} FROM {quoted(Channel)} c WHERE c.{column(Channel, 'kind')} = %s "
            f"AND c.{column(Channel, 'active')} = %s ORDER BY c.{column(Channel, 'id')} LIMIT 1")


def default_channel_id(kind: str) -> int | None:
    """The id of the channel ``channel_for(kind=kind)`` returns, or None when it would have to
    create it or refuse the kind (the intake fast path then leaves the request to Django)."""
    if kind not in DEFAULT_NAMES:
        return None
    row = fetch_one(_default_id_query(), [kind, True])
    return row[0] if row else None
