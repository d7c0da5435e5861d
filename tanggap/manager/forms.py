"""Forms of the settings screens. They parse and validate what a manager typed; every
rule a value must follow is checked here, so a bad input comes back as an error next to
its field (HTTP 400), never as a stack trace or a half-saved row."""

from __future__ import annotations

import datetime as dt
import re
import string
import zoneinfo
from decimal import Decimal

import holidays
from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Category, Priority
from tanggap.remedies.models import RemedyKind, RemedyRule
from tanggap.sla.models import BusinessCalendar, ClosedDay, OpenPeriod, SlaPolicy
from tanggap.texts import services as texts

CHANNEL_KINDS = [
    ("email", _("Email")), ("whatsapp", _("WhatsApp")), ("sms", _("SMS")), ("instagram", _("Instagram")),
    ("messenger", _("Messenger")), ("x", _("X (Twitter)")), ("web", _("Web form")), ("api", _("API")),
    ("chat", _("Live chat")), ("phone", _("Phone")),
]
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
COUNTRIES = [("", _("None (no public holidays)")), ("ID", _("Indonesia")), ("MY", _("Malaysia"))]
# Choice labels defined in remedies.models and shown on these screens, so that this app's
# catalog translates them too.
_REMEDY_LABELS = (gettext_noop("Answer"), gettext_noop("Fix"), gettext_noop("Replacement"), gettext_noop("Return"),
                  gettext_noop("Refund"), gettext_noop("Voucher"), gettext_noop("Delivery date"),
                  gettext_noop("Order date"))
TIER_RE = re.compile(r"^[\w-]{1,20}$")

# (field on SlaPolicy, label, whether it is one of the response/resolution targets)
DURATIONS = [
    ("first_response_minutes", _("First response"), True),
    ("next_response_minutes", _("Next response"), True),
    ("resolution_minutes", _("Resolution"), True),
    ("update_interval_minutes", _("Progress update to the customer every"), False),
]


def split_minutes(total: int | None) -> tuple[int | None, int | None]:
    if total is None:
        return None, None
    return divmod(total, 60)


def format_minutes(total: int | None) -> str:
    """120 → "2 j", 90 → "1 j 30 m" (the unit letters are translated)."""
    if total is None:
        return "—"
    hours, minutes = divmod(total, 60)
    parts = []
    if hours:
        parts.append(_("%(n)s h") % {"n": hours})
    if minutes or not hours:
        parts.append(_("%(n)s min") % {"n": minutes})
    return " ".join(str(p) for p in parts)


class CheckboxList(forms.CheckboxSelectMultiple):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs={"class": "checks"}, **kwargs)


