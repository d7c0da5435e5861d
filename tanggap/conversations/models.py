"""Tickets, their messages, and the append-only timeline that records every change."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce

from tanggap.common.clock import now
from tanggap.common.models import AppendOnlyModel
from tanggap.conversations.choices import (
    STATUS_GROUP, Category, Delivery, Direction, Initiator, Priority, Status, TimelineKind,
)


# The inbox's SLA sort puts tickets with no running clock last: Coalesce(sla_due_at, NO_DUE).
NO_DUE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
# The open group (new, open): the inbox's default filter; the partial indexes below cover exactly it.
OPEN_GROUP = ["new", "open"]


def sla_sort_key():
    return Coalesce("sla_due_at", Value(NO_DUE, output_field=DateTimeField()))


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    subject = models.CharField(max_length=300, blank=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="tickets")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="tickets")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    initiated_by = models.CharField(max_length=10, choices=Initiator.choices, default=Initiator.CUSTOMER)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    last_message_at = models.DateTimeField(default=now)
    # The oldest customer message not yet answered; null when the company spoke last.
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The customer's link to this ticket on the portal (unguessable).
    access_key = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    # The earliest running SLA due time (written by sla.services.sla_refresh); the inbox sorts by it.
    sla_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-updated_at", "-id"], name="ticket_status_updated"),
            models.Index(fields=["team", "status", "-updated_at", "-id"], name="ticket_team_status_updated"),
            models.Index(fields=["assignee", "status", "-updated_at", "-id"], name="ticket_assignee_status"),
            models.Index(fields=["customer", "-updated_at"], name="ticket_customer_updated"),
            models.Index(fields=["status", "sla_due_at", "id"], name="ticket_status_sla_due"),
            models.Index(fields=["team", "status", "sla_due_at", "id"], name="ticket_team_status_sla_due"),
            # The inbox sorted by SLA due (open group, a team's or all): rows come out of the index already in
            # order, so a page is LIMIT 26 rows however many tickets are open (bench/inbox_scale). The query must
            # use the same literal expressions (selectors.ticket_list inlines them) or SQLite will not match them.
            models.Index(F("team"), sla_sort_key(), F("id"), condition=Q(status__in=OPEN_GROUP),
                         name="ticket_team_open_sla"),
            models.Index(sla_sort_key(), F("id"), condition=Q(status__in=OPEN_GROUP), name="ticket_open_sla"),
        ]

    @property
    def reference(self) -> str:
        return f"TG-{self.pk:06d}"

    @property
    def status_group(self) -> str:
        return STATUS_GROUP[Status(self.status)]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    channel_kind = models.CharField(max_length=20)
    external_id = models.CharField(max_length=500, blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    initiated_by = models.CharField(max_length=10, choices=Initiator.choices, default=Initiator.CUSTOMER)
    subject = models.CharField(max_length=500, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)  # sanitised with nh3 before it is stored
    sent_at = models.DateTimeField(default=now)
    created_at = models.DateTimeField(default=now)
    # Email threading: our Message-ID for outbound mail; In-Reply-To and References as received/sent.
    message_id_header = models.CharField(max_length=500, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)
    automated = models.BooleanField(default=False)  # auto-replies and bounces: never answered
    automated_reason = models.CharField(max_length=20, blank=True)
    # Outbound delivery
    recipient = models.CharField(max_length=320, blank=True)
    delivery_status = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.NONE, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    raw = models.ForeignKey("channels.InboundRaw", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    meta = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel_kind", "external_id"], condition=~Q(external_id=""), name="message_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_created"),
            models.Index(fields=["delivery_status", "next_attempt_at"], name="message_delivery_due"),
        ]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    inline = models.BooleanField(default=False)
    file = models.FileField(upload_to="attachments/%Y/%m/")


class DeliveryAttempt(AppendOnlyModel):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=10)  # sent | retry | failed
    error = models.TextField(blank=True)


class TimelineEntry(AppendOnlyModel):
    """One row per thing that happened to a ticket. Never updated, never deleted."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=now)
    kind = models.CharField(max_length=30, choices=TimelineKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    initiated_by = models.CharField(max_length=10, choices=Initiator.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "at", "id"], name="timeline_ticket_at")]
        verbose_name_plural = "timeline entries"
