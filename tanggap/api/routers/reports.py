"""Reports and staff notifications."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from tanggap.api.schemas import ErrorOut, NotificationOut, NotificationsReadIn, PromiseStatOut
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.notifications.selectors import notifications_for
from tanggap.notifications.services import notifications_mark_read
from tanggap.promises.selectors import promise_stats

router = Router()


class PromiseReportQuery(Schema):
    group_by: str = "week"
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/reports/promises", response={200: list[PromiseStatOut], 422: ErrorOut})
def promises_report(request: HttpRequest, query: Query[PromiseReportQuery]):
    """Promises kept, re-dated and broken per `agent`, `team` or `week` (by settlement date),
    over the tickets the caller may see. `since` and `until` are dates in the site's time zone
    (until exclusive)."""
    return promise_stats(tickets=tickets_visible_to(request.auth), group_by=query.group_by,
                         since=_day_start(query.since), until=_day_start(query.until))


def _day_start(day: dt.date | None) -> dt.datetime | None:
    # Midnight where the business is, not a naive datetime the database would read as UTC.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None


@router.get("/notifications", response=list[NotificationOut])
def notifications_list(request: HttpRequest, unread: bool = False):
    """The caller's notifications, newest first (SLA warnings and breaches, promises about to
    lapse or broken, remedies waiting for approval)."""
    return [{"id": n.pk, "kind": n.kind, "text": n.text, "ticket_id": n.ticket_id, "created_at": n.created_at,
             "read_at": n.read_at} for n in notifications_for(user=request.auth, unread_only=unread)]


@router.post("/notifications/read", response={200: dict})
def notifications_read(request: HttpRequest, payload: NotificationsReadIn):
    return {"marked": notifications_mark_read(user=request.auth, ids=payload.ids)}
