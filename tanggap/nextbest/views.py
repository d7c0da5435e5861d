"""The daily work list: what to do now across customers, best first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tanggap.customers.models import Customer
from tanggap.nextbest import selectors
from tanggap.web.access import staff_required

PAGE_SIZE = 25


@require_GET
@staff_required
def work_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in selectors.WORK_KINDS else ""
    actions = selectors.work_list(user=request.user, kind=kind)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(Customer.objects.filter(pk__in={a.customer_id for a in page.object_list})
                 .values_list("id", "name"))
    kinds = [(k, str(selectors.LABELS[k])) for k in selectors.WORK_KINDS]
    return render(request, "nextbest/list.html", {"page": page, "names": names, "kind": kind, "kinds": kinds,
                                                  "total": len(actions)})
