"""The inbox: the tickets the agent may see, filtered, newest activity first."""

from __future__ import annotations

import html
import unicodedata

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tanggap.common.errors import DomainError
from tanggap.common.pagination import Page
from tanggap.conversations import selectors
from tanggap.conversations.models import Ticket
from tanggap.web.forms import InboxFilterForm
from tanggap.web.access import staff_required
from tanggap.web.templatetags.web_tags import date_formatter, person, quick_format_html, sla_due_context

PAGE_SIZE = 25
SUBJECT_CHARS = 90
# What a row shows (inbox_rows), and the sort keys of the cursor: the rest of the ticket, customer and assignee
# rows (access keys, password hash, eight timestamps) is not read or converted.
FIELDS = ("subject", "status", "priority", "category", "initiated_by", "updated_at", "sla_due_at", "customer__name",
          "channel__kind", "channel__name", "assignee__username", "assignee__first_name", "assignee__last_name",
          "team__name")


@staff_required
def inbox(request):
    form = InboxFilterForm(request.GET)
    try:
        page = selectors.ticket_list(user=request.user, filters=form.to_filters(),
                                     cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE, fields=FIELDS)
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


# One row of the list (web/inbox/_results.html places the rows; its header names the columns). Written
# here rather than in the template: in Django's template language a row cost about 140 µs of CPU (some
# 30 variable and tag nodes), a third of the page's rendering, and the page draws 25. quick_format_html
# escapes every value as {{ }} did; the tags, the "Unassigned" placeholder and the SLA badge come as HTML.
_ROW = """
    <tr class="ticket-row">
      <td class="col-subject">
        <a href="{url}" class="ticket-link" title="{subject}"><span class="ref">{reference}</span> {subject_short}</a>
        <span class="initiator initiator-{initiated_by}" title="{initiator}">{arrow} {initiator}</span>
        {tags}
      </td>
      <td>{customer}</td>
      <td><span class="channel channel-{channel_kind}">{channel_name}</span></td>
      <td><span class="badge status-{status}">{status_label}</span></td>
      <td><span class="prio prio-{priority}">{priority_label}</span></td>
      <td>{category_label}</td>
      <td>{assignee}{team}</td>
      <td>{sla}
</td>
      <td><time datetime="{updated_iso}" title="{updated_title}">{updated_short}</time></td>
    </tr>
  """
_TAG = '<span class="tag">{}</span>'
_UNASSIGNED = '<span class="muted">{}</span>'
_TEAM = '<br><small class="muted">{}</small>'
_SLA = '<span class="sla-due{}" title="{}">{}</span>'  # as web/partials/sla_due.html ({% sla_due %})
_NO_SLA = mark_safe('<span class="muted">—</span>')


def inbox_rows(tickets: list[Ticket]) -> list[str]:
    """The list's rows as HTML: the same text the template's filters gave (``get_FOO_display``,
    ``truncatechars:90``, ``date``, ``person``, ``{% sla_due %}``), but what is the same for every row
    (labels, date formats, the clock, the ticket URL's shape) is worked out once per page. Each
    ticket needs ``tag_list`` (its tags, prefetched)."""
    if not tickets:
        return []
    tz = timezone.get_current_timezone()
    now = timezone.now()
    status, priority, category, initiator = (_Labels(f) for f in ("status", "priority", "category", "initiated_by"))
    updated_title, updated_short, due_title = (date_formatter(f) for f in ("DATETIME_FORMAT", "j M, H:i", "j M Y, H:i"))
    overdue, due_in = _("overdue %(span)s"), _("due in %(span)s")  # as {% blocktranslate %} in sla_due.html
    unassigned = quick_format_html(_UNASSIGNED, _("Unassigned"))
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
        if t.sla_due_at is None:
            sla = _NO_SLA
        else:
            due = sla_due_context(t.sla_due_at, now)
            text = mark_safe((overdue if due["overdue"] else due_in) % {"span": html.escape(due["span"])})
            sla = quick_format_html(_SLA, " sla-overdue" if due["overdue"] else " sla-soon" if due["soon"] else "",
                        due_title(timezone.localtime(t.sla_due_at, tz)), text)
        rows.append(quick_format_html(
            _ROW, url=f"{url[0]}{t.pk}{url[1]}", reference=t.reference, subject=subject, subject_short=short,
            initiated_by=t.initiated_by, initiator=initiator(t.initiated_by),
            arrow="↗" if t.initiated_by == "company" else "↙",
            tags=mark_safe("".join(quick_format_html(_TAG, tag.name) for tag in t.tag_list)), customer=str(t.customer),
            channel_kind=t.channel.kind, channel_name=t.channel.name,
            status=t.status, status_label=status(t.status), priority=t.priority, priority_label=priority(t.priority),
            category_label=category(t.category),
            assignee=person(t.assignee) if t.assignee_id else unassigned,
            team=quick_format_html(_TEAM, t.team) if t.team_id else "",
            sla=sla, updated_iso=updated.isoformat(), updated_title=updated_title(updated),
            updated_short=updated_short(updated)))
    return rows
