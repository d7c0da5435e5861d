"""The manager's list of customers by health (`/health/`, leads and admins): lowest score first,
filtered by band (at risk by default), keyset pages."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tanggap.common.errors import DomainError
from tanggap.health import selectors
from tanggap.health.models import Band
from tanggap.web.access import manager_required

PAGE_SIZE = 50


@require_GET
@manager_required
def at_risk(request):
    band = request.GET.get("band", Band.AT_RISK)
    if band not in Band.values and band != "all":
        band = Band.AT_RISK
    try:
        page = selectors.health_page(band=None if band == "all" else band, cursor=request.GET.get("after") or None,
                                     limit=PAGE_SIZE)
    except DomainError:
        return redirect(f"{request.path}?band={band}")
    rows = [selectors.as_dict(row) | {"customer": row.customer} for row in page.items]
    return render(request, "health/list.html", {
        "rows": rows, "page": page, "band": band, "bands": Band.choices, "counts": selectors.band_counts(),
        "first_page": not request.GET.get("after"), "model": selectors.current_model(),
    })
