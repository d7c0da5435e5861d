"""The inbox: the tickets the agent may see, filtered, newest activity first."""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tanggap.common.errors import DomainError
from tanggap.common.pagination import Page
from tanggap.conversations import selectors
from tanggap.conversations.models import Ticket
from tanggap.web.forms import InboxFilterForm
from tanggap.web.access import staff_required
from tanggap.web.templatetags.web_tags import date_formatter, person, sla_due_context

PAGE_SIZE = 25
SUBJECT_CHARS = 90


@staff_required
def inbox(request):
    form = InboxFilterForm(request.GET)
    try:
        page = selectors.ticket_list(user=request.user, filters=form.to_filters(),
                                     cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except DomainError as exc:  # a tampered cursor: show the error, not a 500
        messages.error(request, exc.message)
        page = Page(items=[], next_cursor=None)
    prefetch_related_objects(page.items, Prefetch("tags", to_attr="tag_list"))  # a list: no manager per row
    context = {"form": form, "page": page, "rows": inbox_rows(page.items), "view": form.current("view"),
               "status": form.current("status"), "first_page": not request.GET.get("cursor")}
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "web/inbox/_results.html" if partial else "web/inbox/index.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class _Labels:
    """A choice field's value → its label in the active language, each label translated once."""

    def __init__(self, field: str):
        self.choices = dict(Ticket._meta.get_field(field).flatchoices)
        self.done: dict = {}

    def __call__(self, value) -> str:
        label = self.done.get(value)
        if label is None:
            label = self.done[value] = str(self.choices.get(value, value))
        return label


def inbox_rows(tickets: list[Ticket]) -> list[dict]:
    """What each row of the list shows, as plain strings: the template only places them.

    The same text the template filters would give (``get_FOO_display``, ``truncatechars:90``,
    ``date``, ``person``, ``{% sla_due %}``), but what is the same for every row (labels, formats,
    the clock, the ticket URL's shape) is worked out once per page instead of once per row."""
    if not tickets:
        return []
    tz = timezone.get_current_timezone()
    now = timezone.now()
    status, priority, category, initiator = (_Labels(f) for f in ("status", "priority", "category", "initiated_by"))
    updated_title, updated_short, due_title = (date_formatter(f) for f in ("DATETIME_FORMAT", "j M, H:i", "j M Y, H:i"))
    overdue, due_in = _("overdue %(span)s"), _("due in %(span)s")  # as {% blocktranslate %} in web/partials/sla_due.html
    marker = 9_876_543_210
    url = reverse("web:ticket", args=[marker]).split(str(marker))
    rows = []
    for t in tickets:
        subject = t.subject
        if len(subject) > SUBJECT_CHARS or not unicodedata.is_normalized("NFC", subject):
            short = truncatechars(subject, SUBJECT_CHARS)
        else:
            short = subject  # what Truncator gives back for a short, normalized text
        updated = timezone.localtime(t.updated_at, tz)
        updated_df = dateformat.DateFormat(updated)
        row = {
            "url": f"{url[0]}{t.pk}{url[1]}", "reference": t.reference, "subject": subject, "subject_short": short,
            "initiated_by": t.initiated_by, "initiator": initiator(t.initiated_by),
            "tags": [tag.name for tag in t.tag_list], "customer": str(t.customer),
            "channel_kind": t.channel.kind, "channel_name": t.channel.name,
            "status": t.status, "status_label": status(t.status),
            "priority": t.priority, "priority_label": priority(t.priority), "category_label": category(t.category),
            "assignee": person(t.assignee) if t.assignee_id else None, "team": str(t.team) if t.team_id else None,
            "updated_iso": updated.isoformat(), "updated_title": updated_title(updated, updated_df),
            "updated_short": updated_short(updated, updated_df), "sla": None,
        }
        if t.sla_due_at is not None:
            sla = sla_due_context(t.sla_due_at, now)
            text = (overdue if sla["overdue"] else due_in) % {"span": conditional_escape(sla["span"])}
            row["sla"] = {"overdue": sla["overdue"], "soon": sla["soon"], "text": mark_safe(text),
                          "title": due_title(timezone.localtime(t.sla_due_at, tz))}
        rows.append(row)
    return rows
