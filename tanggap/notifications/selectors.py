from __future__ import annotations

from tanggap.notifications.models import Notification


def notifications_for(*, user, unread_only: bool = False, limit: int = 50):
    qs = Notification.objects.filter(user=user).select_related("ticket")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs.order_by("-created_at", "-id")[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