class SlaPolicyForm(forms.ModelForm):
    """Conditions as checkboxes (none ticked = any); targets as hours + minutes."""

    priorities = forms.MultipleChoiceField(label=_("Priorities"), choices=Priority.choices, required=False,
                                           widget=CheckboxList, help_text=_("None ticked: any priority."))
    categories = forms.MultipleChoiceField(label=_("Categories"), choices=Category.choices, required=False,
                                           widget=CheckboxList, help_text=_("None ticked: any category."))
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=CHANNEL_KINDS, required=False,
                                         widget=CheckboxList, help_text=_("None ticked: any channel."))
    tiers = forms.CharField(label=_("Customer tiers"), required=False, max_length=300,
                            help_text=_("Comma-separated, e.g. “gold, platinum”. Empty: any tier."))
    calendar = forms.ModelChoiceField(label=_("Business calendar"), queryset=BusinessCalendar.objects.order_by("name"),
                                      required=False, empty_label=_("24/7 (no calendar: the clock always runs)"))

    class Meta:
        model = SlaPolicy
        fields = ["name", "position", "active", "priorities", "categories", "channels", "tiers", "calendar",
                  "warn_before_minutes", "acknowledge"]
        labels = {
            "name": _("Name"), "position": _("Position"), "active": _("Active"),
            "warn_before_minutes": _("Warn before a breach (minutes)"),
            "acknowledge": _("Send an automatic acknowledgement with the promise"),
        }
        help_texts = {
            "position": _("Lower comes first: the first active policy whose conditions all match a ticket applies."),
            "warn_before_minutes": _("Wall-clock minutes before the due time; the assignee and team lead are warned."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, _target in DURATIONS:
            hours, minutes = split_minutes(getattr(self.instance, name) if self.instance.pk else None)
            self.fields[f"{name}_h"] = forms.IntegerField(
                label=_("%(what)s — hours") % {"what": label}, required=False, min_value=0, max_value=10_000,
                initial=hours, widget=forms.NumberInput(attrs={"class": "num", "placeholder": _("hours")}))
            self.fields[f"{name}_m"] = forms.IntegerField(
                label=_("%(what)s — minutes") % {"what": label}, required=False, min_value=0, max_value=59,
                initial=minutes, widget=forms.NumberInput(attrs={"class": "num", "placeholder": _("minutes")}))
        if self.instance.pk:
            self.initial["tiers"] = ", ".join(self.instance.tiers or [])
        self.fields["warn_before_minutes"].validators.append(MaxValueValidator(7 * 24 * 60))

    def duration_rows(self):
        """(label, hours field, minutes field, is a target) for the template."""
        return [(label, self[f"{name}_h"], self[f"{name}_m"], target) for name, label, target in DURATIONS]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = SlaPolicy.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(_("There is already a policy named “%(name)s”."), params={"name": clash.name})
        return name

    def clean_tiers(self):
        tiers = []
        for part in self.cleaned_data["tiers"].split(","):
            part = part.strip().lower()
            if not part:
                continue
            if not TIER_RE.match(part):
                raise forms.ValidationError(
                    _("“%(tier)s” is not a tier name: use letters, digits, - or _ (at most 20)."), params={"tier": part})
            if part not in tiers:
                tiers.append(part)
        return tiers

    def clean(self):
        cleaned = super().clean()
        for name, label, _target in DURATIONS:
            hours, minutes = cleaned.get(f"{name}_h"), cleaned.get(f"{name}_m")
            if f"{name}_h" in self.errors or f"{name}_m" in self.errors:
                continue
            if hours is None and minutes is None:
                cleaned[name] = None
                continue
            total = (hours or 0) * 60 + (minutes or 0)
            if total <= 0:
                self.add_error(f"{name}_h", _("%(what)s: enter at least one minute, or leave both boxes empty.")
                               % {"what": label})
                continue
            cleaned[name] = total
        if not any(cleaned.get(name) for name, _label, target in DURATIONS if target) and not any(
                f"{name}_h" in self.errors or f"{name}_m" in self.errors for name, _l, _t in DURATIONS):
            raise forms.ValidationError(
                _("Set at least one target: first response, next response or resolution."), code="no_target")
        return cleaned

    def save(self, commit=True):
        policy = super().save(commit=False)
        for name, _label, _target in DURATIONS:
            setattr(policy, name, self.cleaned_data.get(name))
        policy.priorities = list(self.cleaned_data["priorities"])
        policy.categories = list(self.cleaned_data["categories"])
        policy.channels = list(self.cleaned_data["channels"])
        policy.tiers = self.cleaned_data["tiers"]
        if commit:
            policy.save()
        return policy


class TimeZoneInput(forms.TextInput):
    template_name = "manager/widgets/time_zone.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["zones"] = sorted(z for z in zoneinfo.available_timezones() if z.startswith("Asia/"))
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}_zones"
        return context


class BusinessCalendarForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Public holidays of"), choices=COUNTRIES, required=False)

    class Meta:
        model = BusinessCalendar
        fields = ["name", "time_zone", "country", "subdivision", "observe_collective_leave"]
        labels = {
            "name": _("Name"), "time_zone": _("Time zone"), "subdivision": _("State / region code"),
            "observe_collective_leave": _("Closed on cuti bersama (Indonesia's collective leave days)"),
        }
        help_texts = {
            "time_zone": _("An IANA time zone such as Asia/Jakarta, Asia/Makassar or Asia/Kuala_Lumpur."),
            "subdivision": _("Optional. For Malaysia the state code, e.g. 14 for Kuala Lumpur, 10 for Selangor."),
        }
        widgets = {"time_zone": TimeZoneInput}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = BusinessCalendar.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(_("There is already a calendar named “%(name)s”."), params={"name": clash.name})
        return name

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("“%(tz)s” is not a known time zone."), params={"tz": value}) from None
        return value

    def clean(self):
        cleaned = super().clean()
        country, subdivision = cleaned.get("country", ""), (cleaned.get("subdivision") or "").strip().upper()
        cleaned["subdivision"] = subdivision
        if subdivision and "country" not in self.errors:
            if not country:
                self.add_error("subdivision", _("A region needs a country."))
            else:
                known = holidays.country_holidays(country).subdivisions
                if subdivision not in known:
                    self.add_error("subdivision", _("“%(code)s” is not a region of %(country)s; known codes: %(known)s.")
                                   % {"code": subdivision, "country": dict(COUNTRIES)[country],
                                      "known": ", ".join(known)})
        return cleaned


