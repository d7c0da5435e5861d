"""Console screens for incidents: the list, opening one by hand, the detail (scope, status,
what customers are told per language, linked tickets, alerts), editing (team leads and
admins) and linking a ticket (any staff member, tickets they can see).

Forms post normally; a refused change comes back as a form error, never a stack trace."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations.choices import Category
from tanggap.conversations.references import ticket_id_from_reference
from tanggap.conversations.selectors import ticket_get
from tanggap.customers.models import Product
from tanggap.incidents import selectors, services
from tanggap.incidents.models import IncidentStatus, ProblemType
from tanggap.web.access import manager_required, staff_required

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
LANGUAGE_LABELS = (("id", gettext_lazy("Indonesian")), ("ms", gettext_lazy("Malay")), ("en", gettext_lazy("English")))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ScopeFields(forms.Form):
    region = forms.CharField(label=gettext_lazy("Region"), required=False, max_length=100)
    courier = forms.CharField(label=gettext_lazy("Courier"), required=False, max_length=100)
    products = forms.CharField(label=gettext_lazy("Products (SKUs)"), required=False, max_length=1000,
                               help_text=gettext_lazy("Separated by commas, e.g. PG-190, SB-250."))
    category = forms.ChoiceField(label=gettext_lazy("Ticket category"), required=False,
                                 choices=[("", "—")] + list(Category.choices))
    channel = forms.CharField(label=gettext_lazy("Channel"), required=False, max_length=20,
                              help_text=gettext_lazy("A channel kind: email, whatsapp, instagram, ..."))

    def scope(self) -> dict:
        d = self.cleaned_data
        scope = {k: d[k].strip() for k in ("region", "courier", "category", "channel") if d.get(k, "").strip()}
        skus = [s.strip() for s in (d.get("products") or "").split(",") if s.strip()]
        if skus:
            scope["products"] = skus
        return scope


class IncidentNewForm(ScopeFields):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    problem_type = forms.ChoiceField(label=gettext_lazy("Problem type"), choices=ProblemType.choices,
                                     initial=ProblemType.OTHER)
    field_order = ["title", "problem_type", "region", "courier", "products", "category", "channel"]


class IncidentEditForm(ScopeFields):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=IncidentStatus.choices)
    status_id = forms.CharField(label=gettext_lazy("What customers are told (Indonesian)"), required=False,
                                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    status_ms = forms.CharField(label=gettext_lazy("What customers are told (Malay)"), required=False,
                                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    status_en = forms.CharField(label=gettext_lazy("What customers are told (English)"), required=False,
                                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    expected_resolution_at = forms.DateTimeField(label=gettext_lazy("Expected back to normal"), required=False,
                                                 input_formats=LOCAL_FORMATS, widget=LocalDateTimeInput())
    field_order = ["status", "status_id", "status_ms", "status_en", "expected_resolution_at",
                   "region", "courier", "products", "category", "channel"]

    @classmethod
    def for_incident(cls, incident):
        products = ", ".join(Product.objects.filter(pk__in=incident.scope.get("product_ids", []))
                             .order_by("sku").values_list("sku", flat=True))
        expected = incident.expected_resolution_at
        initial = {"status": incident.status, "region": incident.scope.get("region", ""),
                   "courier": incident.scope.get("courier", ""), "category": incident.scope.get("category", ""),
                   "channel": incident.scope.get("channel", ""), "products": products,
                   "expected_resolution_at": timezone.localtime(expected) if expected else None,
                   **{f"status_{lang}": (incident.customer_status or {}).get(lang, "") for lang in ("id", "ms", "en")}}
        return cls(initial=initial, auto_id="incident_%s")


class LinkForm(forms.Form):
    ticket = forms.CharField(label=gettext_lazy("Ticket"), max_length=30,
                             help_text=gettext_lazy("Its number or reference, e.g. 123 or TG-000123."))

    def clean_ticket(self) -> int:
        text = self.cleaned_data["ticket"].strip()
        ticket_id = ticket_id_from_reference(text) if not text.isdigit() else int(text)
        if not ticket_id:
            raise forms.ValidationError(_("Write the ticket's number or its reference, e.g. TG-000123."))
        return ticket_id


def _incident_or_404(incident_id: int):
    try:
        return selectors.incident_get(incident_id=incident_id)
    except NotFound:
        raise Http404 from None


def _can_edit(user) -> bool:
    return role_of(user) in (Role.LEAD, Role.ADMIN)


def _scope_rows(incident) -> list[tuple[str, str]]:
    scope = incident.scope or {}
    rows = []
    if scope.get("product_ids"):
        names = Product.objects.filter(pk__in=scope["product_ids"]).order_by("sku")
        rows.append((_("Products"), ", ".join(f"{p.sku} ({p.name})" for p in names)))
    for key, label in (("region", _("Region")), ("courier", _("Courier")), ("channel", _("Channel"))):
        if scope.get(key):
            rows.append((label, scope[key]))
    if scope.get("category"):
        rows.append((_("Ticket category"), Category(scope["category"]).label))
    return rows


STATUS_FILTERS = (("active", gettext_lazy("Open or monitoring")), ("open", IncidentStatus.OPEN.label),
                  ("monitoring", IncidentStatus.MONITORING.label), ("resolved", IncidentStatus.RESOLVED.label),
                  ("all", gettext_lazy("All")))


@staff_required
def incident_list(request):
    status = request.GET.get("status", "active")
    if status not in dict(STATUS_FILTERS):
        status = "active"
    items = selectors.incident_list(status="" if status == "all" else status, limit=200)
    return render(request, "incidents/list.html", {
        "items": items, "status": status, "filters": STATUS_FILTERS,
        "form": IncidentNewForm(auto_id="new_%s"),
    })


@staff_required
@require_POST
def incident_new(request):
    form = IncidentNewForm(request.POST, auto_id="new_%s")
    if form.is_valid():
        try:
            incident = services.incident_open(title=form.cleaned_data["title"],
                                              problem_type=form.cleaned_data["problem_type"],
                                              scope=form.scope(), actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Incident opened."))
            return redirect("incidents:detail", incident_id=incident.pk)
    items = selectors.incident_list(status="active", limit=200)
    return render(request, "incidents/list.html", {"items": items, "status": "active", "filters": STATUS_FILTERS,
                                                   "form": form, "form_open": True}, status=422)


def _detail_context(request, incident, *, edit_form=None, link_form=None) -> dict:
    links = selectors.incident_tickets(incident=incident, user=request.user)
    hidden = incident.ticket_links.count() - len(links)
    return {
        "incident": incident,
        "scope_rows": _scope_rows(incident),
        "texts": [(label, (incident.customer_status or {}).get(lang, "")) for lang, label in LANGUAGE_LABELS],
        "links": links,
        "hidden_links": hidden,
        "alerts": list(incident.alerts.select_related("stream", "signal").order_by("bucket", "id")),
        "can_edit": _can_edit(request.user),
        "edit_form": edit_form or IncidentEditForm.for_incident(incident),
        "link_form": link_form or LinkForm(auto_id="link_%s"),
        "time_zone": settings.TIME_ZONE,
    }


@staff_required
def incident_detail(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    return render(request, "incidents/detail.html", _detail_context(request, incident))


@manager_required
@require_POST
def incident_edit(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    form = IncidentEditForm(request.POST, auto_id="incident_%s")
    if form.is_valid():
        d = form.cleaned_data
        expected = d.get("expected_resolution_at")
        if expected is not None and timezone.is_naive(expected):
            expected = timezone.make_aware(expected, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        try:
            services.incident_update(
                incident=incident, actor=request.user, status=d["status"], scope=form.scope(),
                customer_status={lang: d.get(f"status_{lang}", "") for lang in ("id", "ms", "en")},
                expected_resolution_at=expected)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Incident saved."))
            return redirect("incidents:detail", incident_id=incident.pk)
    return render(request, "incidents/detail.html", _detail_context(request, incident, edit_form=form), status=422)


@staff_required
@require_POST
def incident_link(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    form = LinkForm(request.POST, auto_id="link_%s")
    if form.is_valid():
        try:
            ticket = ticket_get(user=request.user, ticket_id=form.cleaned_data["ticket"])
        except NotFound:
            form.add_error("ticket", _("There is no such ticket, or you cannot see it."))
        else:
            _link, created = services.incident_link_ticket(incident=incident, ticket=ticket, actor=request.user,
                                                       answer=request.POST.get("answer") == "1")
            if created:
                messages.success(request, _("Ticket %(reference)s linked.") % {"reference": ticket.reference})
            else:
                messages.info(request, _("Ticket %(reference)s was already linked.") % {"reference": ticket.reference})
            if request.POST.get("next") == "ticket":
                return redirect("web:ticket", ticket_id=ticket.pk)
            return redirect("incidents:detail", incident_id=incident.pk)
    return render(request, "incidents/detail.html", _detail_context(request, incident, link_form=form), status=422)
