"""Console screens for remedies: the panel on a ticket (also a page of its own), applying,
approving and rejecting, and the managers' queue of remedies waiting for approval.

Forms post normally and also with htmx (the panel swaps itself); a refused remedy comes back
as a form error, never as a stack trace."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations.selectors import ticket_get
from tanggap.remedies import selectors, services
from tanggap.remedies.forms import DecisionForm, RemedyForm
from tanggap.remedies.models import RemedyKind, RemedyStatus
from tanggap.texts.services import format_amount
from tanggap.web.access import manager_required, staff_required


def _amount_text(remedy, lang: str) -> str:
    if remedy.kind == RemedyKind.POINTS and remedy.amount is not None:
        return _("%(points)s points") % {"points": int(remedy.amount)}
    return format_amount(remedy.amount, remedy.currency, lang)


def _ticket_or_404(request, ticket_id: int):
    try:
        return ticket_get(user=request.user, ticket_id=ticket_id)
    except NotFound:
        raise Http404 from None


def rule_limits(rule, currency: str = "IDR") -> list[str]:
    """The rule's limits in words, in the active language."""
    lang = get_language() or "id"
    out = []
    if rule.max_amount is not None:
        out.append(_("at most %(amount)s") % {"amount": format_amount(rule.max_amount, currency, lang)})
    if rule.window_days is not None:
        if rule.window_from == "placed":
            out.append(_("within %(days)s days of the order date") % {"days": rule.window_days})
        else:
            out.append(_("within %(days)s days of delivery") % {"days": rule.window_days})
    if rule.approval_above is not None:
        if rule.approval_above == 0:
            out.append(_("always needs a lead's approval"))
        else:
            out.append(_("above %(amount)s a lead approves")
                       % {"amount": format_amount(rule.approval_above, currency, lang)})
    return out


def panel_context(*, ticket, user, form=None, decision_error=None, request=None) -> dict:
    rules = selectors.remedy_rules_for(ticket.category)
    remedies = selectors.ticket_remedies(ticket)
    lang = get_language() or "id"
    decision_error = decision_error or {}
    for r in remedies:
        r.amount_text = _amount_text(r, lang)
        r.decision_error = decision_error.get(r.pk, "")
    return {
        "ticket": ticket,
        "rules": [{"rule": r, "label": RemedyKind(r.kind).label, "limits": rule_limits(r)} for r in rules],
        "remedies": remedies,
        "form": form or RemedyForm(ticket=ticket),
        "can_decide": selectors.can_decide(user),
        "pending_status": RemedyStatus.PENDING,
        "next": request.get_full_path() if request is not None else "",
    }


def _back(request, ticket):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("web:ticket", ticket_id=ticket.pk)


def _refused(request, ticket, *, form=None, decision_error=None):
    """Show the panel again with the error: the swapped panel for htmx, else the remedies page."""
    context = panel_context(ticket=ticket, user=request.user, form=form, decision_error=decision_error)
    context["next"] = request.POST.get("next", "")
    if request.htmx:
        return render(request, "remedies/_panel.html", context)  # 200, so htmx swaps it in
    return render(request, "remedies/ticket.html", context, status=400)


def _applied_message(request, remedy) -> None:
    if remedy.status == RemedyStatus.PENDING:
        messages.info(request, _("The remedy waits for a lead's approval; the leads were notified."))
    elif remedy.message_id is None:
        messages.warning(request, _("The remedy was applied, but the customer could not be told: "
                                    "there is no address to reach them on this channel."))
    else:
        messages.success(request, _("The remedy was applied and the customer's message is queued."))


@require_GET
@staff_required
def ticket_remedies(request, ticket_id: int):
    ticket = _ticket_or_404(request, ticket_id)
    return render(request, "remedies/ticket.html",
                  panel_context(ticket=ticket, user=request.user, request=request))


@require_POST
@staff_required
def remedy_apply(request, ticket_id: int):
    ticket = _ticket_or_404(request, ticket_id)
    form = RemedyForm(request.POST, ticket=ticket)
    if form.is_valid():
        data = form.cleaned_data
        try:
            remedy = services.remedy_apply(ticket=ticket, actor=request.user, kind=data["kind"],
                                           order=data["order"], amount=data["amount"], note=data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            _applied_message(request, remedy)
            return HttpResponseClientRefresh() if request.htmx else _back(request, ticket)
    return _refused(request, ticket, form=form)


@require_POST
@staff_required
def remedy_decide(request, ticket_id: int, remedy_id: int):
    ticket = _ticket_or_404(request, ticket_id)
    try:
        remedy = selectors.remedy_get(ticket=ticket, remedy_id=remedy_id)
    except NotFound:
        raise Http404 from None
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, decision_error={remedy.pk: _("Choose approve or reject.")})
    approve = form.cleaned_data["action"] == "approve"
    try:
        services.remedy_decide(remedy=remedy, actor=request.user, approve=approve, note=form.cleaned_data["note"])
    except DomainError as exc:
        if request.POST.get("from") == "pending":
            messages.error(request, f"{ticket.reference}: {exc.message}")
            return redirect("remedies:pending")
        return _refused(request, ticket, decision_error={remedy.pk: exc.message})
    remedy.refresh_from_db()
    if approve:
        _applied_message(request, remedy)
    else:
        messages.success(request, _("The remedy was rejected; the agent who asked was notified."))
    return HttpResponseClientRefresh() if request.htmx else _back(request, ticket)


@require_GET
@manager_required
def pending(request):
    items = selectors.remedies_pending_for(request.user)
    lang = get_language() or "id"
    for r in items:
        r.amount_text = _amount_text(r, lang)
    return render(request, "remedies/pending.html", {"items": items})
