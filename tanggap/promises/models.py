"""Promises: the date and time by which the customer was told their problem will be solved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class PromiseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    KEPT = "kept", _("Kept")
    REDATED = "redated", _("Re-dated")
    BROKEN = "broken", _("Broken")


class Promise(models.Model):
    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="promises")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=PromiseStatus.choices, default=PromiseStatus.ACTIVE)
    # Why the date moved (on the promise that replaced an earlier one).
    reason = models.TextField(blank=True)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next")
    made_at = models.DateTimeField(default=now)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The outbound message that told the customer.
    message = models.ForeignKey("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    warn_at = models.DateTimeField(null=True, blank=True)
    warned = models.BooleanField(default=False)
    settled_at = models.DateTimeField(null=True, blank=True)
    # Who answers for the outcome: the ticket's assignee and team when it was settled.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(status="active"), name="promise_one_active"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="promise_status_due"),
            models.Index(fields=["status", "warn_at"], name="promise_status_warn"),
            models.Index(fields=["ticket", "-made_at"], name="promise_ticket_made"),
        ]
