"""In-console notifications for staff: SLA warnings and breaches, promises about to lapse,
remedies waiting for approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tanggap.common.clock import now


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # sla.warning, sla.breached, promise.warning, promise.broken, remedy.approval
    text = models.CharField(max_length=500)
    # The same warning is stored once per user however often it is evaluated.
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_dedupe"),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_user_unread")]