class OpenPeriodForm(forms.ModelForm):
    weekday = forms.TypedChoiceField(label=_("Day"), coerce=int, empty_value=None,
                                     choices=[("", "—"), *WEEKDAYS])

    class Meta:
        model = OpenPeriod
        fields = ["weekday", "opens_at", "closes_at"]
        labels = {"opens_at": _("Opens"), "closes_at": _("Closes")}
        widgets = {"opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens is not None and closes is not None and opens >= closes:
            # On the field, so the model's own check constraint does not repeat it.
            self.add_error("closes_at", _("Closes (%(closes)s) must be after opens (%(opens)s).")
                           % {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")})
        return cleaned


class BaseOpenPeriodFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get("weekday") is None:
                continue
            by_day.setdefault(data["weekday"], []).append((data["opens_at"], data["closes_at"]))
        if not by_day:
            raise forms.ValidationError(_("A calendar needs at least one open period."), code="never_open")
        names = dict(WEEKDAYS)
        for day, periods in sorted(by_day.items()):
            periods.sort()
            for (o1, c1), (o2, c2) in zip(periods, periods[1:]):
                if o2 < c1:
                    raise forms.ValidationError(
                        _("%(day)s: %(a)s and %(b)s overlap.")
                        % {"day": names[day], "a": f"{o1:%H:%M}–{c1:%H:%M}", "b": f"{o2:%H:%M}–{c2:%H:%M}"},
                        code="overlap")


OpenPeriodFormSet = forms.inlineformset_factory(
    BusinessCalendar, OpenPeriod, form=OpenPeriodForm, formset=BaseOpenPeriodFormSet, extra=3, can_delete=True)


class ClosedDayForm(forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "name"]
        labels = {"date": _("Date"), "name": _("Reason")}
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class BaseClosedDayFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        seen = set()
        for form in self.forms:
            if self._should_delete_form(form) or not form.cleaned_data.get("date"):
                continue
            day = form.cleaned_data["date"]
            if day in seen:
                raise forms.ValidationError(_("%(date)s is listed twice.") % {"date": day.isoformat()}, code="twice")
            seen.add(day)

    def validate_unique(self):
        pass  # clean() above reports duplicate dates in words a manager understands


ClosedDayFormSet = forms.inlineformset_factory(
    BusinessCalendar, ClosedDay, form=ClosedDayForm, formset=BaseClosedDayFormSet, extra=2, can_delete=True)


class RemedyRuleForm(forms.ModelForm):
    class Meta:
        model = RemedyRule
        fields = ["category", "kind", "active", "approval_above", "max_amount", "window_days", "window_from", "note"]
        labels = {
            "category": _("Category"), "kind": _("Remedy"), "active": _("Allowed"),
            "approval_above": _("Approval needed above"), "max_amount": _("Maximum amount"),
            "window_days": _("Window (days)"), "window_from": _("Window counted from"), "note": _("Note for agents"),
        }
        help_texts = {
            "approval_above": _("Amounts above this need a team lead's or admin's approval. Empty: never; 0: always."),
            "max_amount": _("Never more than this. Empty: up to the order total."),
            "window_days": _("Allowed only within this many days. Empty: any time."),
        }

    def clean_approval_above(self):
        value = self.cleaned_data.get("approval_above")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return value

    def clean_max_amount(self):
        value = self.cleaned_data.get("max_amount")
        if value is not None and value <= Decimal(0):
            raise forms.ValidationError(_("The maximum must be more than zero."))
        return value

    def clean_window_days(self):
        value = self.cleaned_data.get("window_days")
        if value is not None and value < 1:
            raise forms.ValidationError(_("A window is at least one day."))
        return value

    def clean(self):
        cleaned = super().clean()
        approval, maximum = cleaned.get("approval_above"), cleaned.get("max_amount")
        if approval is not None and maximum is not None and approval > maximum:
            self.add_error("approval_above", _("The approval threshold (%(approval)s) cannot be above the maximum "
                                               "amount (%(maximum)s).") % {"approval": approval, "maximum": maximum})
        category, kind = cleaned.get("category"), cleaned.get("kind")
        if category and kind and RemedyRule.objects.filter(category=category, kind=kind).exclude(
                pk=self.instance.pk).exists():
            self.add_error("kind", _("%(category)s already has a rule for %(kind)s; edit that one.")
                           % {"category": Category(category).label, "kind": RemedyKind(kind).label})
        return cleaned


class TemplateForm(forms.Form):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
                           strip=True, required=False)

    def __init__(self, *args, key: str, language: str, **kwargs):
        self.key, self.language = key, language
        super().__init__(*args, **kwargs)

    def clean_body(self):
        text = self.cleaned_data["body"]
        try:
            texts.check_template(self.key, text)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        try:  # a format spec such as {amount:d} passes the placeholder check but cannot be filled
            fill(text, sample_values(self.language))
        except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
            raise forms.ValidationError(_("The text cannot be filled in: %(error)s") % {"error": exc}) from None
        return text


def sample_values(language: str) -> dict:
    from tanggap.common.clock import now
    from tanggap.reviews.replies import ORDER_PART

    promise = (now() + dt.timedelta(days=2)).replace(hour=8, minute=0, second=0, microsecond=0)
    reasons = {"id": "Suku cadang masih dalam pengiriman dari pemasok.",
               "ms": "Alat ganti masih dalam penghantaran daripada pembekal.",
               "en": "The spare part is still on its way from the supplier."}
    return {
        "customer_name": "Budi Santoso", "reference": "TG-000123", "subject": "Paket belum sampai",
        "promise_date": texts.format_when(promise, language), "reason": reasons.get(language, reasons["en"]),
        "order": "INV-20240611-0042", "amount": texts.format_amount(Decimal("150000"), "IDR", language),
        "note": "", "replacement_order": "INV-20240612-0007", "voucher_code": "MAAF-7Q2K",
        # review_reply (tanggap.reviews.replies fills these from the review)
        "product": "Kopi Gayo 250 g",
        "order_part": ORDER_PART[texts.language_of(language)].format(order="INV-20240611-0042"),
    }


def fill(text: str, values: dict) -> str:
    return string.Formatter().vformat(text, (), values).strip()

