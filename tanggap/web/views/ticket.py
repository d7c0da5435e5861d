"""The ticket page: thread, reply and note boxes, properties, history, customer sidebar."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations import selectors, services
from tanggap.customers.selectors import customer_identities, customer_orders
from tanggap.web.access import staff_required
from tanggap.web.forms import NoteForm, PromiseRedateForm, ReplyForm, TicketPropertiesForm


def ticket_or_404(request, ticket_id: int):
    try:
        return selectors.ticket_get(user=request.user, ticket_id=ticket_id)
    except NotFound:
        raise Http404 from None


def _promise_context(ticket) -> dict:
    from tanggap.promises.models import PromiseStatus
    from tanggap.promises.selectors import promise_history
    from tanggap.promises.services import promise_date_text, promise_due_for
    from tanggap.sla.selectors import ticket_sla
    from tanggap.texts.services import render as render_text

    history = promise_history(ticket=ticket)
    current = history[-1] if history else None
    preview = ""
    if (current is None or current.status != PromiseStatus.ACTIVE) and ticket.status_group != "resolved" and \
            not (current and current.status == PromiseStatus.BROKEN):
        due = promise_due_for(ticket)
        if due:
            preview = render_text("promise_made", ticket.customer.language, promise_date=promise_date_text(ticket, due))
    return {"sla": ticket_sla(ticket=ticket), "promises": history, "promise": current, "promise_preview": preview,
            "can_redate": current is not None and current.status in (PromiseStatus.ACTIVE, PromiseStatus.BROKEN)
            and ticket.status_group != "resolved"}


def _render(request, ticket, *, reply_form=None, note_form=None, props_form=None, promise_form=None, status=200):
    tag_names = sorted(ticket.tags.values_list("name", flat=True))
    customer = ticket.customer
    context = {
        **_promise_context(ticket),
        "promise_form": promise_form or PromiseRedateForm(),
        "ticket": ticket,
        "tag_names": tag_names,
        "thread": selectors.ticket_messages(ticket=ticket),
        "timeline": selectors.ticket_timeline(ticket=ticket),
        "reply_form": reply_form or ReplyForm(),
        "note_form": note_form or NoteForm(),
        "props_form": props_form or TicketPropertiesForm.for_ticket(ticket, tag_names),
        "customer": customer,
        "identities": customer_identities(customer=customer),
        "orders": customer_orders(customer=customer, limit=5),
        "past_tickets": [t for t in selectors.customer_tickets(user=request.user, customer_id=customer.pk, limit=11)
                         if t.pk != ticket.pk][:10],
    }
    return render(request, "web/ticket/detail.html", context, status=status)


@require_GET
@staff_required
def ticket_detail(request, ticket_id: int):
    return _render(request, ticket_or_404(request, ticket_id))


@require_POST
@staff_required
def ticket_reply(request, ticket_id: int):
    ticket = ticket_or_404(request, ticket_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_send(ticket=ticket, author=request.user, body_text=form.cleaned_data["body_text"],
                                status=form.cleaned_data["status"] or None)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Reply queued for delivery."))
            return redirect("web:ticket", ticket_id=ticket.pk)
    return _render(request, ticket, reply_form=form, status=400)


@require_POST
@staff_required
def ticket_note(request, ticket_id: int):
    ticket = ticket_or_404(request, ticket_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(ticket=ticket, author=request.user, body_text=form.cleaned_data["body_text"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Note added."))
            return redirect("web:ticket", ticket_id=ticket.pk)
    return _render(request, ticket, note_form=form, status=400)


@require_POST
@staff_required
def ticket_properties(request, ticket_id: int):
    ticket = ticket_or_404(request, ticket_id)
    form = TicketPropertiesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ticket_update(ticket=ticket, actor=request.user, status=data["status"],
                                   priority=data["priority"], category=data["category"], tags=data["tags"],
                                   assignee=data["assignee"], team=data["team"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Ticket updated."))
            # The change may take the ticket out of the agent's sight (another team).
            try:
                return redirect("web:ticket", ticket_id=selectors.ticket_get(user=request.user, ticket_id=ticket.pk).pk)
            except NotFound:
                return redirect("web:inbox")
    return _render(request, ticket, props_form=form, status=400)


@require_GET
@staff_required
def ticket_attachment(request, ticket_id: int, attachment_id: int):
    ticket = ticket_or_404(request, ticket_id)
    try:
        attachment = selectors.attachment_get(ticket=ticket, attachment_id=attachment_id)
    except NotFound:
        raise Http404 from None
    # Always a download, never rendered inline: the file came from outside.
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename,
                        content_type="application/octet-stream")


@require_POST
@staff_required
def ticket_promise(request, ticket_id: int):
    """Re-date the promise with a reason; the customer is told both."""
    from django.utils import timezone

    from tanggap.promises.services import promise_redate

    ticket = ticket_or_404(request, ticket_id)
    form = PromiseRedateForm(request.POST)
    if form.is_valid():
        due_at = form.cleaned_data["due_at"]
        if timezone.is_naive(due_at):
            due_at = timezone.make_aware(due_at)
        try:
            promise_redate(ticket=ticket, actor=request.user, due_at=due_at, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The promise has a new date; the customer is being told why."))
            return redirect("web:ticket", ticket_id=ticket.pk)
    return _render(request, ticket, promise_form=form, status=400)
