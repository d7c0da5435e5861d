"""Configured channels and the raw inbound payloads, stored before anything parses them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class Channel(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        INSTAGRAM = "instagram", _("Instagram")
        MESSENGER = "messenger", _("Messenger")
        X = "x", _("X (Twitter)")
        WEB = "web", _("Web form")
        API = "api", _("API")
        MARKETPLACE = "marketplace", _("Marketplace reviews")
        CHAT = "chat", _("Live chat")
        PHONE = "phone", _("Phone")

    kind = models.CharField(max_length=20)
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    # Secrets are write-only in the admin and never logged.
    secret = models.CharField(max_length=200, blank=True)
    verify_token = models.CharField(max_length=200, blank=True)
    send_url = models.URLField(max_length=500, blank=True)
    send_token = models.CharField(max_length=500, blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    config = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class InboundRaw(models.Model):
    """Every inbound payload exactly as it arrived, kept even when it cannot be parsed."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        REJECTED = "rejected", _("Rejected")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="inbound")
    received_at = models.DateTimeField(default=now)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    reason_code = models.CharField(max_length=50, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=50, blank=True)  # api, webhook, imap, mbox, form
    messages_created = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_status_received")]
