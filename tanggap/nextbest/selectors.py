"""What the business should do now, per customer and across customers, each with its reason.

Every action is read from what other parts store; nothing here is stored itself, so the list is
always current. Kinds and their weights (higher first; ties: the earliest time first):

==================  ======  ==========================================================
kind                weight  when
==================  ======  ==========================================================
keep_promise        100     an active promise on an open ticket is due within 24 h (110 if overdue)
answer_waiting      90      the customer waits for an answer on an open ticket (100 if the SLA is missed)
recover_score       85      a low survey score's recovery task is not done
tell_incident       80      an open ticket is linked to an unresolved incident the customer was not told about
win_back            70      customer health is "at risk" (tanggap.health)
send_checkin        50      a check-in is due within 24 h or late (automations)
invite_tier         40      the customer is within 20% of the next loyalty tier's threshold
offer_product       30      the best complementary product (tanggap.recommend)
==================  ======  ==========================================================

Ticket actions only for tickets the caller may see (the inbox's scoping)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanggap.common.clock import now
from tanggap.conversations.models import OPEN_GROUP, Ticket

WEIGHTS = {"keep_promise": 100, "answer_waiting": 90, "recover_score": 85, "tell_incident": 80, "win_back": 70,
           "send_checkin": 50, "invite_tier": 40, "offer_product": 30}
LABELS = {"keep_promise": gettext_lazy("Keep a promise"), "answer_waiting": gettext_lazy("Answer a waiting message"),
          "recover_score": gettext_lazy("Recover a low survey score"), "tell_incident": gettext_lazy("Tell them about an incident"),
          "win_back": gettext_lazy("Win back a customer at risk"), "send_checkin": gettext_lazy("Send the check-in"),
          "invite_tier": gettext_lazy("Invite to a loyalty tier"), "offer_product": gettext_lazy("Offer a complementary product")}
KINDS = tuple(WEIGHTS)
SOON = dt.timedelta(hours=24)
FAR = dt.datetime.max.replace(tzinfo=dt.UTC)
TIER_NEAR = 0.2


@dataclass
class Action:
    kind: str
    weight: int
    customer_id: int
    reason: str
    ticket: Ticket | None = None
    at: dt.datetime | None = None  # the time that makes it urgent (due, waiting since)

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def url(self) -> str:
        if self.ticket is not None:
            return reverse("web:ticket", args=[self.ticket.pk])
        return reverse("web:customer", args=[self.customer_id])

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "weight": self.weight, "customer_id": self.customer_id,
                "ticket_id": self.ticket.pk if self.ticket is not None else None,
                "ticket_reference": self.ticket.reference if self.ticket is not None else None,
                "at": self.at, "reason": self.reason, "url": self.url}


def _when(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "j M H:i")


def _sort(actions: list[Action]) -> list[Action]:
    return sorted(actions, key=lambda a: (-a.weight, a.at or FAR, a.customer_id))


# -- ticket actions (scoped) ----------------------------------------------------------------

def _visible(user):
    from tanggap.conversations.selectors import tickets_visible_to

    return tickets_visible_to(user).filter(status__in=OPEN_GROUP + ["pending", "on_hold"])


def _promises(tickets, at, limit):
    from tanggap.promises.models import Promise, PromiseStatus

    rows = (Promise.objects.filter(status=PromiseStatus.ACTIVE, due_at__lte=at + SOON, ticket__in=tickets)
            .select_related("ticket").order_by("due_at")[:limit])
    out = []
    for p in rows:
        late = p.due_at <= at
        text = (_("%(ref)s: promised for %(when)s, now late") if late else _("%(ref)s: promised for %(when)s")) % {
            "ref": p.ticket.reference, "when": _when(p.due_at)}
        out.append(Action("keep_promise", WEIGHTS["keep_promise"] + (10 if late else 0), p.ticket.customer_id, text,
                          p.ticket, p.due_at))
    return out


def _waiting(tickets, at, limit):
    rows = tickets.filter(status__in=OPEN_GROUP, waiting_since__isnull=False).order_by("waiting_since")[:limit]
    out = []
    for t in rows:
        hours = max(0, int((at - t.waiting_since).total_seconds() // 3600))
        missed = t.sla_due_at is not None and t.sla_due_at <= at
        text = _("%(ref)s: waiting %(hours)s h for an answer") % {"ref": t.reference, "hours": hours}
        if missed:
            text += " · " + _("SLA missed")
        out.append(Action("answer_waiting", WEIGHTS["answer_waiting"] + (10 if missed else 0), t.customer_id, text,
                          t, t.waiting_since))
    return out


def _recoveries(tickets, at, limit):
    from tanggap.surveys.models import RecoveryTask

    rows = (RecoveryTask.objects.filter(done_at__isnull=True, ticket__in=tickets).select_related("ticket")
            .order_by("due_at")[:limit])
    return [Action("recover_score", WEIGHTS["recover_score"], r.ticket.customer_id,
                   _("%(ref)s: low survey score, call back by %(when)s") % {"ref": r.ticket.reference,
                                                                            "when": _when(r.due_at)},
                   r.ticket, r.due_at) for r in rows]


def _incidents(tickets, at, limit):
    from tanggap.incidents.models import IncidentStatus, IncidentTicket

    rows = (IncidentTicket.objects.filter(answered=False, ticket__in=tickets)
            .exclude(incident__status=IncidentStatus.RESOLVED).select_related("ticket", "incident")
            .order_by("linked_at")[:limit])
    return [Action("tell_incident", WEIGHTS["tell_incident"], link.ticket.customer_id,
                   _("%(ref)s: part of incident \"%(title)s\"") % {"ref": link.ticket.reference,
                                                                   "title": link.incident.title},
                   link.ticket, link.linked_at) for link in rows]


# -- customer actions -------------------------------------------------------------------------

def _at_risk(customer_ids, limit):
    from tanggap.health.models import Band, CustomerHealth
    from tanggap.health.reasons import summary

    qs = CustomerHealth.objects.filter(band=Band.AT_RISK).order_by("score", "customer_id")
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=customer_ids)
    return [Action("win_back", WEIGHTS["win_back"], h.customer_id,
                   _("Health %(score)s/100: %(why)s") % {"score": h.score, "why": summary(h.reasons or [])})
            for h in qs[:limit]]


def _checkins(customer_ids, at, limit):
    from tanggap.automations.models import AutomationRun, RunStatus

    qs = (AutomationRun.objects.filter(status=RunStatus.SCHEDULED, due_at__lte=at + SOON, rule__action="send_checkin")
          .select_related("rule").order_by("due_at"))
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=customer_ids)
    out = []
    for run in qs[:limit]:
        late = run.due_at <= at
        text = (_("\"%(rule)s\" was due %(when)s") if late else _("\"%(rule)s\" due %(when)s")) % {
            "rule": run.rule.name, "when": _when(run.due_at)}
        out.append(Action("send_checkin", WEIGHTS["send_checkin"], run.customer_id, text, None, run.due_at))
    return out


def _tier(customer_id, at):
    from tanggap.loyalty.models import Account, Tier
    from tanggap.loyalty.services import earned_in_window

    if not Account.objects.filter(customer_id=customer_id).exists():
        return []
    earned = earned_in_window(customer_id, at)
    nxt = Tier.objects.filter(threshold__gt=earned).order_by("threshold").first()
    if nxt is None or nxt.threshold - earned > TIER_NEAR * nxt.threshold:
        return []
    name = nxt.name or nxt.code
    return [Action("invite_tier", WEIGHTS["invite_tier"], customer_id,
                   _("%(points)s points from %(tier)s") % {"points": nxt.threshold - earned, "tier": name})]


def _offer(customer_id):
    from tanggap.recommend.selectors import for_customer

    recs = for_customer(customer_id, limit=1)
    if not recs:
        return []
    r = recs[0]
    return [Action("offer_product", WEIGHTS["offer_product"], customer_id,
                   _("%(product)s: %(why)s") % {"product": r["name"], "why": r["reason"]})]


def for_customer(*, user, customer, limit: int = 8, service_only: bool = False) -> list[Action]:
    """The customer's next best actions, best first (see the module's docstring). ``service_only``
    (beside a ticket): without the loyalty invitation and the product offer."""
    at = now()
    tickets = _visible(user).filter(customer_id=customer.pk)
    actions = (_promises(tickets, at, 20) + _waiting(tickets, at, 20) + _recoveries(tickets, at, 20)
               + _incidents(tickets, at, 20) + _at_risk([customer.pk], 1) + _checkins([customer.pk], at, 5))
    if not service_only:
        actions += _tier(customer.pk, at) + _offer(customer.pk)
    return _sort(actions)[:limit]


def work_list(*, user, kind: str = "", limit: int = 200) -> list[Action]:
    """Today's work across customers, best first: the ticket actions the caller may see, customers
    at risk, check-ins due. (Loyalty invitations and product offers are per customer only: they
    need each customer's history.)"""
    at = now()
    tickets = _visible(user)
    sources = {"keep_promise": lambda: _promises(tickets, at, limit),
               "answer_waiting": lambda: _waiting(tickets, at, limit),
               "recover_score": lambda: _recoveries(tickets, at, limit),
               "tell_incident": lambda: _incidents(tickets, at, limit),
               "win_back": lambda: _at_risk(None, limit),
               "send_checkin": lambda: _checkins(None, at, limit)}
    actions = []
    for name, source in sources.items():
        if not kind or kind == name:
            actions += source()
    return _sort(actions)[:limit]


WORK_KINDS = ("keep_promise", "answer_waiting", "recover_score", "tell_incident", "win_back", "send_checkin")
