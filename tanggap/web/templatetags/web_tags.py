"""Small presentation helpers for the console and portal templates."""

from __future__ import annotations

import datetime as dt
import html

from django import template
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
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


_DISPLAY: dict = {}


@register.filter
def display(obj, field_name: str):
    """``obj.get_<field>_display()`` for lists: Django's builds a hashable copy of every choice on
    each call, translating all their labels (a quarter of the inbox page's CPU); this keeps one
    value → lazy label dict per model field, and only the label shown is translated."""
    if obj is None:
        return ""
    key = (type(obj), field_name)
    labels = _DISPLAY.get(key)
    if labels is None:
        labels = _DISPLAY[key] = dict(obj._meta.get_field(field_name).flatchoices)
    value = getattr(obj, field_name)
    return labels.get(value, value)


def _escape(value) -> str:
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def quick_format_html(markup: str, *args, **kwargs) -> SafeString:
    """``format_html`` for markup drawn many times a page (the inbox's rows and selects): the same
    escaping (``conditional_escape``: safe HTML as it is, anything else ``html.escape(str(value))``,
    as ``{{ }}`` does) without Django's lazy-aware wrapper around each value, which cost more than
    the formatting itself."""
    return mark_safe(markup.format(*map(_escape, args), **{k: _escape(v) for k, v in kwargs.items()}))


@register.filter
def iso(value) -> str:
    """The ``date:'c'`` of a ``<time datetime>``, without the format machinery (4 dates a row)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


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
    if kind == TimelineKind.SLA_BREACHED:
        return _target_label(data.get("target", ""))
    if kind in (TimelineKind.PROMISE_MADE, TimelineKind.PROMISE_KEPT, TimelineKind.PROMISE_BROKEN):
        return _local(data.get("due_at"))
    if kind == TimelineKind.PROMISE_REDATED:
        return f"{_local(data.get('old_due_at'))} → {_local(data.get('due_at'))}: {data.get('reason', '')}"
    if kind in (TimelineKind.REMEDY_APPLIED, TimelineKind.REMEDY_REQUESTED, TimelineKind.REMEDY_REJECTED):
        parts = [str(data.get(k)) for k in ("remedy", "amount", "currency", "order", "replacement_order", "voucher_code")
                 if data.get(k) not in (None, "")]
        return " ".join(parts)
    return str(data.get("channel", ""))


def _local(value) -> str:
    if not value:
        return ""
    try:
        at = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return formats.date_format(timezone.localtime(at), "j M Y, H:i")


def _target_label(kind: str) -> str:
    from tanggap.sla.models import TargetKind

    return _label(TargetKind, kind)


@register.filter
def target_label(kind: str) -> str:
    return _target_label(kind)


@register.filter
def duration(seconds) -> str:
    """4500 → "1 h 15 min" (translated)."""
    minutes = int(seconds or 0) // 60
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d d") % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts[:2])


def sla_due_context(due_at, now: dt.datetime | None = None) -> dict:
    """What the SLA badge shows; ``now`` lets a list compute it once for all its rows."""
    if due_at is None:
        return {"due_at": None}
    delta = (due_at - (now or timezone.now())).total_seconds()
    return {"due_at": due_at, "overdue": delta < 0, "soon": 0 <= delta < 3600, "span": duration(abs(delta))}


@register.inclusion_tag("web/partials/sla_due.html")
def sla_due(due_at):
    """A badge: "due in 2 h 5 min" (amber within the hour), "overdue 3 h" (red)."""
    return sla_due_context(due_at)


# DateFormat's format characters that give a month's name: the same for every date of that month.
_MONTH_NAMES = frozenset("bEFMN")
# Format characters that are plain numbers, written as DateFormat writes them.
_NUMBERS = {
    "d": lambda v: "%02d" % v.day, "j": lambda v: str(v.day), "m": lambda v: "%02d" % v.month,
    "n": lambda v: str(v.month), "Y": lambda v: "%04d" % v.year, "y": lambda v: "%02d" % (v.year % 100),
    "H": lambda v: "%02d" % v.hour, "G": lambda v: str(v.hour), "i": lambda v: "%02d" % v.minute,
    "s": lambda v: "%02d" % v.second,
}
_TEXT, _NUMBER, _MONTH_NAME, _OTHER = 0, 1, 2, 3


def date_formatter(format_string: str):
    """``value|date:format_string`` as a function, for lists that format many datetimes: the
    format (a ``*_FORMAT`` setting name or format characters, as the filter takes) is looked up
    for the active language and split once, numbers are written directly and month names
    translated once per month; other characters go through Django's ``DateFormat``. Give it local
    times (the template engine converts before the ``date`` filter; ``timezone.localtime``)."""
    pieces = []
    for i, piece in enumerate(dateformat.re_formatchars.split(str(formats.get_format(format_string)))):
        if i % 2:
            kind = _NUMBER if piece in _NUMBERS else _MONTH_NAME if piece in _MONTH_NAMES else _OTHER
            pieces.append((kind, _NUMBERS[piece] if kind == _NUMBER else piece))
        elif piece:
            pieces.append((_TEXT, dateformat.re_escaped.sub(r"\1", piece)))
    pieces = tuple(pieces)
    names: dict = {}

    def fmt(value) -> str:
        if value in (None, ""):
            return ""
        df = None
        out = []
        for kind, piece in pieces:
            if kind == _TEXT:
                out.append(piece)
            elif kind == _NUMBER:
                out.append(piece(value))
            elif kind == _MONTH_NAME and (piece, value.month) in names:
                out.append(names[piece, value.month])
            else:
                df = df or dateformat.DateFormat(value)
                text = str(getattr(df, piece)())
                if kind == _MONTH_NAME:
                    names[piece, value.month] = text
                out.append(text)
        return "".join(out)

    return fmt


@register.simple_tag
def unread_notifications(user) -> int:
    from tanggap.notifications.selectors import unread_count

    return unread_count(user=user) if user.is_authenticated else 0


@register.simple_tag(takes_context=True)
def panels(context, slot: str):
    """Render the panels registered for ``slot`` (tanggap/web/panels.py)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from tanggap.web.panels import panels_of

    request = context.get("request")
    flat = context.flatten()
    out = []
    for panel in panels_of(slot):
        extra = panel.context(request, flat) if panel.context else {}
        if extra is None:
            continue
        out.append(render_to_string(panel.template, {**flat, **extra}, request=None))
    return mark_safe("".join(out))
