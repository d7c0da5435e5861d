"""Writes of triage: the result per inbound message and what is applied to its ticket."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import transaction

from tanggap.common.clock import now
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.triage import category, ml, sentiment, urgency
from tanggap.triage.models import MessageTriage

log = logging.getLogger(__name__)

PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
# Confidence needed before triage sets the category of a ticket nobody has categorised yet.
APPLY_CATEGORY_MIN = {"trained": 0.5, "starting": 0.5}
RETRAIN_JOB = "triage_category_retrain"
RETRAIN_EVERY = dt.timedelta(hours=24)


def _text(message) -> str:
    return f"{message.subject}\n{message.body_text}".strip()


def _unanswered(message) -> int:
    from tanggap.conversations.choices import Direction
    from tanggap.conversations.models import Message

    last_out = (Message.objects.filter(ticket_id=message.ticket_id, direction=Direction.OUTBOUND,
                                       created_at__lte=message.created_at)
                .order_by("-created_at").values_list("created_at", flat=True).first())
    qs = Message.objects.filter(ticket_id=message.ticket_id, direction=Direction.INBOUND, automated=False,
                                created_at__lte=message.created_at)
    if last_out:
        qs = qs.filter(created_at__gt=last_out)
    return qs.count()


def _promise_broken(ticket_id: int) -> bool:
    try:
        from tanggap.promises.models import Promise
    except ImportError:  # pragma: no cover - promises is part of the product
        return False
    return Promise.objects.filter(ticket_id=ticket_id, status="broken").exists()


def _human_changed(ticket_id: int, kind: str) -> bool:
    from tanggap.conversations.models import TimelineEntry

    return TimelineEntry.objects.filter(ticket_id=ticket_id, kind=kind, actor__isnull=False).exists()


def message_triage(*, message_id: int) -> MessageTriage | None:
    """Read one inbound message (language, sentiment, category, urgency), store the result and
    apply what is safe to its ticket. Runs in the worker, never in the intake request. Safe to
    run twice: the row is updated, and the ticket is only changed where it still needs it."""
    from tanggap.conversations.choices import Direction
    from tanggap.conversations.models import Message

    message = Message.objects.select_related("ticket").filter(pk=message_id).first()
    if message is None or message.direction != Direction.INBOUND:
        return None
    text = _text(message)
    t0 = time.perf_counter()
    timings = {}
    lang, lang_conf = ml.detect_language(text)
    timings["language"] = round((time.perf_counter() - t0) * 1000, 1)
    t = time.perf_counter()
    vec = ml.embed([text])
    timings["embed"] = round((time.perf_counter() - t) * 1000, 1)
    t = time.perf_counter()
    ((sent, score),), sent_version = sentiment.predict_with_version(vec, [text])
    timings["sentiment"] = round((time.perf_counter() - t) * 1000, 1)
    t = time.perf_counter()
    (cat, conf), = (preds := category.predict(vec, [text]))[0]
    cat_source, cat_version = preds[1], preds[2]
    timings["category"] = round((time.perf_counter() - t) * 1000, 1)
    level, reasons = urgency.assess(text, sentiment=sent, unanswered=_unanswered(message),
                                    promise_broken=_promise_broken(message.ticket_id))
    timings["total"] = round((time.perf_counter() - t0) * 1000, 1)
    with transaction.atomic():
        triage, _ = MessageTriage.objects.update_or_create(message=message, defaults=dict(
            ticket_id=message.ticket_id, language=lang, language_confidence=round(lang_conf, 3),
            category=cat, category_confidence=conf, category_source=cat_source,
            sentiment=sent, sentiment_score=score, urgency=level, urgency_reasons=reasons,
            model_versions={"sentiment": sent_version, "category": cat_version, "embedding": ml.E5_MODEL,
                            "language": "lingua-2"},
            timings_ms=timings, created_at=now()))
        triage.applied = _apply(triage)
        triage.save(update_fields=["applied"])
        publish(names.MESSAGE_TRIAGED, message_id=message.pk, ticket_id=message.ticket_id, language=lang,
                category=cat, sentiment=sent, urgency=level)
    return triage


def _apply(triage: MessageTriage) -> dict:
    """What triage may change on the ticket, through conversations' own service (actor None: the
    timeline shows the change as the system's):

    - category, when the ticket still has the default "other" and no person ever set it, and the
      model is confident enough;
    - priority, raised (never lowered) to "urgent" for urgent + negative messages and to "high"
      for high + negative ones, unless a person has set the priority on this ticket.
    """
    from tanggap.conversations.choices import Category, Status, TimelineKind
    from tanggap.conversations.models import Ticket
    from tanggap.conversations.services import ticket_update

    ticket = Ticket.objects.get(pk=triage.ticket_id)
    if ticket.status in (Status.SOLVED, Status.CLOSED):
        return {}
    changes, applied = {}, {}
    if (ticket.category == Category.OTHER and triage.category not in ("", Category.OTHER)
            and triage.category_confidence >= APPLY_CATEGORY_MIN.get(triage.category_source, 1)
            and not _human_changed(ticket.pk, TimelineKind.CATEGORY)):
        changes["category"] = applied["category"] = triage.category
    if triage.sentiment == "negative" and triage.urgency in ("urgent", "high"):
        target = triage.urgency
        if (PRIORITY_RANK[target] > PRIORITY_RANK.get(ticket.priority, 1)
                and not _human_changed(ticket.pk, TimelineKind.PRIORITY)):
            changes["priority"] = applied["priority"] = target
    if changes:
        ticket_update(ticket=ticket, actor=None, **changes)
    return applied


def retrain_if_due(*, at=None) -> bool:
    """Claim the daily retraining of the category model (a ``common.PeriodicJob`` row claimed with
    a conditional UPDATE, so many workers enqueue it once) and enqueue it. Called after each
    triage; returns whether this call enqueued it."""
    from tanggap.common.models import PeriodicJob

    at = at or now()
    job, _ = PeriodicJob.objects.get_or_create(
        name=RETRAIN_JOB, defaults={"interval_seconds": int(RETRAIN_EVERY.total_seconds()), "next_run_at": at})
    if job.next_run_at > at:
        return False
    with transaction.atomic():
        won = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
            next_run_at=at + RETRAIN_EVERY, last_run_at=at)
        if won:
            from tanggap.triage.tasks import category_retrain, sentiment_retrain

            transaction.on_commit(lambda: category_retrain.enqueue(), robust=True)
            transaction.on_commit(lambda: sentiment_retrain.enqueue(), robust=True)
    return bool(won)


def sentiment_label_set(*, triage: MessageTriage, label: str, actor) -> MessageTriage:
    """An agent's reading of a message's sentiment: the label the sentiment model learns from
    (``sentiment.train_from_labels``). The caller has checked the agent may see the ticket."""
    if label not in sentiment.LABELS:
        raise ValueError(f"unknown sentiment {label!r}")
    triage.sentiment_label = label
    triage.sentiment_labelled_by = actor
    triage.sentiment_labelled_at = now()
    triage.save(update_fields=["sentiment_label", "sentiment_labelled_by", "sentiment_labelled_at"])
    return triage
