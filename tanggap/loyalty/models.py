"""Models of loyalty (issue 6): the append-only points ledger and its balance row, earning rules,
tiers, rewards (exclusive offers are rewards limited to a tier), vouchers and lucky draws.

Points and money are integers. The ledger (``LedgerEntry``) is never updated or deleted; a
customer's balance is the sum of its entries. ``Account.balance`` is a copy of that sum kept in the
same transaction as every entry (``services._post``, the only writer), with a check constraint that
it is never below zero; ``selectors.ledger_drift`` recomputes both and the tests compare them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now
from tanggap.common.models import AppendOnlyModel


class Trilingual(models.Model):
    """Texts carried as data in Indonesian, Malay and English; ``text("name")`` picks the active
    language (Indonesian when a text is missing)."""

    class Meta:
        abstract = True

    def text(self, field: str, language: str | None = None) -> str:
        lang = (language or get_language() or "id")[:2]
        return getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_id", "")

    @property
    def name(self) -> str:
        return self.text("name")

    @property
    def benefits(self) -> str:
        return self.text("benefits") if hasattr(self, "benefits_id") else ""

    @property
    def description(self) -> str:
        return self.text("description") if hasattr(self, "description_id") else ""


class Tier(Trilingual):
    """A level of the programme, reached by points earned in the last 12 months (rolling)."""

    code = models.SlugField(max_length=30, unique=True)
    name_id = models.CharField(max_length=60)
    name_ms = models.CharField(max_length=60, blank=True)
    name_en = models.CharField(max_length=60, blank=True)
    benefits_id = models.TextField(blank=True)
    benefits_ms = models.TextField(blank=True)
    benefits_en = models.TextField(blank=True)
    threshold = models.PositiveIntegerField(help_text="points earned in the last 12 months to reach this tier")
    multiplier_percent = models.PositiveIntegerField(default=100, help_text="earning multiplier: 150 = 1.5x")

    class Meta:
        ordering = ["threshold"]
        constraints = [models.UniqueConstraint(fields=["threshold"], name="loyalty_tier_threshold_unique")]

    def __str__(self) -> str:
        return self.code


class RuleKind(models.TextChoices):
    ORDER_AMOUNT = "order_amount", _("Per order amount paid")
    REVIEW = "review_posted", _("Per review posted")
    SURVEY = "survey_answered", _("Per survey answered")
    REFERRAL = "referral", _("Per referral")


class EarnRule(models.Model):
    """How points are earned. ``order_amount``: ``points`` for every whole ``per_amount`` of the
    order's total in ``currency`` (1 point per Rp 10.000: points=1, per_amount=10000, IDR). The
    others: ``points`` per event. The tier's multiplier applies on top."""

    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    currency = models.CharField(max_length=3, blank=True, default="")
    points = models.PositiveIntegerField()
    per_amount = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "currency"], name="loyalty_rule_kind_currency"),
            models.CheckConstraint(condition=~Q(kind="order_amount") | Q(per_amount__gt=0),
                                   name="loyalty_rule_order_needs_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.currency}".strip()


class Account(models.Model):
    """One customer's balance row: the sum of the ledger, kept in step by services._post under a
    row lock, and never below zero (check constraint)."""

    customer = models.OneToOneField("customers.Customer", on_delete=models.PROTECT, related_name="loyalty")
    balance = models.IntegerField(default=0)
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts")
    joined_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="loyalty_balance_not_negative")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.balance}"


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    SPEND = "spend", _("Spent")
    EXPIRE = "expire", _("Expired")
    ADJUST = "adjust", _("Adjusted")
    REMEDY = "remedy", _("Service recovery")


