"""Forms of the agent console and the customer portal. They only parse and validate
input; the views hand the cleaned values to services and selectors."""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tanggap.channels.models import Channel
from tanggap.conversations.choices import GROUP_STATUSES, Category, Priority, Status, StatusGroup
from tanggap.conversations.selectors import TicketFilters
from tanggap.accounts import selectors as account_selectors
from tanggap.web.templatetags.web_tags import quick_format_html

ALL = "all"


def grouped_statuses() -> list:
    """Statuses in optgroups: open / paused / resolved."""
    return [(group.label, [(s.value, s.label) for s in GROUP_STATUSES[group]]) for group in StatusGroup]


def status_filter_choices() -> list:
    groups = [(g.value, g.label) for g in StatusGroup] + [(ALL, _("All statuses"))]
    # "open" is both a group and a status; as a filter it means the group.
    single = [(s.value, s.label) for s in Status if s.value not in StatusGroup.values]
    return [(_("Groups"), groups), (_("Single status"), single)]


def _attrs(attrs: dict) -> str:
    """As Django's ``django/forms/widgets/attrs.html``: in order, True as a bare name, False left out."""
    return mark_safe("".join(quick_format_html(" {}", k) if v is True else quick_format_html(' {}="{}"', k, v)
                             for k, v in attrs.items() if v is not False))


class ListSelect(forms.Select):
    """Django's ``Select`` with the same context and the same markup, written out in Python: its
    template includes a template per option, and the inbox draws four selects (some 30 options) on
    every request, where that was a tenth of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [quick_format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(quick_format_html('\n  <optgroup label="{}">', group_name))
            out.extend(quick_format_html('\n  <option value="{}"{}>{}</option>\n', o["value"], _attrs(o["attrs"]),
                                         o["label"]) for o in options)
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))


class InboxFilterForm(forms.Form):
    VIEWS = [("", _("All I can see")), ("mine", _("Mine")), ("unassigned", _("Unassigned")), ("team", _("My teams"))]

    view = forms.ChoiceField(label=_("View"), choices=VIEWS, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=status_filter_choices, required=False, widget=ListSelect)
    channel = forms.ChoiceField(label=_("Channel"), required=False, widget=ListSelect,
                                choices=[("", _("All channels")), *Channel.Kind.choices])
    category = forms.ChoiceField(label=_("Category"), required=False, widget=ListSelect,
                                 choices=[("", _("All categories")), *Category.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Sort"), required=False, widget=ListSelect,
                             choices=[("", _("Latest activity")), ("sla", _("SLA due first"))])

    def to_filters(self) -> TicketFilters:
        """Filters from whatever was valid; the status defaults to the open group."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or StatusGroup.OPEN
        return TicketFilters(view=data.get("view", ""), status="" if status == ALL else status,
                             channel=data.get("channel", ""), category=data.get("category", ""),
                             q=data.get("q", ""), sort=data.get("sort", ""))

    def current(self, field: str) -> str:
        value = self.cleaned_data.get(field, "") if self.is_valid() else ""
        return value or (StatusGroup.OPEN.value if field == "status" else "")


class ReplyForm(forms.Form):
    # Distinct ids: the reply and note boxes share a page and a field name.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)

    body_text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=50_000)
    status = forms.ChoiceField(label=_("and set status"), required=False,
                               choices=lambda: [("", _("(keep status)")), *grouped_statuses()])


class NoteForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)

    body_text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=50_000)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class TicketPropertiesForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=grouped_statuses)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500,
                           help_text=_("Separate tags with commas."))
    assignee = StaffChoiceField(label=_("Assignee"), queryset=None, required=False, empty_label=_("(unassigned)"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("(no team)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = account_selectors.staff_users()
        self.fields["team"].queryset = account_selectors.teams()

    @classmethod
    def for_ticket(cls, ticket, tag_names: list[str]) -> TicketPropertiesForm:
        return cls(initial={"status": ticket.status, "priority": ticket.priority, "category": ticket.category,
                            "tags": ", ".join(tag_names), "assignee": ticket.assignee_id, "team": ticket.team_id})

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class MergeForm(forms.Form):
    source_id = forms.IntegerField(label=_("Customer ID to merge into this one"), min_value=1)


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PromiseRedateForm(forms.Form):
    """Move the promise to a new date, in the agent's local time, with the reason the customer reads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "promise_%s")
        super().__init__(*args, **kwargs)

    due_at = forms.DateTimeField(label=_("New date and time"),
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                 input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    reason = forms.CharField(label=_("Reason (the customer reads it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
