"""A reply template: a title and a body in each of the three languages, tagged by the
situations and the customer moods it fits. Tags are lists of codes (``choices``); an empty list
means "any"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class Mood(models.TextChoices):
    ANGRY = "angry", _("Angry")
    WORRIED = "worried", _("Worried")
    NEUTRAL = "neutral", _("Neutral")
    HAPPY = "happy", _("Happy")


class Situation(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First answer on the ticket")
    REOPENED = "reopened", _("Ticket reopened")
    SLA_BREACHED = "sla_breached", _("Answer is late (SLA missed)")
    REMEDY = "remedy", _("A remedy on the ticket")
    INCIDENT = "incident", _("Part of an incident")
    PROMISE_SLIPPED = "promise_slipped", _("A promise slipped (re-dated or broken)")


class ReplyTemplate(models.Model):
    title = models.CharField(max_length=120)
    body_id = models.TextField(blank=True)
    body_ms = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    categories = models.JSONField(default=list, blank=True)  # conversations.choices.Category values
    situations = models.JSONField(default=list, blank=True)  # Situation values
    moods = models.JSONField(default=list, blank=True)  # Mood values
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def body(self, language: str) -> str:
        return getattr(self, f"body_{language}", "") or ""

    def languages(self) -> list[str]:
        return [code for code in ("id", "ms", "en") if self.body(code).strip()]
