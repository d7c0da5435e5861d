"""Tell staff something in the console. Idempotent by ``dedupe_key``."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tanggap.common.clock import now
from tanggap.notifications.models import Notification


def notify(*, users, kind: str, text: str, ticket=None, dedupe_key: str = "") -> list[Notification]:
    """One notification per distinct user (None entries skipped); a user who already has a
    notification with this dedupe_key gets no second one."""
    created = []
    seen = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(user=user, ticket=ticket, kind=kind, text=text[:500],
                                                           dedupe_key=dedupe_key[:120]))
        except IntegrityError:  # stored concurrently by another worker
            continue
    return created


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now())
