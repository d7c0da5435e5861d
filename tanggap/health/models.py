"""Customer health (issue 7): one row per customer with its score, band and reasons, and the
fitted BG/NBD model the rows were computed with. docs/health.md explains both."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class Band(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    WATCH = "watch", _("Watch")
    AT_RISK = "at_risk", _("At risk")


class ChurnModel(models.Model):
    """One fit of the buy-till-you-die model (BG/NBD) on the business's order history, or the
    record that there was too little history to fit one (``kind="fallback"``)."""

    class Kind(models.TextChoices):
        BGNBD = "bgnbd", "BG/NBD"
        FALLBACK = "fallback", _("Recency rule (too little history)")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    fitted_at = models.DateTimeField(default=now)
    params = models.JSONField(default=dict, blank=True)  # r, alpha, a, b (alpha in days)
    penalizer = models.FloatField(default=0)
    customers = models.PositiveIntegerField(default=0)  # customers with at least one order
    repeat_customers = models.PositiveIntegerField(default=0)  # with at least one repeat purchase day
    history_days = models.PositiveIntegerField(default=0)  # first order to the fit
    median_gap_days = models.FloatField(null=True, blank=True)  # between repeat purchases, all customers
    fit_seconds = models.FloatField(default=0)
    log_likelihood = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)  # why a fallback
    # Deciles of the business's customers, for the recency/frequency/value percentiles:
    # {"recency_days": [...], "frequency": [...], "value": {"IDR": [...], "MYR": [...]}}
    reference = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-fitted_at"], name="health_model_fitted")]


class CustomerHealth(models.Model):
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="health")
    score = models.PositiveSmallIntegerField()  # 0..100
    band = models.CharField(max_length=10, choices=Band.choices)
    # [{"code": "broken_promises", "params": {"count": 2}, "effect": "negative" | "positive", "points": -12}]
    reasons = models.JSONField(default=list, blank=True)
    components = models.JSONField(default=dict, blank=True)  # name -> {"value": 0..1, "weight": w}
    p_alive = models.FloatField(null=True, blank=True)  # BG/NBD; None under the fallback
    expected_purchases_90d = models.FloatField(null=True, blank=True)
    orders = models.PositiveIntegerField(default=0)
    last_order_at = models.DateTimeField(null=True, blank=True)
    model = models.ForeignKey(ChurnModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    stale = models.BooleanField(default=False)  # a relevant event happened since computed_at
    computed_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            models.Index(fields=["band", "score", "customer"], name="health_band_score"),
            models.Index(fields=["score", "customer"], name="health_score"),
            models.Index(fields=["stale"], name="health_stale", condition=models.Q(stale=True)),
        ]
