"""Recommendations (issue 7): the trained model's versions, product and customer profiles, and
the managers' profile rules.

Products and customers have no attributes of their own for risk or preference, so this part
keeps them beside those rows: ``ProductProfile`` (is it offered at all, its attributes such as
``risk_level``) and ``CustomerProfile`` (``risk_tolerance``, ``preference``...). A ``ProfileRule``
compares one product attribute with one customer attribute."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class RecModel(models.Model):
    """One trained version of the recommender. The arrays live in ``path`` (``var/models/``); the
    row keeps what it was trained on and the product id of each item index."""

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=now)
    customers = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    interactions = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # The blend's weights chosen on the customers' last orders (engine.choose_weights), or why not.
    tuning = models.JSONField(default=dict, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"recommend v{self.version}"


class ProductProfile(models.Model):
    product = models.OneToOneField("customers.Product", on_delete=models.CASCADE, related_name="rec_profile")
    # An inactive product is never recommended (sold out, withdrawn, not for sale).
    active = models.BooleanField(default=True)
    attributes = models.JSONField(default=dict, blank=True)  # {"risk_level": "low", "halal": "yes"}


class CustomerProfile(models.Model):
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="rec_profile")
    attributes = models.JSONField(default=dict, blank=True)  # {"risk_tolerance": "medium"}
    updated_at = models.DateTimeField(default=now)


class Operator(models.TextChoices):
    LTE = "lte", _("at most")
    GTE = "gte", _("at least")
    EQ = "eq", _("equal to")
    NE = "ne", _("not equal to")


class ProfileRule(models.Model):
    """``product.attributes[product_attribute] <operator> customer.attributes[customer_attribute]``.
    Values compare by their place in ``scale`` when one is given ("low,medium,high"), else as
    numbers when both are numbers, else as text (eq/ne only). A rule applies to a product and a
    customer only when both carry the attribute; a product that fails an applicable rule is
    never recommended to that customer, and one that passes is offered with the rule's label as
    the reason ("fits risk profile: low")."""

    label_id = models.CharField(max_length=100)
    label_ms = models.CharField(max_length=100, blank=True)
    label_en = models.CharField(max_length=100, blank=True)
    product_attribute = models.CharField(max_length=50)
    operator = models.CharField(max_length=3, choices=Operator.choices, default=Operator.LTE)
    customer_attribute = models.CharField(max_length=50)
    scale = models.CharField(max_length=200, blank=True)  # comma-separated, lowest first
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["pk"]

    def label(self, language: str) -> str:
        return getattr(self, f"label_{language}", "") or self.label_id

    def __str__(self) -> str:
        return f"{self.product_attribute} {self.operator} {self.customer_attribute}"
