"""The staff member's notifications: SLA warnings and breaches, promises about to lapse or
broken, remedies waiting for approval."""

from __future__ import annotations

from django.shortcuts import redirect, render

from tanggap.notifications.selectors import notifications_for
from tanggap.notifications.services import notifications_mark_read
from tanggap.web.access import staff_required


@staff_required
def notification_list(request):
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("web:notifications")
    items = notifications_for(user=request.user, limit=100)
    return render(request, "web/notifications.html", {"items": items})
