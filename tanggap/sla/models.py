"""Business calendars: when the company is open. SLA clocks count only open time."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


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
