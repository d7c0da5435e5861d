"""Forms of the customer portal. They only parse and validate input; the views hand the
cleaned values to services and selectors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ContactForm(HoneypotMixin):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email"), max_length=320)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000)


class PortalMessageForm(HoneypotMixin):
    message = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)


class LoginForm(HoneypotMixin):
    email = forms.EmailField(label=_("Your email"), max_length=320,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
