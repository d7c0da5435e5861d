"""Remedies under policy: what may be offered for each kind of problem, and what was."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now
from tanggap.conversations.choices import Category


class RemedyKind(models.TextChoices):
    ANSWER = "answer", _("Answer")
    FIX = "fix", _("Fix")
    REPLACE = "replace", _("Replacement")
    RETURN = "return", _("Return")
    REFUND = "refund", _("Refund")
    VOUCHER = "voucher", _("Voucher")
    POINTS = "points", _("Loyalty points")


class WindowFrom(models.TextChoices):
    DELIVERED = "delivered", _("Delivery date")
    PLACED = "placed", _("Order date")


class RemedyRule(models.Model):
    """One allowed remedy for one ticket category, with its limits."""

    category = models.CharField(max_length=20, choices=Category.choices)
    kind = models.CharField(max_length=10, choices=RemedyKind.choices)
    active = models.BooleanField(default=True)
    # Amounts above this need a lead's or admin's approval (null: never; 0: always).
    approval_above = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Never more than this (null: up to the order total for refunds).
    max_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Allowed only within N days of the order's delivery (or placement); null: any time.
    window_days = models.PositiveIntegerField(null=True, blank=True)
    window_from = models.CharField(max_length=10, choices=WindowFrom.choices, default=WindowFrom.DELIVERED)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["category", "kind"]
        constraints = [models.UniqueConstraint(fields=["category", "kind"], name="remedy_rule_unique")]

    def __str__(self) -> str:
        return f"{self.category}: {self.kind}"


class RemedyStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Rejected")


class Remedy(models.Model):
    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="remedies")
    order = models.ForeignKey("customers.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(max_length=10, choices=RemedyKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="IDR")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RemedyStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    replacement_order = models.ForeignKey("customers.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    voucher_code = models.CharField(max_length=40, blank=True)
    message = models.ForeignKey("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at"], name="remedy_ticket_created"),
                   models.Index(fields=["status", "created_at"], name="remedy_status_created")]
