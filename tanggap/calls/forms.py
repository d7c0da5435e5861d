"""The "log a call" form of the customer and ticket pages. It parses and validates; the view
hands the cleaned values to ``services.call_log``, whose errors come back as field errors."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.calls.models import Direction, Outcome
from tanggap.calls.services import MAX_DURATION
from tanggap.common.errors import DomainError
from tanggap.common.phone import normalize_phone

_DURATION = re.compile(r"^\s*(?:(\d{1,4})\s*:\s*([0-5]?\d)|(\d{1,4}(?:[.,]\d+)?))\s*$")

# A service error's code -> (the field it belongs to, what the agent reads).
ERRORS = {
    "invalid_direction": ("direction", _("Choose inbound or outbound.")),
    "invalid_outcome": ("outcome", _("Choose how the call ended.")),
    "invalid_duration": ("duration", _("The duration is between 0 and 24 hours.")),
    "duration_not_connected": ("duration", _("A missed, busy or failed call has no talk time: leave the duration empty.")),
    "missing_duration": ("duration", _("An answered call needs its duration, e.g. 4:30.")),
    "missing_number": ("number", _("Enter the customer's phone number.")),
    "bad_phone": ("number", _("This is not a phone number. Write it like 0812-3456-7890 or +60 12-345 6789.")),
    "future_call": (None, _("A call cannot start in the future.")),
    "new_ticket_needs_notes": ("notes", _("A call about a new problem needs notes: they become the ticket's subject.")),
    "no_ticket": ("ticket", _("Choose the ticket the call was about, or tick “a call about a new problem”.")),
    "ticket_and_new_ticket": ("ticket", _("Either choose a ticket or open a new one, not both.")),
    "ticket_of_other_customer": ("ticket", _("That ticket belongs to another customer.")),
}


def parse_duration(value: str) -> int:
    """Seconds from "4:30" (minutes:seconds), "4" or "4.5" (minutes); empty is 0."""
    if not (value or "").strip():
        return 0
    m = _DURATION.match(value)
    if not m:
        raise forms.ValidationError(_("Write the duration as minutes:seconds (4:30) or minutes (4)."),
                                    code="bad_duration")
    if m.group(3) is not None:
        return round(float(m.group(3).replace(",", ".")) * 60)
    return int(m.group(1)) * 60 + int(m.group(2))


class CallLogForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.INBOUND,
                                  widget=forms.RadioSelect)
    number = forms.CharField(label=_("Phone number"), max_length=40)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.ANSWERED)
    duration = forms.CharField(label=_("Duration"), required=False, max_length=12,
                               help_text=_("minutes:seconds, e.g. 4:30"),
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "4:30"}))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    ticket = forms.TypedChoiceField(label=_("Ticket"), coerce=int, required=False, empty_value=None)
    new_ticket = forms.BooleanField(label=_("A call about a new problem (opens a ticket)"), required=False)

    def __init__(self, *args, tickets=None, on_ticket: bool = False, **kwargs):
        """``tickets``: the customer's open tickets the agent may see (customer page);
        ``on_ticket``: the form of a ticket page (no ticket choice, no new ticket)."""
        super().__init__(*args, **kwargs)
        if on_ticket:
            del self.fields["ticket"]
            del self.fields["new_ticket"]
        else:
            tickets = list(tickets or [])
            self.fields["ticket"].choices = [("", "—")] + [(t.pk, f"{t.reference} {t.subject}"[:80]) for t in tickets]
            if tickets and not self.is_bound:
                self.initial.setdefault("ticket", tickets[0].pk)

    def clean_number(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["number"])
        except DomainError:
            raise forms.ValidationError(ERRORS["bad_phone"][1], code="bad_phone") from None

    def clean_duration(self) -> int:
        seconds = parse_duration(self.cleaned_data.get("duration", ""))
        if seconds > MAX_DURATION:
            raise forms.ValidationError(ERRORS["invalid_duration"][1], code="invalid_duration")
        return seconds

    def add_domain_error(self, exc: DomainError) -> None:
        field, message = ERRORS.get(exc.code, (None, exc.message))
        self.add_error(field if field in self.fields else None, message)
