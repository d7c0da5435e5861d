"""Outbound delivery: the worker sends queued messages with retries and backoff.

A message row is the job: ``delivery_status`` + ``next_attempt_at`` say what is due,
so a crash or restart loses nothing; the sweep finds whatever is due or stuck.
Claiming is a conditional UPDATE, so two workers never send the same attempt.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from tanggap.channels.adapters.base import OutboundEnvelope, SendError, get_adapter
from tanggap.channels.lookup import channel_for
from tanggap.common.clock import now
from tanggap.conversations.choices import Delivery, TimelineKind
from tanggap.conversations.models import DeliveryAttempt, Message
from tanggap.conversations.services import timeline_add
from tanggap.events import names
from tanggap.events.bus import publish

log = logging.getLogger(__name__)
STUCK_AFTER = dt.timedelta(minutes=10)


def backoff(attempt: int) -> dt.timedelta:
    """Exponential: base, 2×base, 4×base ... capped at 6 hours."""
    return dt.timedelta(seconds=min(settings.TANGGAP_OUTBOUND_BACKOFF_SECONDS * 2 ** (attempt - 1), 6 * 3600))


def idempotency_key(message: Message) -> str:
    """The same for every attempt at one message, and not repeated by another database whose
    ids start again at 1 (the creation time, to the microsecond, goes with the id)."""
    return f"tanggap-{message.pk}-{int(message.created_at.timestamp() * 1_000_000)}"


def _envelope(message: Message) -> OutboundEnvelope:
    return OutboundEnvelope(
        to=message.recipient, body_text=message.body_text, body_html=message.body_html, subject=message.subject,
        message_id=message.message_id_header, in_reply_to=message.in_reply_to,
        references=[r for r in message.references.split() if r],
        reply_to_external_id=message.meta.get("reply_to_external_id", ""),
        idempotency_key=idempotency_key(message),
    )


def message_deliver(*, message_id: int) -> str:
    """One delivery attempt if the message is due. Returns the outcome (for logs and tests)."""
    t = now()
    with transaction.atomic():  # SQLite: the claim waits its turn at the write lock, no busy-handler naps
        claimed = Message.objects.filter(
            Q(next_attempt_at__lte=t) | Q(next_attempt_at__isnull=True),
            pk=message_id, delivery_status=Delivery.QUEUED,
        ).update(delivery_status=Delivery.SENDING, attempts=F("attempts") + 1, next_attempt_at=t)
    if not claimed:
        return "skipped"
    message = Message.objects.select_related("ticket__channel").get(pk=message_id)
    channel = message.ticket.channel
    if channel.kind != message.channel_kind:  # e.g. a web-form ticket answered by email
        channel = channel_for(kind=message.channel_kind)
    started = now()
    try:
        result = get_adapter(channel.kind).send(channel, _envelope(message))
    except SendError as exc:
        return _record_failure(message, started, str(exc), retryable=exc.retryable)
    except Exception as exc:  # an adapter bug must not leave the message stuck in "sending"
        log.exception("adapter %s crashed sending message %s", channel.kind, message_id)
        return _record_failure(message, started, f"{type(exc).__name__}: {exc}", retryable=True)
    with transaction.atomic():
        _record_sent(message, started, result.provider_id)
    return "sent"


def _record_sent(message: Message, started, provider_id: str, *, status_written: bool = False) -> None:
    if not status_written:
        Message.objects.filter(pk=message.pk).update(
            delivery_status=Delivery.SENT, provider_id=provider_id[:200], last_error="", next_attempt_at=None)
    DeliveryAttempt.objects.create(message=message, number=message.attempts, started_at=started,
                                   finished_at=now(), outcome="sent")
    timeline_add(ticket=message.ticket, kind=TimelineKind.DELIVERED, message=message, attempts=message.attempts)
    publish(names.MESSAGE_DELIVERED, ticket_id=message.ticket_id, message_id=message.pk,
            channel_kind=message.channel_kind)


def message_sent_in_transaction(*, message: Message, provider_id: str) -> None:
    """Record, inside the caller's transaction, the delivery of a queued message whose sending
    *is* a row written in that same transaction (a live chat reply: its chat event, which the
    visitor's stream reads). The same rows as the worker's successful attempt (one attempt, the
    timeline's "delivered", ``message.delivered``), with no job, claim or worker round trip:
    ``enqueue_delivery`` queues no job for a message no longer queued."""
    at = now()
    counted = Message.objects.filter(pk=message.pk, delivery_status=Delivery.QUEUED).update(
        attempts=F("attempts") + 1, delivery_status=Delivery.SENT, provider_id=provider_id[:200], last_error="",
        next_attempt_at=None)  # one statement for the attempt's count and its outcome
    message.attempts += 1
    message.delivery_status = Delivery.SENT
    _record_sent(message, at, provider_id, status_written=bool(counted))


def _record_failure(message: Message, started, error: str, *, retryable: bool) -> str:
    error = error[:2000]
    give_up = not retryable or message.attempts >= settings.TANGGAP_OUTBOUND_MAX_ATTEMPTS
    with transaction.atomic():
        if give_up:
            Message.objects.filter(pk=message.pk).update(delivery_status=Delivery.FAILED, last_error=error,
                                                         next_attempt_at=None)
            timeline_add(ticket=message.ticket, kind=TimelineKind.DELIVERY_FAILED, message=message,
                         error=error, attempts=message.attempts)
            publish(names.MESSAGE_FAILED, ticket_id=message.ticket_id, message_id=message.pk,
                    channel_kind=message.channel_kind)
        else:
            due = now() + backoff(message.attempts)
            Message.objects.filter(pk=message.pk).update(delivery_status=Delivery.QUEUED, last_error=error,
                                                         next_attempt_at=due)
            transaction.on_commit(lambda: _enqueue(message.pk, due))
        DeliveryAttempt.objects.create(message=message, number=message.attempts, started_at=started,
                                       finished_at=now(), outcome="failed" if give_up else "retry", error=error)
    return "failed" if give_up else "retry"


def _enqueue(message_id: int, run_after=None) -> None:
    from tanggap.conversations.tasks import deliver_message

    task = deliver_message.using(run_after=run_after) if run_after else deliver_message
    task.enqueue(message_id=message_id)


def outbound_sweep() -> int:
    """Deliver whatever is due, and requeue messages a crashed worker left in "sending"."""
    t = now()
    Message.objects.filter(delivery_status=Delivery.SENDING, next_attempt_at__lt=t - STUCK_AFTER).update(
        delivery_status=Delivery.QUEUED)
    due = list(Message.objects.filter(delivery_status=Delivery.QUEUED, next_attempt_at__lte=t)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    for pk in due:
        message_deliver(message_id=pk)
    return len(due)
