from __future__ import annotations

from tanggap.promises.models import Promise, PromiseStatus


def promise_current(*, ticket) -> Promise | None:
    """The promise that stands for this ticket: the active one, else the latest settled one."""
    return Promise.objects.filter(ticket=ticket).order_by("-made_at", "-id").first()


def promise_history(*, ticket) -> list[Promise]:
    return list(Promise.objects.filter(ticket=ticket).select_related("made_by").order_by("made_at", "id"))


def promise_active(*, ticket) -> Promise | None:
    return Promise.objects.filter(ticket=ticket, status=PromiseStatus.ACTIVE).first()
