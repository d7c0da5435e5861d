"""Reports: promises kept, re-dated and broken per agent, team and week."""

from __future__ import annotations

from django.shortcuts import render

from tanggap.conversations.selectors import tickets_visible_to
from tanggap.promises.selectors import promise_stats
from tanggap.web.access import staff_required

GROUPS = ("week", "agent", "team")


@staff_required
def promise_report(request):
    group_by = request.GET.get("group_by", "week")
    if group_by not in GROUPS:
        group_by = "week"
    rows = promise_stats(tickets=tickets_visible_to(request.user), group_by=group_by)
    totals = {k: sum(r[k] for r in rows) for k in ("kept", "redated", "broken", "total")}
    return render(request, "web/reports/promises.html", {"rows": rows, "group_by": group_by, "totals": totals,
                                                         "groups": GROUPS})
