"""Reads of stored inbound payloads (for admins)."""

from __future__ import annotations

from django.db.models import BinaryField
from django.db.models.functions import Substr

from tanggap.channels.models import InboundRaw
from tanggap.common.errors import NotFound
from tanggap.common.pagination import Page, keyset_page

RAW_PREVIEW_BYTES = 20 * 1024


def inbound_rejected_list(*, cursor: str | None = None, limit: int = 50) -> Page:
    qs = (InboundRaw.objects.filter(status=InboundRaw.Status.REJECTED)
          .select_related("channel").defer("body"))
    return keyset_page(qs, order=["-received_at", "-id"], cursor=cursor, limit=limit)


def inbound_rejected_get(*, raw_id: int) -> tuple[InboundRaw, str]:
    """A rejected payload and the first 20 KB of its body decoded as text (for an admin to read)."""
    raw = (InboundRaw.objects.select_related("channel").defer("body")
           .annotate(head=Substr("body", 1, RAW_PREVIEW_BYTES, output_field=BinaryField()))
           .filter(pk=raw_id, status=InboundRaw.Status.REJECTED).first())
    if raw is None:
        raise NotFound("inbound_not_found", f"Rejected inbound payload {raw_id} does not exist.")
    return raw, bytes(raw.head or b"").decode("utf-8", errors="replace")
