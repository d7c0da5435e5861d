"""Rejected inbound payloads, for admins: kept raw with the reason they were refused."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render

from tanggap.common.errors import DomainError, NotFound
from tanggap.common.pagination import Page
from tanggap.channels import selectors
from tanggap.web.access import admin_required


@admin_required
def inbound_list(request):
    try:
        page = selectors.inbound_rejected_list(cursor=request.GET.get("cursor") or None, limit=50)
    except DomainError as exc:
        messages.error(request, exc.message)
        page = Page(items=[], next_cursor=None)
    return render(request, "web/admin_inbound/list.html", {"page": page, "first_page": not request.GET.get("cursor")})


@admin_required
def inbound_detail(request, raw_id: int):
    try:
        raw, preview = selectors.inbound_rejected_get(raw_id=raw_id)
    except NotFound:
        raise Http404 from None
    return render(request, "web/admin_inbound/detail.html", {
        "raw": raw, "preview": preview, "truncated": raw.size > selectors.RAW_PREVIEW_BYTES,
        "limit": selectors.RAW_PREVIEW_BYTES,
    })
