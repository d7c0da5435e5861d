"""Models of triage (issue 7): the result per inbound message, and the category models trained on
the business's own labelled tickets."""

from __future__ import annotations

from django.db import models

from tanggap.common.clock import now


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class MessageTriage(models.Model):
    """What the worker read in one inbound customer message. One row per message, written once by
    ``services.message_triage`` (re-running it updates the row)."""

    message = models.OneToOneField("conversations.Message", on_delete=models.CASCADE, related_name="triage")
    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=5, blank=True)  # id | ms | en | "" (too short to tell)
    language_confidence = models.FloatField(default=0)
    category = models.CharField(max_length=20, blank=True)  # conversations.choices.Category
    category_confidence = models.FloatField(default=0)
    category_source = models.CharField(max_length=10, blank=True)  # "trained" | "starting"
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(default=0)  # -1 (negative) .. 1 (positive)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_reasons = models.JSONField(default=list, blank=True)
    model_versions = models.JSONField(default=dict, blank=True)
    timings_ms = models.JSONField(default=dict, blank=True)
    applied = models.JSONField(default=dict, blank=True)  # what was changed on the ticket, if anything
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["ticket", "-created_at"], name="triage_ticket_created")]


class CategoryModel(models.Model):
    """One trained version of the category classifier. The file lives under var/models/; the row
    keeps what managers see: how many labels it learnt from and its accuracy on the most recent
    labelled tickets, held out of training."""

    version = models.PositiveIntegerField(unique=True)
    kind = models.CharField(max_length=20)  # "trained" (tickets) | "starting" (descriptions)
    trained_at = models.DateTimeField(default=now)
    labels = models.PositiveIntegerField(default=0)  # labelled tickets used (train + held out)
    held_out = models.PositiveIntegerField(default=0)
    accuracy = models.FloatField(null=True, blank=True)  # on the held-out recent tickets
    starting_accuracy = models.FloatField(null=True, blank=True)  # the starting model on the same tickets
    per_category = models.JSONField(default=dict, blank=True)  # category -> labelled tickets
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]
