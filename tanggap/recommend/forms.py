"""Forms of the managers' recommendations page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.recommend.models import Operator


def parse_attributes(text: str) -> dict:
    """``"risk_level=low; horizon=5"`` -> {"risk_level": "low", "horizon": 5}."""
    out = {}
    for part in (text or "").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise forms.ValidationError(_("Write attributes as name=value, separated by semicolons."))
        key, value = (s.strip() for s in part.split("=", 1))
        if not key:
            raise forms.ValidationError(_("Write attributes as name=value, separated by semicolons."))
        try:
            out[key] = int(value) if value.lstrip("-").isdigit() else value
        except ValueError:
            out[key] = value
    return out


def format_attributes(attrs: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in (attrs or {}).items())


class RuleForm(forms.Form):
    label_id = forms.CharField(label=_("Label (Indonesian)"), max_length=100)
    label_ms = forms.CharField(label=_("Label (Malay)"), max_length=100, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    product_attribute = forms.CharField(label=_("Product attribute"), max_length=50)
    operator = forms.ChoiceField(label=_("Condition"), choices=Operator.choices)
    customer_attribute = forms.CharField(label=_("Customer attribute"), max_length=50)
    scale = forms.CharField(label=_("Scale, lowest first (optional)"), max_length=200, required=False,
                            help_text=_("For example: low,medium,high"))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ProductProfileForm(forms.Form):
    sku = forms.CharField(label=_("Product SKU"), max_length=64)
    active = forms.BooleanField(label=_("Offered (recommend it)"), required=False, initial=True)
    attributes = forms.CharField(label=_("Attributes"), max_length=2000, required=False,
                                 help_text=_("name=value; name=value, e.g. risk_level=low"))

    def clean_attributes(self):
        return parse_attributes(self.cleaned_data["attributes"])


class CustomerProfileForm(forms.Form):
    customer_id = forms.IntegerField(label=_("Customer number"), min_value=1, max_value=2**62)
    attributes = forms.CharField(label=_("Attributes"), max_length=2000, required=False,
                                 help_text=_("name=value; name=value, e.g. risk_tolerance=medium"))

    def clean_attributes(self):
        return parse_attributes(self.cleaned_data["attributes"])
