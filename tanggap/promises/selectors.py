from __future__ import annotations

from tanggap.promises.models import Promise, PromiseStatus


def promise_current(*, ticket) -> Promise | None:
    """The promise that stands for this ticket: the active one, else the latest settled one."""
    return Promise.objects.filter(ticket=ticket).order_by("-made_at", "-id").first()


def promise_history(*, ticket) -> list[Promise]:
    return list(Promise.objects.filter(ticket=ticket).select_related("made_by").order_by("made_at", "id"))


def promise_active(*, ticket) -> Promise | None:
    return Promise.objects.filter(ticket=ticket, status=PromiseStatus.ACTIVE).first()


def promise_stats(*, tickets, group_by: str, since=None, until=None) -> list[dict]:
    """Kept / re-dated / broken promises, counted when they were settled, per agent, team or
    ISO week. ``tickets`` is the caller's visible-ticket queryset, so counts stay in scope."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncWeek

    from tanggap.common.errors import DomainError

    fields = {"agent": ("agent_id", "agent__username"), "team": ("team_id", "team__name"), "week": ("week", None)}
    if group_by not in fields:
        raise DomainError("invalid_group", "Group by one of: agent, team, week.", status=422)
    qs = Promise.objects.filter(ticket__in=tickets).exclude(status=PromiseStatus.ACTIVE)
    if since:
        qs = qs.filter(settled_at__gte=since)
    if until:
        qs = qs.filter(settled_at__lt=until)
    key, label = fields[group_by]
    if group_by == "week":
        qs = qs.annotate(week=TruncWeek("settled_at"))
        values = ["week"]
    else:
        values = [key, label]
    rows = (qs.values(*values).annotate(
        kept=Count("id", filter=Q(status=PromiseStatus.KEPT)),
        redated=Count("id", filter=Q(status=PromiseStatus.REDATED)),
        broken=Count("id", filter=Q(status=PromiseStatus.BROKEN)),
    ).order_by(*values))
    out = []
    for row in rows:
        if group_by == "week":
            week = row["week"]
            ident, name = (week.date().isoformat() if week else None), (f"{week:%G-W%V}" if week else "—")
        else:
            ident, name = row[key], row[label] or "—"
        total = row["kept"] + row["redated"] + row["broken"]
        out.append({"key": ident, "label": name, "kept": row["kept"], "redated": row["redated"],
                    "broken": row["broken"], "total": total,
                    "kept_share": round(row["kept"] / total, 3) if total else None})
    return out
