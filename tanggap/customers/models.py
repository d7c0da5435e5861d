"""Customers, the identities they write from, and what they bought."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now
from tanggap.common.models import TimeStampedModel


class Customer(TimeStampedModel):
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=5, default="id")  # id | ms | en
    tier = models.CharField(max_length=20, default="standard")
    country = models.CharField(max_length=2, blank=True)  # ID | MY | ...
    region = models.CharField(max_length=100, blank=True)
    # Merging keeps the old row as a pointer so links and history resolve.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    portal_key = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    # The customer asked not to receive proactive notices and check-ins (answers still go out).
    proactive_opt_out = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name or f"Customer {self.pk}"


class Identity(models.Model):
    """One way to reach a customer: an email address, a phone number, a handle on a channel."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        HANDLE = "handle", _("Handle")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    namespace = models.CharField(max_length=20, blank=True, default="")  # channel kind for handles
    value = models.CharField(max_length=320)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "namespace", "value"], name="identity_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.namespace + ':' if self.namespace else ''}{self.value}"


class Product(TimeStampedModel):
    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    external_id = models.CharField(max_length=64, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLACED)
    placed_at = models.DateTimeField(default=now)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="IDR")
    courier = models.CharField(max_length=50, blank=True)
    region = models.CharField(max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    refunded_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # A replacement sent as a remedy points at the order it replaces.
    replacement_for = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacements")

    class Meta:
        indexes = [models.Index(fields=["customer", "-placed_at"], name="order_customer_placed")]

    def __str__(self) -> str:
        return self.external_id


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
