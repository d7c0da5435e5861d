"""Intake: store every inbound payload raw first, then parse it into messages.

``inbound_store`` commits the raw bytes before anything else happens, so nothing
that was accepted can be lost; ``inbound_process`` parses with the channel's adapter
and hands each message to ``conversations.services.message_receive``. A payload that
cannot be parsed stays stored with the reason, visible to admins. A payload left in
"received" by a crash is picked up again by ``inbound_sweep``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from tanggap.channels.adapters.base import get_adapter
from tanggap.channels.lookup import DEFAULT_NAMES, channel_for  # noqa: F401  (re-exported)
from tanggap.channels.models import Channel, InboundRaw
from tanggap.common.clock import now
from tanggap.common.errors import DomainError, ParseError, PayloadTooLarge
from tanggap.common.fastsql import insert, update
from tanggap.conversations.services import ReceiveResult, message_receive
from tanggap.events import names
from tanggap.events.bus import publish

log = logging.getLogger(__name__)

def inbound_store(*, channel: Channel | None = None, body: bytes, content_type: str = "", source: str = "",
                  channel_id: int | None = None) -> InboundRaw:
    """The raw payload, stored as it came (``channel``, or just its id)."""
    if len(body) > settings.TANGGAP_MAX_BODY_BYTES:
        raise PayloadTooLarge("payload_too_large",
                              f"The payload is {len(body)} bytes; the limit is {settings.TANGGAP_MAX_BODY_BYTES}.")
    if not body:
        raise DomainError("empty_payload", "The request body is empty.")
    # One INSERT, atomic on its own (no savepoint inside inbound_accept's transaction), written
    # by common.fastsql: every API and webhook intake passes here.
    if channel is not None:
        channel_id = channel.pk
    return insert(InboundRaw(channel_id=channel_id, body=body, size=len(body), content_type=content_type[:100],
                             source=source))


def _reject(raw: InboundRaw, code: str, reason: str) -> None:
    with transaction.atomic():
        InboundRaw.objects.filter(pk=raw.pk).update(status=InboundRaw.Status.REJECTED, reason_code=code[:50],
                                                    reason=reason, processed_at=now())
        publish(names.INBOUND_REJECTED, raw_id=raw.pk, code=code)


def inbound_process(*, raw: InboundRaw) -> list[ReceiveResult]:
    """Parse a stored payload and receive its messages. Raises ParseError after recording it."""
    channel = raw.channel
    if raw.source == "api":  # the generic JSON shape, whatever the channel
        from tanggap.channels.adapters.generic import parse_generic

        parse = lambda ch, body: parse_generic(body)  # noqa: E731
    else:
        parse = get_adapter(channel.kind).parse
    try:
        messages = parse(channel, bytes(raw.body))
    except ParseError as exc:
        _reject(raw, exc.code, exc.message)
        raise
    except Exception as exc:  # an adapter bug: keep the payload, record why, never a 500
        log.exception("adapter %s failed to parse inbound %s", channel.kind, raw.pk)
        _reject(raw, "parser_error", f"{type(exc).__name__}: {exc}")
        raise ParseError("parser_error", "The payload could not be parsed; it was kept for an admin.") from exc
    results = []
    try:
        for msg in messages:
            results.append(message_receive(msg=msg, channel=channel, raw=raw))
    except DomainError as exc:
        _reject(raw, exc.code, exc.message)
        raise ParseError(exc.code, exc.message) from exc
    update(InboundRaw, raw.pk, status=InboundRaw.Status.PROCESSED, processed_at=now(),
           messages_created=sum(1 for r in results if r.created))
    return results


def inbound_receive(*, channel: Channel, body: bytes, content_type: str = "", source: str = "") -> list[ReceiveResult]:
    """Store, then process at once (the caller gets ticket ids back)."""
    raw = inbound_store(channel=channel, body=body, content_type=content_type, source=source)
    return inbound_process(raw=raw)


def inbound_accept(*, channel: Channel | None = None, body: bytes, content_type: str = "", source: str = "",
                   channel_id: int | None = None) -> InboundRaw:
    """Store and queue, for a caller that answers at once (the inbound path: verify, store the
    raw payload, enqueue, answer): the payload and its job commit in one transaction, so an
    accepted payload is always processed, by its job or, after a crash, by ``inbound_sweep``."""
    from tanggap.channels.tasks import process_inbound

    with transaction.atomic():
        raw = inbound_store(channel=channel, channel_id=channel_id, body=body, content_type=content_type,
                            source=source)
        process_inbound.enqueue(raw_id=raw.pk)
    return raw


def inbound_process_queued(*, raw_id: int) -> int:
    """The job of ``inbound_accept``: process the payload unless that already happened (the
    sweep got to it first, or this job runs twice). Returns the number of messages received."""
    raw = InboundRaw.objects.select_related("channel").filter(pk=raw_id, status=InboundRaw.Status.RECEIVED).first()
    if raw is None:
        return 0
    try:
        return len(inbound_process(raw=raw))
    except ParseError:  # recorded on the payload with its reason
        return 0


def inbound_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    """Process payloads that were stored but never processed (a crash between the two steps)."""
    count = 0
    for raw in InboundRaw.objects.filter(status=InboundRaw.Status.RECEIVED, received_at__lt=now() - older_than)[:500]:
        try:
            inbound_process(raw=raw)
        except ParseError:
            pass
        count += 1
    return count
