"""Small presentation helpers for the console and portal templates."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tanggap.accounts.selectors import role_of
from tanggap.conversations.choices import Category, Priority, Status, TimelineKind

register = template.Library()

_CHOICE_FIELDS = {TimelineKind.STATUS: Status, TimelineKind.PRIORITY: Priority, TimelineKind.CATEGORY: Category}


@register.simple_tag
def user_role(user) -> str:
    return role_of(user) or ""


@register.filter
def role_label(role: str) -> str:
    return {"agent": _("Agent"), "lead": _("Team lead"), "admin": _("Admin")}.get(role, "")


@register.filter
def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _none(value) -> str:
    return str(value) if value not in (None, "", []) else _("(none)")


@register.filter
def timeline_summary(entry) -> str:
    """What changed, in words: "Open → Solved", "urgent", "a, b"."""
    data = entry.data or {}
    kind = entry.kind
    if kind in _CHOICE_FIELDS:
        choices = _CHOICE_FIELDS[kind]
        return f"{_label(choices, data.get('old'))} → {_label(choices, data.get('new'))}"
    if kind in (TimelineKind.ASSIGNEE, TimelineKind.TEAM, TimelineKind.SUBJECT):
        return f"{_none(data.get('old'))} → {_none(data.get('new'))}"
    if kind == TimelineKind.TAGS:
        return f"{_none(', '.join(data.get('old') or []))} → {_none(', '.join(data.get('new') or []))}"
    if kind == TimelineKind.DELIVERY_FAILED:
        return str(data.get("error", ""))
    if kind == TimelineKind.CUSTOMER_MERGED:
        return f"#{data.get('source_id')} → #{data.get('target_id')}"
    return str(data.get("channel", ""))
