"""Console forms for remedies. They parse input only; remedies.services applies the policy."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.customers.models import Order
from tanggap.remedies.models import RemedyKind
from tanggap.remedies.selectors import remedy_rules_for
from tanggap.texts.services import format_amount

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")  # 150.000 / 150.000,50
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?$")  # 150,000 / 150,000.50


def parse_amount(text: str) -> Decimal | None:
    """"150000", "150.000", "Rp150.000", "RM 45,50", "45.50" → Decimal; "" → None."""
    value = re.sub(r"\s|^(rp|rm|idr|myr)\.?", "", (text or "").strip(), flags=re.IGNORECASE)
    if not value:
        return None
    if _THOUSANDS_DOT.match(value):
        value = value.replace(".", "").replace(",", ".")
    elif _THOUSANDS_COMMA.match(value):
        value = value.replace(",", "")
    elif value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise forms.ValidationError(_("Write the amount as a number, for example 150000 or 150.000.")) from None


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, order: Order) -> str:
        parts = [order.external_id, format_amount(order.total, order.currency, "id"), order.get_status_display()]
        if order.refunded_amount:
            parts.append(_("refunded %(amount)s") % {"amount": format_amount(order.refunded_amount, order.currency, "id")})
        if order.delivered_at:
            parts.append(_("delivered %(date)s") % {"date": order.delivered_at.strftime("%d-%m-%Y")})
        return " · ".join(str(p) for p in parts)


class RemedyForm(forms.Form):
    def __init__(self, *args, ticket, **kwargs):
        kwargs.setdefault("auto_id", "remedy_%s")
        super().__init__(*args, **kwargs)
        allowed = {r.kind for r in remedy_rules_for(ticket.category)}
        self.fields["kind"].choices = [(k.value, k.label) for k in RemedyKind if k.value in allowed]
        self.fields["order"].queryset = Order.objects.filter(customer_id=ticket.customer_id).order_by("-placed_at")

    kind = forms.ChoiceField(label=_("Remedy"))
    order = OrderChoiceField(label=_("Order"), queryset=Order.objects.none(), required=False,
                             empty_label=_("(no order)"))
    amount = forms.CharField(label=_("Amount"), required=False, max_length=30,
                             help_text=_("For a refund or a voucher, e.g. 150000 or 150.000."))
    note = forms.CharField(label=_("Message to the customer"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Added to the customer's message; for an answer, this is the answer."))

    def clean_amount(self):
        return parse_amount(self.cleaned_data.get("amount", ""))


class DecisionForm(forms.Form):
    ACTIONS = [("approve", _("Approve")), ("reject", _("Reject"))]

    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(label=_("Reason"), required=False, max_length=2000)