class LedgerEntry(AppendOnlyModel):
    """One change of points. Positive entries are lots that expire at ``expires_at``; negative
    entries consume the oldest lots first (FIFO). ``source_key`` makes an earning happen once per
    source (``journey:<event id>``, ``referral:<customer id>``, ``remedy:<id>``)."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="loyalty_entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    delta = models.IntegerField()
    balance_after = models.IntegerField()
    source_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    rule = models.ForeignKey(EarnRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    journey_event = models.ForeignKey("journeys.JourneyEvent", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    reward = models.ForeignKey("loyalty.Reward", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["customer", "-created_at", "-id"], name="loyalty_entry_customer")]
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="loyalty_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.delta:+d}"

    @property
    def label(self) -> str:
        """What the entry was for, in the active language (the note holds the details)."""
        from django.utils.translation import gettext

        if self.kind == EntryKind.EARN and self.rule_id:
            kind = self.rule.kind
            if kind == RuleKind.ORDER_AMOUNT:
                return gettext("Order %(ref)s") % {"ref": self.note.removeprefix("order ").strip()}
            return {RuleKind.REVIEW: gettext("Review posted"), RuleKind.SURVEY: gettext("Survey answered"),
                    RuleKind.REFERRAL: gettext("A friend you referred")}.get(kind, self.note)
        if self.kind == EntryKind.SPEND and self.reward_id:
            return self.reward.name
        if self.kind == EntryKind.EXPIRE:
            return gettext("Points older than their validity")
        if self.kind == EntryKind.REMEDY:
            return gettext("Our apology for case %(ref)s") % {"ref": self.note}
        return self.note


class Reward(Trilingual):
    """Something to spend points on. With ``min_tier`` it is an exclusive offer for that tier and
    above. Spending issues the customer a single-use voucher code."""

    code = models.SlugField(max_length=40, unique=True)
    name_id = models.CharField(max_length=120)
    name_ms = models.CharField(max_length=120, blank=True)
    name_en = models.CharField(max_length=120, blank=True)
    description_id = models.TextField(blank=True)
    description_ms = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    cost_points = models.PositiveIntegerField()
    discount_amount = models.PositiveIntegerField(default=0, help_text="value of the voucher it issues")
    currency = models.CharField(max_length=3, default="IDR")
    min_tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="offers")
    voucher_days = models.PositiveIntegerField(default=30, help_text="days the issued voucher is valid")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["cost_points", "id"]
        constraints = [models.CheckConstraint(condition=Q(cost_points__gt=0), name="loyalty_reward_cost_positive")]

    def __str__(self) -> str:
        return self.code


class Voucher(models.Model):
    """A discount code: unique, used at most ``max_uses`` times in all (1: single-use), at most
    ``per_customer`` times by one customer, between ``valid_from`` and ``valid_until``. A code
    issued to one customer (a reward, a remedy) has ``customer``."""

    code = models.CharField(max_length=40, unique=True)
    description = models.CharField(max_length=200, blank=True)
    discount_amount = models.PositiveIntegerField(default=0)
    discount_percent = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="IDR")
    max_uses = models.PositiveIntegerField(default=1)
    per_customer = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    valid_from = models.DateTimeField(default=now)
    valid_until = models.DateTimeField(null=True, blank=True)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="loyalty_vouchers")
    min_tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers")
    reward = models.ForeignKey(Reward, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers")
    remedy = models.OneToOneField("remedies.Remedy", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="loyalty_voucher")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(uses__lte=models.F("max_uses")), name="loyalty_voucher_uses_le_max"),
            models.CheckConstraint(condition=Q(discount_percent__lte=100), name="loyalty_voucher_percent_le_100"),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherUse(AppendOnlyModel):
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    order_ref = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["voucher", "customer"], name="loyalty_use_voucher_customer")]


class DrawBasis(models.TextChoices):
    POINTS = "points", _("One entry per N points earned in the period")
    ORDERS = "orders", _("One entry per paid order in the period")


class DrawStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DRAWN = "drawn", _("Drawn")


class Draw(Trilingual):
    """A lucky draw. While open only ``seed_sha256`` is public (the seed is fixed before any entry
    is known); drawing freezes the entry list and publishes the seed, entries and winners, from
    which ``python -m tanggap.loyalty.verify`` recomputes the winners."""

    name_id = models.CharField(max_length=120)
    name_ms = models.CharField(max_length=120, blank=True)
    name_en = models.CharField(max_length=120, blank=True)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    basis = models.CharField(max_length=10, choices=DrawBasis.choices, default=DrawBasis.POINTS)
    points_per_entry = models.PositiveIntegerField(default=100)
    winners_count = models.PositiveIntegerField(default=1)
    seed = models.CharField(max_length=64)
    seed_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=DrawStatus.choices, default=DrawStatus.OPEN)
    published = models.JSONField(null=True, blank=True)  # {"seed", "entries", "winners_count", "winners", ...}
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")),
                                              name="loyalty_draw_period")]

    def __str__(self) -> str:
        return self.name_id
