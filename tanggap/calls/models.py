"""Phone calls: one row per call, beside the ticket message that makes it a contact.

A call is logged by an agent (console or API) or built up by a telephony webhook from its
started / answered / ended events (``CallEvent`` rows: one per provider call id and event, the
webhook's idempotency key). Once the call is over it is written to the ticket's timeline as a
``conversations.Message`` on the "phone" channel (``Call.message``): inbound = customer-initiated,
outbound = company-initiated, counted like every other contact."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound call")
    OUTBOUND = "out", _("Outbound call")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")
    VOICEMAIL = "voicemail", _("Voicemail")
    BUSY = "busy", _("Busy")
    FAILED = "failed", _("Failed")


class State(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("In progress")
    ENDED = "ended", _("Ended")


class Source(models.TextChoices):
    CONSOLE = "console", _("Logged in the console")
    API = "api", _("Logged over the API")
    WEBHOOK = "webhook", _("Telephony webhook")


class Call(models.Model):
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="calls")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="calls")
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="calls")
    # The ticket message that puts the call on the timeline (written when the call is over).
    message = models.OneToOneField("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="call")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    number = models.CharField(max_length=16)  # the customer's number, E.164 (+6281234567890)
    line = models.CharField(max_length=40, blank=True)  # our side: the number or extension called / calling
    state = models.CharField(max_length=10, choices=State.choices, default=State.ENDED)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    duration_seconds = models.PositiveIntegerField(default=0)  # talk time
    notes = models.TextField(blank=True)
    recording_url = models.URLField(max_length=1000, blank=True)
    provider_call_id = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(default=now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CONSOLE)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "provider_call_id"], condition=~Q(provider_call_id=""),
                                    name="call_provider_id_unique"),
        ]
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="call_started"),
            models.Index(fields=["customer", "-started_at"], name="call_customer_started"),
            models.Index(fields=["ticket", "-started_at"], name="call_ticket_started"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.number} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_text(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class CallEvent(models.Model):
    """One telephony webhook event as received: (channel, provider call id, event) is stored
    once, so a replayed event changes nothing."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Call started")
        ANSWERED = "answered", _("Call answered")
        ENDED = "ended", _("Call ended")

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    provider_call_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=now)
    payload = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "provider_call_id", "kind"],
                                               name="call_event_unique")]
