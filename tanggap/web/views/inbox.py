"""The inbox: the tickets the agent may see, filtered, newest activity first."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from tanggap.common.errors import DomainError
from tanggap.common.pagination import Page
from tanggap.conversations import selectors
from tanggap.web.access import staff_required
from tanggap.web.forms import InboxFilterForm

PAGE_SIZE = 25


@staff_required
def inbox(request):
    form = InboxFilterForm(request.GET)
    try:
        page = selectors.ticket_list(user=request.user, filters=form.to_filters(),
                                     cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except DomainError as exc:  # a tampered cursor: show the error, not a 500
        messages.error(request, exc.message)
        page = Page(items=[], next_cursor=None)
    prefetch_related_objects(page.items, "tags")
    context = {"form": form, "page": page, "view": form.current("view"), "status": form.current("status"),
               "first_page": not request.GET.get("cursor")}
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "web/inbox/_results.html" if partial else "web/inbox/index.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
