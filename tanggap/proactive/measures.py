"""Proactive-care measures, per ISO week (weeks start on Monday in the site's time zone).

- **proactive share of contacts**: company-initiated tickets / all tickets opened in the week.
  A contact is a conversation started (a ticket), not a message: a long back-and-forth is one
  contact whoever writes more.
- **incidents**: incidents opened in the week.
- **detection delay** (minutes), per incident opened in the week: the moment it was detected
  (its first alert; an incident started by hand counts from when it was opened) minus the
  created time of the first *customer-initiated* ticket linked to it. Negative: caught before
  the first complaint. An incident nobody complained about has no delay and counts as caught
  first. The week shows the median and how many were caught first.
- **notified before they wrote**: of the affected customers of the week's incidents who could be
  told (notices not skipped for an opt-out, no address or an error), the share whose notice was
  sent before their first message since the incident opened (or who never wrote)."""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek

from tanggap.common.clock import now
from tanggap.conversations.choices import Direction, Initiator
from tanggap.conversations.models import Message, Ticket
from tanggap.incidents.models import Incident, IncidentTicket, Notice, NoticeStatus

NOT_COUNTED = ("opted_out", "unreachable")  # and any "failed: ..." reason


@dataclass
class Week:
    start: dt.date  # the Monday
    contacts: int = 0
    company_initiated: int = 0
    incidents: int = 0
    delays: list[float] = field(default_factory=list)  # minutes, incidents with a complaint
    caught_first: int = 0  # incidents detected before any complaint (or never complained about)
    affected: int = 0
    notified_before: int = 0

    @property
    def label(self) -> str:
        return f"{self.start:%G-W%V}"

    @property
    def proactive_share(self) -> float | None:
        return self.company_initiated / self.contacts if self.contacts else None

    @property
    def median_delay(self) -> float | None:
        return statistics.median(self.delays) if self.delays else None

    @property
    def notified_share(self) -> float | None:
        return self.notified_before / self.affected if self.affected else None


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _monday(at: dt.datetime) -> dt.date:
    local = at.astimezone(_zone()).date()
    return local - dt.timedelta(days=local.weekday())


def detection_delay(incident: Incident) -> float | None:
    """Minutes from the first customer complaint to detection (negative: detected first);
    None when no customer-initiated ticket is linked."""
    first = (IncidentTicket.objects.filter(incident=incident, ticket__initiated_by=Initiator.CUSTOMER)
             .aggregate(m=Min("ticket__created_at"))["m"])
    if first is None:
        return None
    detected = incident.first_alert_at or incident.opened_at
    return (detected - first).total_seconds() / 60


def notified_before(incidents) -> dict[int, tuple[int, int]]:
    """incident id -> (affected customers who could be told, of whom notified before they wrote)."""
    incidents = list(incidents)
    result = {i.pk: (0, 0) for i in incidents}
    if not incidents:
        return result
    opened = {i.pk: i.opened_at for i in incidents}
    notices = list(Notice.objects.filter(incident_id__in=opened).values("incident_id", "customer_id", "status",
                                                                           "reason", "sent_at", "ticket_id"))
    notice_tickets = {n["ticket_id"] for n in notices if n["ticket_id"]}
    customers = {n["customer_id"] for n in notices}
    writes: dict[int, list[dt.datetime]] = {}
    for cid, at in (Message.objects.filter(customer_id__in=customers, direction=Direction.INBOUND, automated=False,
                                           created_at__gte=min(opened.values()))
                    .exclude(ticket_id__in=notice_tickets).values_list("customer_id", "created_at")):
        writes.setdefault(cid, []).append(at)
    for n in notices:
        if n["status"] == NoticeStatus.SKIPPED and (n["reason"] in NOT_COUNTED or n["reason"].startswith("failed")):
            continue
        affected, before = result[n["incident_id"]]
        first_write = min((w for w in writes.get(n["customer_id"], ()) if w >= opened[n["incident_id"]]), default=None)
        told = n["status"] == NoticeStatus.SENT and (first_write is None or n["sent_at"] < first_write)
        result[n["incident_id"]] = (affected + 1, before + int(told))
    return result


def weekly_measures(*, weeks: int = 12, until: dt.datetime | None = None) -> list[Week]:
    """The last ``weeks`` ISO weeks up to ``until`` (default: now), oldest first, empty weeks included."""
    until = until or now()
    last = _monday(until)
    first = last - dt.timedelta(weeks=weeks - 1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=_zone())
    end = dt.datetime.combine(last + dt.timedelta(days=7), dt.time(), tzinfo=_zone())
    table = {first + dt.timedelta(weeks=i): Week(start=first + dt.timedelta(weeks=i)) for i in range(weeks)}

    rows = (Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
            .annotate(week=TruncWeek("created_at", tzinfo=_zone())).values("week")
            .annotate(all=Count("id"), company=Count("id", filter=Q(initiated_by=Initiator.COMPANY))))
    for row in rows:
        week = table.get(_as_date(row["week"]))
        if week:
            week.contacts, week.company_initiated = row["all"], row["company"]

    incidents = list(Incident.objects.filter(opened_at__gte=start, opened_at__lt=end))
    told = notified_before(incidents)
    for incident in incidents:
        week = table.get(_monday(incident.opened_at))
        if week is None:
            continue
        week.incidents += 1
        delay = detection_delay(incident)
        if delay is None or delay < 0:
            week.caught_first += 1
        if delay is not None:
            week.delays.append(round(delay, 1))
        affected, before = told[incident.pk]
        week.affected += affected
        week.notified_before += before
    return list(table.values())


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(_zone()).date() if value.tzinfo else value.date()
    return value
