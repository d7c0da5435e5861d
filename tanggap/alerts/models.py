"""Streams of hourly counts, the detector's state per stream, external signals from monitors,
and the alerts raised on either (docs/alerts.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class Dimension(models.TextChoices):
    CATEGORY = "category", _("Category")
    REGION = "region", _("Region")
    CHANNEL = "channel", _("Channel")
    PRODUCT = "product", _("Product")
    COURIER = "courier", _("Courier")
    SIGNAL = "signal", _("External signal")


class Stream(models.Model):
    """One series of hourly counts, e.g. ``category:delivery``, ``region:Medan``,
    ``product:PG-190``, ``courier:SiCepat``, ``signal:payment_errors``."""

    key = models.CharField(max_length=160, unique=True)
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    value = models.CharField(max_length=140)
    # "low" | "normal" | "high", or a tail probability such as "0.001"
    sensitivity = models.CharField(max_length=20, default="normal",
                                   help_text=_("low, normal or high, or a probability threshold such as 0.001"))
    active = models.BooleanField(default=True)
    state = models.JSONField(default=dict, blank=True)  # detector.StreamState.to_dict()
    last_bucket = models.DateTimeField(null=True, blank=True)  # start of the last hour fed to the detector
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from tanggap.alerts.services import parse_sensitivity

        try:
            parse_sensitivity(self.sensitivity, strict=True)
        except ValueError as exc:
            raise ValidationError({"sensitivity": str(exc)}) from None


class Bucket(models.Model):
    """The count of one stream in one hour. Recounting an hour rewrites its rows."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="buckets")
    start = models.DateTimeField()  # the hour's start, UTC
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "start"], name="alert_bucket_unique")]
        indexes = [models.Index(fields=["start"], name="alert_bucket_start")]


class CountedHour(models.Model):
    """An hour whose inbound messages and signals were counted into buckets."""

    hour = models.DateTimeField(unique=True)
    counted_at = models.DateTimeField(default=now)
    tickets = models.PositiveIntegerField(default=0)  # tickets with a customer message in the hour


class Severity(models.TextChoices):
    INFO = "info", _("Info")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class Signal(models.Model):
    """Something a monitor reported: a courier delay, payment-gateway errors, an outage."""

    source = models.CharField(max_length=50)  # the reporting system
    external_id = models.CharField(max_length=200)  # its id there; (source, external_id) is unique
    name = models.CharField(max_length=60)  # courier_delay, payment_errors, outage, ...
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    value = models.FloatField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    # {"courier": ..., "region": ..., "product_ids": [...], "category": ..., "channel": ...}
    scope = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=now)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="signal_unique")]
        indexes = [models.Index(fields=["occurred_at"], name="signal_occurred")]

    def __str__(self) -> str:
        return f"{self.source}:{self.name}"


class Alert(models.Model):
    """A rise the detector flagged on a stream, or a signal severe enough to act on."""

    stream = models.ForeignKey(Stream, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    signal = models.OneToOneField(Signal, null=True, blank=True, on_delete=models.CASCADE, related_name="alert")
    bucket = models.DateTimeField()  # the flagged hour (a signal: when it occurred)
    observed = models.PositiveIntegerField(default=0)
    expected = models.FloatField(default=0)
    p_value = models.FloatField(null=True, blank=True)
    window = models.PositiveSmallIntegerField(default=1)  # hours summed in the most significant test
    opens = models.BooleanField(default=True)  # False: continues the stream's previous alert episode
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="alerts")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["stream", "bucket"], condition=models.Q(stream__isnull=False),
                                               name="alert_stream_bucket_unique")]

    def __str__(self) -> str:
        return f"{self.stream or self.signal} @ {self.bucket:%Y-%m-%d %H:00}"
