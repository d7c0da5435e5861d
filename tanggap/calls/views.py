"""Console pages of calls: the "log a call" forms of the customer and ticket pages post here
(the forms themselves are panels on those pages, tanggap/calls/panels.py). A valid call goes
back to the page it came from; an invalid one is shown again on a page of its own, with the
errors beside the fields (status 400)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.calls import selectors, services
from tanggap.calls.forms import CallLogForm
from tanggap.calls.models import Source
from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations.selectors import ticket_get, tickets_visible_to
from tanggap.customers.selectors import customer_get
from tanggap.web.access import staff_required


def open_tickets_for(user, customer) -> list:
    """The customer's open tickets ``user`` may see, most recently active first."""
    return list(tickets_visible_to(user).filter(customer=customer, status__in=services.OPEN_STATUSES)
                .order_by("-updated_at", "-id")[:50])


def form_for_customer(user, customer, data=None, *, number: str | None = None, tickets=None) -> CallLogForm:
    """``number``, ``tickets``: the prefilled number and the customer's tickets ``user`` may see,
    when the caller has read them already."""
    if tickets is not None:
        tickets = sorted((t for t in tickets if t.status in services.OPEN_STATUSES),
                         key=lambda t: (t.updated_at, t.pk), reverse=True)
    return CallLogForm(data, tickets=open_tickets_for(user, customer) if tickets is None else tickets,
                       initial={"number": services.customer_phone(customer) if number is None else number})


def form_for_ticket(ticket, data=None, *, number: str | None = None) -> CallLogForm:
    return CallLogForm(data, on_ticket=True,
                       initial={"number": services.customer_phone(ticket.customer) if number is None else number})


def _log(request, form: CallLogForm, *, customer, ticket=None):
    data = form.cleaned_data
    new_ticket = bool(data.get("new_ticket"))
    if ticket is None and not new_ticket and data.get("ticket"):
        ticket = next((t for t in open_tickets_for(request.user, customer) if t.pk == data["ticket"]), None)
        if ticket is None:
            form.add_error("ticket", _("Choose one of the customer's open tickets."))
            return None
    return services.call_log(actor=request.user, customer=customer, direction=data["direction"],
                             number=data["number"], outcome=data["outcome"], duration_seconds=data["duration"],
                             notes=data["notes"], ticket=ticket, new_ticket=new_ticket, source=Source.CONSOLE)


def _done(request, call) -> None:
    messages.success(request, _("Call logged on %(ticket)s.") % {"ticket": call.ticket.reference})


@require_http_methods(["GET", "POST"])
@staff_required
def customer_log(request, customer_id: int):
    try:
        customer = customer_get(customer_id=customer_id)
    except NotFound:
        raise Http404 from None
    form = form_for_customer(request.user, customer, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            call = _log(request, form, customer=customer)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if call is not None:
                _done(request, call)
                return redirect("web:customer", customer_id=customer.pk)
    return render(request, "calls/log.html", {
        "form": form, "customer": customer, "action_customer": customer,
        "calls": selectors.calls_of_customer(user=request.user, customer=customer, limit=10),
    }, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@staff_required
def ticket_log(request, ticket_id: int):
    try:
        ticket = ticket_get(user=request.user, ticket_id=ticket_id)
    except NotFound:
        raise Http404 from None
    form = form_for_ticket(ticket, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            call = _log(request, form, customer=ticket.customer, ticket=ticket)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _done(request, call)
            return redirect("web:ticket", ticket_id=ticket.pk)
    return render(request, "calls/log.html", {
        "form": form, "customer": ticket.customer, "ticket": ticket,
        "calls": selectors.calls_of_ticket(ticket=ticket),
    }, status=400 if form.is_bound else 200)
