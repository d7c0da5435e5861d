"""Business calendars: when the company is open. SLA clocks count only open time."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("'%(tz)s' is not a known time zone."), params={"tz": value}) from None


class BusinessCalendar(models.Model):
    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, default="Asia/Jakarta", validators=[validate_time_zone])
    # Public holidays from the `holidays` package: ID or MY (blank: none), with an optional
    # subdivision (a Malaysian state code such as "14" for Kuala Lumpur).
    country = models.CharField(max_length=2, blank=True, default="ID")
    subdivision = models.CharField(max_length=10, blank=True)
    # Indonesia's cuti bersama (collective leave around Idul Fitri and Christmas).
    observe_collective_leave = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class OpenPeriod(models.Model):
    """One open stretch of a weekday; several per day give e.g. a lunch break."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday ... 6 = Sunday
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="period_opens_before_closes"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="period_weekday_0_6"),
        ]


class ClosedDay(models.Model):
    """A company-specific closed day (stock-taking, a company outing...)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closed_day_unique")]


class SlaPolicy(models.Model):
    """Targets for a kind of ticket. The first active policy (by position) whose conditions
    all match a ticket applies to it; an empty condition list matches everything."""

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=True)
    priorities = models.JSONField(default=list, blank=True)  # e.g. ["high", "urgent"]
    categories = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=list, blank=True)  # channel kinds
    tiers = models.JSONField(default=list, blank=True)  # customer tiers
    # Null calendar: the clock runs around the clock (24/7).
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.PROTECT, related_name="policies")
    # Targets in business minutes; null means no target of that kind.
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Scheduled progress updates to the customer every N business minutes (null: none).
    update_interval_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Warn the assignee and team lead this long (wall-clock minutes) before a breach.
    warn_before_minutes = models.PositiveIntegerField(default=60)
    # Send an automatic acknowledgement, with the promise, when a customer opens a ticket.
    acknowledge = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return self.name


class TicketSla(models.Model):
    """The policy a ticket is under and its scheduled progress update."""

    ticket = models.OneToOneField("conversations.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="sla")
    policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(null=True, blank=True)
    next_update_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updates_sent = models.PositiveIntegerField(default=0)


class TargetKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    RESOLUTION = "resolution", _("Resolution")


class TargetStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    STOPPED = "stopped", _("Stopped")  # no longer applies (e.g. solved before any reply)


class SlaTarget(models.Model):
    """One clock of one ticket: first response, resolution, or the next response to one
    customer message. Rewritten by ``services.sla_refresh`` from the ticket's timeline."""

    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="sla_targets")
    key = models.CharField(max_length=40)  # "first_response", "resolution", "next_response:<message id>"
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    message = models.ForeignKey("conversations.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    target_seconds = models.PositiveIntegerField()
    used_seconds = models.PositiveIntegerField(default=0)  # business time counted so far
    status = models.CharField(max_length=10, choices=TargetStatus.choices)
    due_at = models.DateTimeField(null=True, blank=True)  # null while paused or finished
    warn_at = models.DateTimeField(null=True, blank=True)
    warned = models.BooleanField(default=False)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "key"], name="sla_target_unique")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="sla_target_due"),
            models.Index(fields=["status", "warn_at"], name="sla_target_warn"),
        ]


class SlaBreach(models.Model):
    """One row per breached target (so one per missed customer message for next response)."""

    target = models.OneToOneField(SlaTarget, on_delete=models.CASCADE, related_name="breach")
    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="sla_breaches")
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    breached_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=now)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
