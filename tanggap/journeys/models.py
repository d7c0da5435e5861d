"""Journey events: the touchpoints of a customer outside tickets (an ad seen, a visit, an order
shipped, a review). Stored once per (source, external_id); a stored event is a fact and is never
edited, so the model is append-only."""

from __future__ import annotations

from django.db import models

from tanggap.common.clock import now
from tanggap.common.models import AppendOnlyModel
from tanggap.journeys.choices import Kind


class JourneyEvent(AppendOnlyModel):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="journey_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=now)
    # Where the touchpoint happened (web, app, store, instagram, marketplace, ...).
    channel = models.CharField(max_length=30, blank=True)
    # The system that reported it (shop, analytics, pos, ...); the idempotency key with external_id.
    source = models.CharField(max_length=50, blank=True, default="")
    external_id = models.CharField(max_length=200)
    order = models.ForeignKey("customers.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="journey_events")
    product = models.ForeignKey("customers.Product", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="journey_events")
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="journey_event_source_external_id"),
        ]
        indexes = [
            models.Index(fields=["customer", "-occurred_at", "-id"], name="journey_customer_occurred"),
            models.Index(fields=["order", "-occurred_at"], name="journey_order_occurred"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"
