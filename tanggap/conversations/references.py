"""Ticket references as customers see them: ``TG-000123`` (``Ticket.reference``)."""

from __future__ import annotations

import re

_TICKET_REF = re.compile(r"(?<![A-Za-z0-9])(\[)?TG-?0*(\d{1,9})(?(1)\]|)(?!\d)", re.IGNORECASE)


def extract_ticket_reference(subject: str) -> str | None:
    """Find ``[TG-000123]``, ``TG-123`` or ``TG123`` in a subject; return it as ``TG-000123``.

    A bracketed reference wins over a bare one, because quoting a ticket number in
    free text ("about TG-12") is less deliberate than our own reply subject tag.
    """
    matches = list(_TICKET_REF.finditer(subject or ""))
    if not matches:
        return None
    best = next((m for m in matches if m.group(1)), matches[0])
    return f"TG-{int(best.group(2)):06d}"


def ticket_id_from_reference(subject: str) -> int | None:
    ref = extract_ticket_reference(subject)
    return int(ref[3:]) if ref else None
