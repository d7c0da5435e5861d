"""Automation rules: when a journey event happens (now, or N days later), if its conditions
hold, take an action from the registry. Every run is a stored row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class AutomationRule(models.Model):
    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)
    trigger = models.CharField(max_length=30)  # a journeys.Kind, e.g. "order_shipped"
    delay_minutes = models.PositiveIntegerField(default=0)  # e.g. 3 days after delivery = 4320
    # Any of {"regions": [...], "tiers": [...], "countries": [...], "product_categories": [...]}
    conditions = models.JSONField(default=dict, blank=True)
    action = models.CharField(max_length=40)  # a key of automations.actions.ACTIONS
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class AutomationRun(models.Model):
    """One rule for one event: stored when the event arrives, run when due, exactly once."""

    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="runs")
    event = models.ForeignKey("journeys.JourneyEvent", on_delete=models.CASCADE, related_name="automation_runs")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="automation_runs")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.SCHEDULED)
    result = models.CharField(max_length=300, blank=True)
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)
    ran_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "event"], name="automation_run_once")]
        indexes = [models.Index(fields=["status", "due_at"], name="automation_run_due")]


class ProductGuide(models.Model):
    """A tutorial for a product in one language (a link to a video, an article, a PDF).
    The knowledge base of issue #6 will supply these from its articles."""

    product = models.ForeignKey("customers.Product", on_delete=models.CASCADE, related_name="guides")
    language = models.CharField(max_length=5, default="id")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["product", "language", "id"]
