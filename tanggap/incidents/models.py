"""Incidents (a problem hitting many customers at once), the playbooks that say how to handle
each kind, the tasks they create, and the proactive notices sent to affected customers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class ProblemType(models.TextChoices):
    COURIER_DELAY = "courier_delay", _("Courier delay")
    DEFECTIVE_BATCH = "defective_batch", _("Defective batch")
    PAYMENT_FAILURE = "payment_failure", _("Payment failure")
    OUTAGE = "outage", _("Outage")
    OTHER = "other", _("Other")


class Playbook(models.Model):
    """How to handle one problem type: steps, customer wording (id/ms/en) and the remedy offered."""

    name = models.CharField(max_length=120, unique=True)
    problem_type = models.CharField(max_length=20, choices=ProblemType.choices)
    active = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    # {"id": "...", "ms": "...", "en": "..."}: the proactive notice; placeholders as in texts
    notice_templates = models.JSONField(default=dict, blank=True)
    # {"id": ..., ...}: the answer to a customer who writes in about the incident
    status_templates = models.JSONField(default=dict, blank=True)
    remedy_kind = models.CharField(max_length=10, blank=True)  # a remedies.RemedyKind, or blank
    remedy_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    owner_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deadline_minutes = models.PositiveIntegerField(default=60)  # after the incident starts

    class Meta:
        ordering = ["playbook", "position", "id"]


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")


class Incident(models.Model):
    title = models.CharField(max_length=200)
    problem_type = models.CharField(max_length=20, choices=ProblemType.choices, default=ProblemType.OTHER)
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    # What it touches: any of {"product_ids": [...], "region": "...", "courier": "...",
    # "category": "...", "channel": "..."}; an empty scope matches nothing.
    scope = models.JSONField(default=dict, blank=True)
    window_start = models.DateTimeField(default=now)
    window_end = models.DateTimeField(null=True, blank=True)
    # What customers are told while it lasts, per language, and the date things should be normal.
    customer_status = models.JSONField(default=dict, blank=True)
    expected_resolution_at = models.DateTimeField(null=True, blank=True)
    playbook = models.ForeignKey(Playbook, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    opened_at = models.DateTimeField(default=now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The first alert that opened it (alerts.Alert), for detection-delay measures.
    first_alert_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-opened_at"], name="incident_status_opened")]

    def __str__(self) -> str:
        return self.title


class IncidentTicket(models.Model):
    """A ticket linked to an incident (automatically by scope, or by an agent)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="incident_links")
    linked_at = models.DateTimeField(default=now)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered = models.BooleanField(default=False)  # got the incident's status automatically

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "ticket"], name="incident_ticket_unique")]


class IncidentTask(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(PlaybookStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    owner_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_at", "id"]


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")  # opted out, unreachable, already wrote in


class Notice(models.Model):
    """One proactive notice to one affected customer for one incident (never two)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="notices")
    order = models.ForeignKey("customers.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    reason = models.CharField(max_length=200, blank=True)
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "customer"], name="notice_once_per_customer")]
        indexes = [models.Index(fields=["status", "created_at"], name="notice_status_created")]
