"""Models of reviews (issue 6): one row per marketplace review, with the reply sent to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class ReplyState(models.TextChoices):
    NONE = "none", _("Not answered")
    QUEUED = "queued", _("Reply queued")
    SENT = "sent", _("Reply delivered")
    FAILED = "failed", _("Reply failed")


class Review(models.Model):
    """A review as the marketplace published it. Idempotent by (source, external_id): a repeat
    (a retried webhook, an edit notification) changes nothing."""

    source = models.CharField(max_length=50)  # the marketplace: tokopedia, shopee, ...
    external_id = models.CharField(max_length=200)
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    language = models.CharField(max_length=5, blank=True)
    product = models.ForeignKey("customers.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    product_sku = models.CharField(max_length=64, blank=True)  # as sent, also when the sku is unknown here
    product_name = models.CharField(max_length=200, blank=True)
    order = models.ForeignKey("customers.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order_external_id = models.CharField(max_length=64, blank=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="reviews")
    reviewer_name = models.CharField(max_length=200, blank=True)
    reviewer_handle = models.CharField(max_length=150, blank=True)
    posted_at = models.DateTimeField(default=now)
    received_at = models.DateTimeField(default=now)
    negative = models.BooleanField(default=False)
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="reviews")
    # The public reply, as queued from the ticket and as the marketplace took it.
    reply_text = models.TextField(blank=True)
    reply_message = models.ForeignKey("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reply_state = models.CharField(max_length=10, choices=ReplyState.choices, default=ReplyState.NONE)
    reply_delivered_at = models.DateTimeField(null=True, blank=True)
    reply_provider_id = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="review_source_external_id")]
        indexes = [models.Index(fields=["-posted_at", "-id"], name="review_posted"),
                   models.Index(fields=["customer", "-posted_at"], name="review_customer")]

    def __str__(self) -> str:
        return f"{self.source} {self.external_id} ({self.rating}★)"

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 120 else text[:117] + "…"
