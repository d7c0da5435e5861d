"""The customer portal (no login): a contact form, and a ticket page reached only by
its unguessable access key. Everything a customer writes goes through channel intake,
exactly like a message posted to the API, so it is stored raw first and threaded."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tanggap.channels.services import channel_for, inbound_receive
from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations import selectors
from tanggap.customers.selectors import customer_identities
from tanggap.web.forms import ContactForm, PortalMessageForm


def _intake(*, sender: dict, subject: str, body: str):
    """Store one web-form message through intake; returns the ticket it landed on."""
    payload = {"channel": "web", "external_id": str(uuid.uuid4()), "from": sender, "subject": subject, "body": body}
    language = (get_language() or "")[:2]
    if language in ("id", "ms", "en"):
        payload["language"] = language
    results = inbound_receive(channel=channel_for(kind="web"), body=json.dumps(payload).encode(),
                              content_type="application/json", source="api")
    return results[0].ticket


@never_cache
def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return render(request, "web/portal/thanks.html")
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = _intake(sender={"email": data["email"], "name": data["name"]},
                                 subject=data["subject"], body=data["message"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you. We received your message; keep this page's address to follow your case."))
                return redirect("web:portal-ticket", access_key=ticket.access_key)
    return render(request, "web/portal/contact.html", {"form": form}, status=400 if form.errors else 200)


def _sender_for(ticket) -> dict | None:
    """The customer's own address on this ticket, so the message threads to the same customer."""
    identities = customer_identities(customer=ticket.customer)
    for kind in ("email", "phone"):
        for identity in identities:
            if identity.kind == kind:
                return {kind: identity.value, "name": ticket.customer.name}
    return None


@never_cache
def portal_ticket(request, access_key: str):
    try:
        ticket = selectors.ticket_for_customer(access_key=access_key)
    except NotFound:
        raise Http404 from None
    form = PortalMessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return render(request, "web/portal/thanks.html")
        sender = _sender_for(ticket)
        if sender is None:
            form.add_error(None, _("Messages cannot be added to this case here; please answer on the channel you used."))
        elif form.is_valid():
            try:
                landed = _intake(sender=sender, subject=f"[{ticket.reference}] {ticket.subject}",
                                 body=form.cleaned_data["message"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your message was added."))
                return redirect("web:portal-ticket", access_key=landed.access_key)
    context = {"ticket": ticket, "thread": selectors.ticket_messages(ticket=ticket, include_notes=False), "form": form}
    return render(request, "web/portal/ticket.html", context, status=400 if form.errors else 200)
