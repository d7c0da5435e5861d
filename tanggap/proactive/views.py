"""Manager screens: playbooks (start an incident from one), an incident's tasks and notices,
and the proactive-care measures with server-rendered SVG charts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.incidents.models import NoticeStatus
from tanggap.proactive import selectors, services
from tanggap.proactive.charts import bar_chart
from tanggap.proactive.forms import StartForm
from tanggap.proactive.measures import weekly_measures
from tanggap.web.access import manager_required


@manager_required
def playbooks(request):
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.incident_start_from_playbook(
                playbook=data["playbook"], title=data["title"], scope=form.scope(),
                expected_resolution_at=data.get("expected_resolution_at"), actor=request.user,
                window_start=data.get("window_start"), window_end=data.get("window_end"))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Incident started: %(tasks)d tasks, %(drafts)d notices drafted, "
                                        "%(skipped)d skipped.") % {"tasks": result.tasks, "drafts": result.drafts,
                                                                   "skipped": result.skipped})
            return redirect("proactive:incident", incident_id=result.incident.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "proactive/playbooks.html", {"playbooks": selectors.playbooks_active(), "form": form,
                                                        "incidents": selectors.incidents_recent()}, status=status)


def _incident_or_404(incident_id: int):
    try:
        return selectors.incident_get(incident_id=incident_id)
    except NotFound:
        raise Http404 from None


@manager_required
def incident(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    status = request.GET.get("status", "")
    if status not in NoticeStatus.values:
        status = ""
    return render(request, "proactive/incident.html", {
        "incident": incident, "tasks": selectors.incident_tasks(incident), "counts": selectors.notice_counts(incident),
        "notices": selectors.incident_notices(incident, status=status), "status": status,
        "statuses": NoticeStatus.choices,
    })


@manager_required
@require_POST
def task_done(request, incident_id: int, task_id: int):
    incident = _incident_or_404(incident_id)
    task = incident.tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404
    services.task_done(task=task, actor=request.user)
    return redirect("proactive:incident", incident_id=incident.pk)


@manager_required
@require_POST
def redraft(request, incident_id: int):
    incident = _incident_or_404(incident_id)
    drafted, skipped = services.incident_notices_redraft(incident=incident)
    messages.success(request, _("%(drafts)d new notices drafted, %(skipped)d skipped.") % {"drafts": drafted,
                                                                                        "skipped": skipped})
    return redirect("proactive:incident", incident_id=incident.pk)


@manager_required
def measures(request):
    try:
        weeks = max(4, min(52, int(request.GET.get("weeks", 12))))
    except ValueError:
        weeks = 12
    rows = weekly_measures(weeks=weeks)
    labels = [w.label[-3:] for w in rows]
    charts = [
        (_("Proactive share of contacts"), _("Company-initiated tickets / all tickets opened in the week."),
         bar_chart([w.proactive_share for w in rows], labels, percent=True)),
        (_("Incidents"), _("Incidents opened in the week."),
         bar_chart([float(w.incidents) for w in rows], labels, integer=True)),
        (_("Detection delay (median, minutes)"),
         _("First alert minus the first complaint linked to the incident; below zero: caught before anyone "
           "complained."), bar_chart([w.median_delay for w in rows], labels, unit="")),
        (_("Notified before they wrote"),
         _("Affected customers whose notice went out before their first message, of those who could be told."),
         bar_chart([w.notified_share for w in rows], labels, percent=True)),
    ]
    return render(request, "proactive/measures.html", {"rows": rows, "charts": charts, "weeks": weeks})
