"""Live chat rows: a visitor's conversation, every chat event (the stream's source of truth)
and each agent's presence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class ChatConversation(models.Model):
    """One visitor of one chat channel (a browser's localStorage). Its messages live on an
    ordinary ticket (``ticket``, set by the first message's intake)."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="chats")
    visitor_id = models.CharField(max_length=32, unique=True)  # the handle in namespace "chat"
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    language = models.CharField(max_length=5, default="id")
    ip = models.GenericIPAddressField(null=True, blank=True)
    page_url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=320, blank=True)  # given by the visitor, not verified
    phone = models.CharField(max_length=40, blank=True)
    by_email = models.BooleanField(default=False)  # the visitor chose to continue by email
    created_at = models.DateTimeField(default=now)
    last_visitor_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["ip", "created_at"], name="livechat_conv_ip_created")]


class ChatEvent(models.Model):
    """Everything that happens in a chat, one row each: streams read these and resume from an id
    (SSE ``Last-Event-ID``), so a dropped connection loses nothing."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        TYPING = "typing", _("Typing")
        READ = "read", _("Read")
        NOTICE = "notice", _("Notice")

    class Sender(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        AGENT = "agent", _("Agent")
        SYSTEM = "system", _("System")

    conversation = models.ForeignKey(ChatConversation, on_delete=models.CASCADE, related_name="events")
    ticket_id = models.BigIntegerField(null=True, blank=True)  # for the console's visibility filter
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sender = models.CharField(max_length=10, choices=Sender.choices)
    message = models.OneToOneField("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    data = models.JSONField(default=dict, blank=True)  # {"text", "author", "state", "up_to"}
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "id"], name="livechat_event_conv_id"),
            models.Index(fields=["ip", "created_at"], name="livechat_event_ip_created"),
        ]


class AgentPresence(models.Model):
    class Status(models.TextChoices):
        ONLINE = "online", _("Online")
        AWAY = "away", _("Away")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAY)
    seen_at = models.DateTimeField(default=now)  # online counts until seen_at + the timeout
