"""The customer page: identities, orders, tickets the caller may see, the journey (events and
ticket touchpoints in one timeline, with "older" pages), and merging."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.common.pagination import Page
from tanggap.conversations.choices import TimelineKind
from tanggap.conversations.selectors import customer_tickets
from tanggap.customers import selectors, services
from tanggap.journeys.choices import Kind
from tanggap.journeys.selectors import customer_journey
from tanggap.web.access import staff_required
from tanggap.web.forms import MergeForm


def _customer_or_404(customer_id: int):
    try:
        return selectors.customer_get(customer_id=customer_id)
    except NotFound:
        raise Http404 from None


JOURNEY_PAGE = 20

# How each kind of journey item looks: a symbol (decorative; plain Unicode that common fonts
# carry, not emoji), a colour group, and its label.
JOURNEY_ICONS = {
    Kind.AD_SEEN: "◉", Kind.SEARCH: "⚲", Kind.SITE_VISIT: "⌂", Kind.STORE_VISIT: "▣",
    Kind.ORDER_PLACED: "☐", Kind.ORDER_PAID: "✓", Kind.ORDER_SHIPPED: "➜", Kind.ORDER_DELIVERED: "⚑",
    Kind.ORDER_RETURNED: "↩", Kind.REVIEW_POSTED: "★", Kind.SURVEY_ANSWERED: "✎",
    TimelineKind.OPENED: "⚐", TimelineKind.REOPENED: "⚐", TimelineKind.MESSAGE_IN: "✉", TimelineKind.MESSAGE_OUT: "↪",
}
JOURNEY_GROUPS = {
    **dict.fromkeys([Kind.AD_SEEN, Kind.SEARCH, Kind.SITE_VISIT, Kind.STORE_VISIT], "browse"),
    **dict.fromkeys([Kind.ORDER_PLACED, Kind.ORDER_PAID, Kind.ORDER_SHIPPED, Kind.ORDER_DELIVERED,
                     Kind.ORDER_RETURNED], "order"),
    **dict.fromkeys([Kind.REVIEW_POSTED, Kind.SURVEY_ANSWERED], "feedback"),
}
JOURNEY_LABELS = {**dict(Kind.choices), **dict(TimelineKind.choices)}


def _journey(request, customer) -> tuple[Page, str]:
    """One page of the journey, its rows decorated for the template, and an error to show."""
    try:
        page = customer_journey(customer=customer, user=request.user, cursor=request.GET.get("journey") or None,
                                limit=JOURNEY_PAGE)
    except DomainError as exc:  # a tampered cursor: say so, not a 500
        return Page(items=[], next_cursor=None), exc.message
    for item in page.items:
        item.icon = JOURNEY_ICONS.get(item.kind, "•")
        item.group = JOURNEY_GROUPS.get(item.kind, "contact")
        item.label = JOURNEY_LABELS.get(item.kind, item.kind)
    return page, ""


def _render(request, customer, merge_form=None, status=200):
    journey, journey_error = _journey(request, customer)
    context = {
        "customer": customer,
        "identities": selectors.customer_identities(customer=customer),
        "orders": selectors.customer_orders(customer=customer),
        "tickets": customer_tickets(user=request.user, customer_id=customer.pk, limit=50),
        "merge_form": merge_form or MergeForm(),
        "journey": journey,
        "journey_error": journey_error,
        "journey_older": bool(request.GET.get("journey")),
    }
    return render(request, "web/customer/detail.html", context, status=status)


@require_GET
@staff_required
def customer_detail(request, customer_id: int):
    customer = _customer_or_404(customer_id)
    if customer.pk != customer_id:  # merged away: show the surviving customer
        return redirect("web:customer", customer_id=customer.pk)
    if request.htmx and not request.htmx.history_restore_request and "journey" in request.GET:
        # "Older" in the journey: only the next page's rows, appended where the link was.
        journey, journey_error = _journey(request, customer)
        response = render(request, "web/customer/_journey_items.html",
                          {"customer": customer, "journey": journey, "journey_error": journey_error})
        patch_vary_headers(response, ["HX-Request"])
        return response
    response = _render(request, customer)
    patch_vary_headers(response, ["HX-Request"])
    return response


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


@require_POST
@staff_required
def customer_proactive(request, customer_id: int):
    """The customer asked to stop (or resume) proactive messages."""
    customer = _customer_or_404(customer_id)
    opt_out = request.POST.get("opt_out") == "1"
    services.customer_set_opt_out(customer=customer, opt_out=opt_out)
    messages.success(request, _("This customer gets no proactive messages from now on.") if opt_out
                     else _("This customer gets proactive messages again."))
    return redirect("web:customer", customer_id=customer.pk)
