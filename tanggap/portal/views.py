"""The customer portal: a contact form, a ticket page reached by its unguessable access key,
and, for customers who sign in with a one-time email link, the list of all their tickets.

Everything a customer writes goes through channel intake, exactly like a message posted to
the API, so it is stored raw first and threaded. The portal session holds only a customer id
(``portal_customer_id``); it is not a Django user and grants nothing in the console.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations import selectors as conversation_selectors
from tanggap.customers.selectors import customer_identities
from tanggap.portal import selectors, services
from tanggap.portal.forms import ContactForm, LoginForm, PortalMessageForm

SESSION_KEY = "portal_customer_id"


def _language() -> str:
    return (get_language() or "id")[:2]


def _signed_in(request):
    customer = selectors.portal_customer(request.session.get(SESSION_KEY))
    if customer is None:
        request.session.pop(SESSION_KEY, None)
    return customer


def _render(request, template: str, context: dict | None = None, status: int = 200):
    context = {"portal_customer": _signed_in(request), **(context or {})}
    return render(request, template, context, status=status)


def home(request):
    return redirect("portal:tickets" if _signed_in(request) else "portal:contact")


@never_cache
def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return _render(request, "portal/thanks.html")
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.portal_message_receive(sender={"email": data["email"], "name": data["name"]},
                                                         subject=data["subject"], body=data["message"],
                                                         language=_language())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if not ticket.opened_by_this_message:
                    # Threaded into an existing case of that address (e.g. its reference in the
                    # subject): the address is not verified here, so the case's page is not shown.
                    return _render(request, "portal/thanks.html")
                messages.success(request, _("Thank you. We received your message; keep this page's address to follow your case."))
                return redirect("portal:ticket", access_key=ticket.access_key)
    return _render(request, "portal/contact.html", {"form": form}, status=400 if form.errors else 200)


def _sender_for(ticket) -> dict | None:
    """The customer's own address on this ticket, so the message threads to the same customer."""
    identities = customer_identities(customer=ticket.customer)
    for kind in ("email", "phone"):
        for identity in identities:
            if identity.kind == kind:
                return {kind: identity.value, "name": ticket.customer.name}
    return None


@never_cache
def ticket(request, access_key: str):
    try:
        ticket = conversation_selectors.ticket_for_customer(access_key=access_key)
    except NotFound:
        raise Http404 from None
    form = PortalMessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return _render(request, "portal/thanks.html")
        sender = _sender_for(ticket)
        if sender is None:
            form.add_error(None, _("Messages cannot be added to this case here; please answer on the channel you used."))
        elif form.is_valid():
            try:
                landed = services.portal_message_receive(sender=sender, subject=f"[{ticket.reference}] {ticket.subject}",
                                                         body=form.cleaned_data["message"], language=_language())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your message was added."))
                return redirect("portal:ticket", access_key=landed.access_key)
    label, meaning = selectors.status_words(ticket.status)
    context = {
        "ticket": ticket, "form": form, "status_label": label, "status_meaning": meaning,
        "promise": selectors.ticket_promise(ticket=ticket),
        "thread": selectors.ticket_thread(ticket=ticket),
        "remedies": selectors.ticket_remedies(ticket=ticket),
    }
    return _render(request, "portal/ticket.html", context, status=400 if form.errors else 200)


# --- sign-in ----------------------------------------------------------------------------


@never_cache
def login(request):
    if _signed_in(request):
        return redirect("portal:tickets")
    form = LoginForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return _render(request, "portal/login_sent.html")
        if form.is_valid():
            # The same answer whether the address is known, unknown or asked too often.
            services.login_link_request(address=form.cleaned_data["email"], language=_language())
            return _render(request, "portal/login_sent.html", {"address": form.cleaned_data["email"]})
    return _render(request, "portal/login.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def login_link(request, token: str):
    """GET shows a button (mail scanners that follow links must not use the link up); POST signs in."""
    if request.method == "POST":
        customer = services.login_link_redeem(token=token)
        if customer is None:
            return _render(request, "portal/login_invalid.html", status=410)
        request.session.cycle_key()  # a new session id: a planted one is worthless
        request.session[SESSION_KEY] = customer.pk
        return redirect("portal:tickets")
    if services.login_link_check(token=token) is None:
        return _render(request, "portal/login_invalid.html", status=410)
    return _render(request, "portal/login_confirm.html", {"token": token})


@require_POST
def logout(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.success(request, _("You are signed out."))
    return redirect("portal:login")


@never_cache
def tickets(request):
    customer = _signed_in(request)
    if customer is None:
        return redirect("portal:login")
    try:
        page = selectors.customer_ticket_page(customer=customer, cursor=request.GET.get("after") or None)
    except DomainError:  # a mangled cursor: start again
        return redirect("portal:tickets")
    for item in page.items:
        item.status_label, item.status_meaning = selectors.status_words(item.status)
    return _render(request, "portal/tickets.html", {"page": page, "customer": customer,
                                                     "first_page": not request.GET.get("after")})
