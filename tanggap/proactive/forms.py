"""The start-from-playbook form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.incidents.models import Playbook

LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class StartForm(forms.Form):
    playbook = forms.ModelChoiceField(queryset=Playbook.objects.filter(active=True).order_by("name"),
                                      label=_("Playbook"))
    title = forms.CharField(max_length=200, label=_("Title"))
    courier = forms.CharField(max_length=50, required=False, label=_("Courier"))
    region = forms.CharField(max_length=100, required=False, label=_("Region"))
    products = forms.CharField(max_length=500, required=False, label=_("Products (SKUs, comma-separated)"))
    expected_resolution_at = forms.DateTimeField(required=False, input_formats=LOCAL, widget=LocalDateTimeInput(),
                                                 label=_("Expected date"))
    window_start = forms.DateTimeField(required=False, input_formats=LOCAL, widget=LocalDateTimeInput(),
                                       label=_("Sold from (defective batch)"))
    window_end = forms.DateTimeField(required=False, input_formats=LOCAL, widget=LocalDateTimeInput(),
                                     label=_("Sold until (defective batch)"))

    def scope(self) -> dict:
        data = self.cleaned_data
        scope = {"courier": data.get("courier", ""), "region": data.get("region", "")}
        skus = [s.strip() for s in (data.get("products") or "").split(",") if s.strip()]
        if skus:
            scope["products"] = skus
        return scope
