"""The customer page: identities, orders, tickets the caller may see, and merging."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations.selectors import customer_tickets
from tanggap.customers import selectors, services
from tanggap.web.access import staff_required
from tanggap.web.forms import MergeForm


def _customer_or_404(customer_id: int):
    try:
        return selectors.customer_get(customer_id=customer_id)
    except NotFound:
        raise Http404 from None


def _render(request, customer, merge_form=None, status=200):
    context = {
        "customer": customer,
        "identities": selectors.customer_identities(customer=customer),
        "orders": selectors.customer_orders(customer=customer),
        "tickets": customer_tickets(user=request.user, customer_id=customer.pk, limit=50),
        "merge_form": merge_form or MergeForm(),
    }
    return render(request, "web/customer/detail.html", context, status=status)


@require_GET
@staff_required
def customer_detail(request, customer_id: int):
    customer = _customer_or_404(customer_id)
    if customer.pk != customer_id:  # merged away: show the surviving customer
        return redirect("web:customer", customer_id=customer.pk)
    return _render(request, customer)


@require_POST
@staff_required
def customer_merge(request, customer_id: int):
    target = _customer_or_404(customer_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            source = selectors.customer_get(customer_id=form.cleaned_data["source_id"])
            services.customer_merge(source=source, target=target, actor=request.user)
        except DomainError as exc:
            form.add_error("source_id", exc.message)
        else:
            messages.success(request, _("Customer %(source)s was merged into this customer.") % {"source": source})
            return redirect("web:customer", customer_id=target.pk)
    return _render(request, target, merge_form=form, status=400)
