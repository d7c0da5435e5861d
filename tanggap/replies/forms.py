from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.conversations.choices import Category
from tanggap.replies.models import Mood, Situation


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body_id = forms.CharField(label=_("Text in Indonesian"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    body_ms = forms.CharField(label=_("Text in Malay"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    body_en = forms.CharField(label=_("Text in English"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False, choices=Category.choices,
                                           widget=forms.CheckboxSelectMultiple)
    situations = forms.MultipleChoiceField(label=_("Situations"), required=False, choices=Situation.choices,
                                           widget=forms.CheckboxSelectMultiple)
    moods = forms.MultipleChoiceField(label=_("Customer moods"), required=False, choices=Mood.choices,
                                      widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
