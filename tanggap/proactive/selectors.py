"""Reads for the proactive screens."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from tanggap.common.errors import NotFound
from tanggap.incidents.models import Incident, IncidentTask, Notice, Playbook, PlaybookStep


def playbooks_active() -> QuerySet[Playbook]:
    steps = PlaybookStep.objects.select_related("owner_team").order_by("position", "id")
    return Playbook.objects.filter(active=True).prefetch_related(Prefetch("steps", queryset=steps)).order_by("name")


def incidents_recent(*, limit: int = 20) -> list[Incident]:
    return list(Incident.objects.select_related("playbook").annotate(notice_count=Count("notices"))
                .order_by("-opened_at", "-id")[:limit])


def incident_get(*, incident_id: int) -> Incident:
    incident = Incident.objects.select_related("playbook", "opened_by").filter(pk=incident_id).first()
    if incident is None:
        raise NotFound("unknown_incident", f"No incident {incident_id}.")
    return incident


def incident_tasks(incident: Incident) -> list[IncidentTask]:
    return list(incident.tasks.select_related("owner_team", "owner", "done_by").order_by("due_at", "id"))


def notice_counts(incident: Incident) -> dict[str, int]:
    counts = {"draft": 0, "sent": 0, "skipped": 0}
    for row in incident.notices.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def incident_notices(incident: Incident, *, status: str = "", limit: int = 200) -> list[Notice]:
    notices = incident.notices.select_related("customer", "order", "ticket").order_by("-sent_at", "id")
    if status:
        notices = notices.filter(status=status)
    return list(notices[:limit])
