"""Playbooks in action and proactive notices.

``incident_start_from_playbook`` opens an incident with the playbook's tasks and drafts one
notice per affected customer; ``notices_send`` (a periodic job) sends the drafts, throttled,
each exactly once, as a company-initiated ticket on the customer's own channel.
See docs/proactive.md for the rules."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Direction, Initiator, TimelineKind
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import outreach_send, timeline_add
from tanggap.customers.models import Customer, Order
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.incidents.models import (
    Incident, IncidentTask, IncidentTicket, Notice, NoticeStatus, Playbook, ProblemType,
)
from tanggap.incidents.services import incident_link_ticket, incident_open, scope_clean
from tanggap.texts.services import customer_zone, fill, format_amount, format_when, language_of

log = logging.getLogger(__name__)

UNDELIVERED = (Order.Status.PLACED, Order.Status.PAID, Order.Status.SHIPPED)
BOUGHT = (Order.Status.PLACED, Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED)
SCOPE_KEYS = ("product_ids", "region", "courier")

# Reasons a notice is skipped (kept on the notice; shown on the incident page).
REASON_OPTED_OUT = "opted_out"
REASON_WROTE_IN = "wrote_in"
REASON_UNREACHABLE = "unreachable"

# The remedy sentence that fills {remedy}; {amount} is the playbook's amount, formatted.
REMEDY_SENTENCES = {
    "voucher": {"id": "Sebagai permintaan maaf, kami berikan voucher belanja senilai {amount}.",
                "ms": "Sebagai tanda maaf, kami berikan baucar belian bernilai {amount}.",
                "en": "To make up for it, we are giving you a shopping voucher worth {amount}."},
    "voucher_": {"id": "Sebagai permintaan maaf, kami berikan voucher belanja.",
                 "ms": "Sebagai tanda maaf, kami berikan baucar belian.",
                 "en": "To make up for it, we are giving you a shopping voucher."},
    "replace": {"id": "Kami akan mengirim pengganti tanpa biaya; barang lama tidak perlu dikembalikan.",
                "ms": "Kami akan menghantar pengganti tanpa bayaran; barang lama tidak perlu dipulangkan.",
                "en": "We will send you a free replacement; you do not need to send the old one back."},
    "refund": {"id": "Tagihan ganda, jika ada, akan kami kembalikan sepenuhnya.",
               "ms": "Caj berganda, jika ada, akan kami pulangkan sepenuhnya.",
               "en": "Any double charge will be refunded in full."},
    "return": {"id": "Anda juga dapat mengembalikan barangnya tanpa biaya.",
               "ms": "Anda juga boleh memulangkan barangnya tanpa bayaran.",
               "en": "You can also return the item free of charge."},
    "fix": {"id": "Kami sedang memperbaikinya.", "ms": "Kami sedang membaikinya.", "en": "We are fixing it."},
}
SOON = {"id": "secepatnya", "ms": "secepat mungkin", "en": "as soon as possible"}
NOTICE_SUBJECT = {"id": "Pemberitahuan: {incident}", "ms": "Pemberitahuan: {incident}", "en": "Notice: {incident}"}


def remedy_sentence(playbook: Playbook | None, language: str, currency: str = "IDR") -> str:
    """The sentence that offers the playbook's remedy, in the customer's language ('' for none)."""
    if playbook is None or not playbook.remedy_kind:
        return ""
    language = language_of(language)
    key = playbook.remedy_kind
    if key == "voucher" and playbook.remedy_amount is None:
        key = "voucher_"
    sentences = REMEDY_SENTENCES.get(key)
    if not sentences:
        return ""
    return sentences[language].format(amount=format_amount(playbook.remedy_amount, currency, language))


def incident_fields(incident: Incident, customer: Customer, *, order: Order | None = None,
                    reference: str = "") -> dict:
    """The placeholders of a notice (and of the incident's status answer) for one customer."""
    language = language_of(customer.language)
    expected = (format_when(incident.expected_resolution_at, language, customer_zone(customer))
                if incident.expected_resolution_at else SOON[language])
    return {"customer_name": customer.name or "", "order": order.external_id if order else "",
            "expected_date": expected, "incident": incident.title, "reference": reference,
            "remedy": remedy_sentence(incident.playbook, language)}


def notice_text(notice: Notice, *, reference: str = "") -> str:
    """The notice in the customer's language: apology, expected date, the remedy offered."""
    customer = notice.customer
    language = language_of(customer.language)
    playbook = notice.incident.playbook
    templates = (playbook.notice_templates if playbook else {}) or {}
    template = templates.get(language) or templates.get("id") or ""
    if not template.strip():
        template = (notice.incident.customer_status or {}).get(language) or ""
    text = fill(template, **incident_fields(notice.incident, customer, order=notice.order, reference=reference))
    return re.sub(r"[ \t]{2,}", " ", text)


def status_texts(playbook: Playbook) -> dict[str, str]:
    """The incident's customer status per language, from the playbook's status wording with
    {remedy} filled in (the incidents app adds the expected date when it answers)."""
    out = {}
    for language, template in (playbook.status_templates or {}).items():
        if language in SOON and (template or "").strip():
            text = fill(template, remedy=remedy_sentence(playbook, language), expected_date=SOON[language])
            out[language] = re.sub(r"[ \t]{2,}", " ", text)
    return out


# --- Who is affected -------------------------------------------------------------------------

def _has_scope(scope: dict) -> bool:
    return any(scope.get(k) for k in SCOPE_KEYS)


def affected_orders(incident: Incident) -> QuerySet[Order]:
    """Orders the incident touches. Every scope key given must match (product_ids, region,
    courier); an empty scope matches nothing.

    - a defective batch: orders containing an affected product, placed within the incident's
      window (``window_start`` .. ``window_end`` or now) and not cancelled or returned;
    - anything else: orders not delivered yet (placed, paid, shipped; no delivery time)."""
    scope = incident.scope or {}
    if not _has_scope(scope):
        return Order.objects.none()
    orders = Order.objects.all()
    if scope.get("product_ids"):
        orders = orders.filter(lines__product_id__in=[int(p) for p in scope["product_ids"]])
    if scope.get("region"):
        orders = orders.filter(region__iexact=scope["region"])
    if scope.get("courier"):
        orders = orders.filter(courier__iexact=scope["courier"])
    if incident.problem_type == ProblemType.DEFECTIVE_BATCH:
        orders = orders.filter(status__in=BOUGHT, placed_at__gte=incident.window_start)
        if incident.window_end:
            orders = orders.filter(placed_at__lte=incident.window_end)
    else:
        orders = orders.filter(status__in=UNDELIVERED, delivered_at__isnull=True)
    return orders.distinct()


def affected_customers(incident: Incident) -> dict[int, Order]:
    """customer id -> the order the notice is about (their earliest affected order).
    A merged customer counts as the customer they were merged into."""
    first: dict[int, Order] = {}
    for order in affected_orders(incident).select_related("customer").order_by("placed_at", "id"):
        customer = order.customer
        target = customer.merged_into_id or customer.pk
        first.setdefault(target, order)
    return first


def _wrote_in(incident: Incident, customer_ids) -> set[int]:
    """Customers who already wrote in about it: a ticket of theirs is linked to the incident,
    or they sent us a message since the incident opened (other than on a notice ticket)."""
    linked = set(IncidentTicket.objects.filter(incident=incident, ticket__customer_id__in=customer_ids,
                                               ticket__initiated_by=Initiator.CUSTOMER)
                 .values_list("ticket__customer_id", flat=True))
    notice_tickets = Notice.objects.filter(incident=incident, ticket__isnull=False).values("ticket_id")
    wrote = set(Message.objects.filter(customer_id__in=customer_ids, direction=Direction.INBOUND, automated=False,
                                       created_at__gte=incident.opened_at)
                .exclude(ticket_id__in=notice_tickets).values_list("customer_id", flat=True))
    return linked | wrote


# --- Starting an incident from a playbook -----------------------------------------------------

@dataclass
class StartResult:
    incident: Incident
    tasks: int
    drafts: int
    skipped: int


@transaction.atomic
def incident_start_from_playbook(*, playbook: Playbook, title: str, scope: dict | None,
                                 expected_resolution_at: dt.datetime | None = None, actor=None,
                                 window_start: dt.datetime | None = None, window_end: dt.datetime | None = None,
                                 first_alert_at: dt.datetime | None = None) -> StartResult:
    """Open an incident from a playbook: its tasks (due = start + the step's deadline, owned by
    the step's team) and a DRAFT notice for each affected customer. Opted-out customers and
    those who already wrote in get a SKIPPED notice with the reason, so they are never sent one."""
    if not playbook.active:
        raise DomainError("playbook_inactive", f"The playbook '{playbook.name}' is not active.", status=422)
    scope = scope_clean(scope)
    if not _has_scope(scope):
        raise DomainError("scope_required", "Give the incident a scope that finds orders: products, a region or "
                                            "a courier.", status=422)
    at = now()
    if expected_resolution_at is not None and expected_resolution_at <= at:
        raise DomainError("expected_in_past", "The expected date must be in the future.", status=422)
    incident = incident_open(
        title=title, scope=scope, problem_type=playbook.problem_type, window_start=window_start,
        window_end=window_end, customer_status=status_texts(playbook), expected_resolution_at=expected_resolution_at,
        actor=actor, first_alert_at=first_alert_at, playbook=playbook)
    tasks = [IncidentTask(incident=incident, step=step, title=step.title, owner_team_id=step.owner_team_id,
                          due_at=at + dt.timedelta(minutes=step.deadline_minutes))
             for step in playbook.steps.all()]
    IncidentTask.objects.bulk_create(tasks)
    drafts, skipped = notices_draft(incident=incident)
    return StartResult(incident=incident, tasks=len(tasks), drafts=drafts, skipped=skipped)


def notices_draft(*, incident: Incident) -> tuple[int, int]:
    """Draft a notice for every affected customer who has none for this incident yet (safe to
    run again after the scope grows). Returns (drafted, skipped)."""
    affected = affected_customers(incident)
    if not affected:
        return 0, 0
    existing = set(Notice.objects.filter(incident=incident).values_list("customer_id", flat=True))
    new_ids = [cid for cid in affected if cid not in existing]
    opted_out = set(Customer.objects.filter(pk__in=new_ids, proactive_opt_out=True).values_list("pk", flat=True))
    wrote = _wrote_in(incident, new_ids)
    at = now()
    rows = []
    for cid in new_ids:
        reason = REASON_OPTED_OUT if cid in opted_out else REASON_WROTE_IN if cid in wrote else ""
        rows.append(Notice(incident=incident, customer_id=cid, order=affected[cid], created_at=at, reason=reason,
                           status=NoticeStatus.SKIPPED if reason else NoticeStatus.DRAFT))
    Notice.objects.bulk_create(rows, ignore_conflicts=True)  # the unique (incident, customer) wins any race
    skipped = sum(1 for r in rows if r.status == NoticeStatus.SKIPPED)
    return len(rows) - skipped, skipped


# --- Sending ---------------------------------------------------------------------------------

def per_minute() -> int:
    return max(0, int(getattr(settings, "TANGGAP_NOTICES_PER_MINUTE", 60)))


def _notice_ticket(notice: Notice, at: dt.datetime) -> tuple[Ticket, Message] | None:
    """Start the company-initiated conversation for a notice (``outreach_send``: email if the
    customer has an address, else WhatsApp, else SMS), left *pending* on the customer: a reply
    reopens it, on chat-like channels by the conversation, on email by the headers. The ticket
    is linked to the incident and counts as answered, so the incident's status is not sent on
    top of the notice. None when the customer cannot be reached."""
    customer = notice.customer
    language = language_of(customer.language)
    body = notice_text(notice)
    if not body.strip():
        raise DomainError("empty_notice", f"The playbook has no notice wording for incident {notice.incident_id}.")
    try:
        ticket, message = outreach_send(customer=customer, subject=NOTICE_SUBJECT[language].format(
            incident=notice.incident.title), body_text=body, purpose="proactive_notice")
    except DomainError as exc:
        if exc.code == "no_recipient":
            return None
        raise
    Message.objects.filter(pk=message.pk).update(meta={**message.meta, "incident_id": notice.incident_id,
                                                        "notice_id": notice.pk})
    timeline_add(ticket=ticket, kind=TimelineKind.NOTICE_SENT, customer=customer, message=message,
                 initiated_by=Initiator.COMPANY, incident_id=notice.incident_id, notice_id=notice.pk)
    link, _ = incident_link_ticket(incident=notice.incident, ticket=ticket, automatic=True)
    IncidentTicket.objects.filter(pk=link.pk).update(answered=True)
    return ticket, message


def _sent_in_last_minute(at: dt.datetime) -> int:
    return Notice.objects.filter(status=NoticeStatus.SENT, sent_at__gt=at - dt.timedelta(minutes=1),
                                 sent_at__lte=at).count()


def notice_send_one(*, notice_id: int) -> str:
    """Claim one draft and send it, in one transaction: the conditional UPDATE (draft -> sent)
    is the claim, so two callers never both send it, and a crash before commit leaves it a
    draft for the next run. Returns 'sent', 'skipped' or 'taken' (someone else had it)."""
    at = now()
    with transaction.atomic():
        won = Notice.objects.filter(pk=notice_id, status=NoticeStatus.DRAFT).update(status=NoticeStatus.SENT,
                                                                                   sent_at=at)
        if not won:
            return "taken"
        notice = Notice.objects.select_related("customer", "order", "incident__playbook").get(pk=notice_id)
        reason = ""
        if notice.customer.proactive_opt_out:
            reason = REASON_OPTED_OUT
        elif notice.customer_id in _wrote_in(notice.incident, [notice.customer_id]):
            reason = REASON_WROTE_IN  # they wrote first: the incident's answer reached them there
        else:
            made = _notice_ticket(notice, at)
            if made is None:
                reason = REASON_UNREACHABLE
        if reason:
            Notice.objects.filter(pk=notice_id).update(status=NoticeStatus.SKIPPED, sent_at=None, reason=reason)
            return "skipped"
        ticket, message = made
        Notice.objects.filter(pk=notice_id).update(ticket=ticket, message=message)
        publish(names.NOTICE_SENT, notice_id=notice_id, incident_id=notice.incident_id, ticket_id=ticket.pk,
                message_id=message.pk, customer_id=notice.customer_id)
    return "sent"


def notices_send(*, limit: int | None = None) -> dict[str, int]:
    """Send due drafts, oldest first, at most ``TANGGAP_NOTICES_PER_MINUTE`` in any minute
    (counted over every caller) and at most ``limit`` in this run."""
    counts = {"sent": 0, "skipped": 0, "taken": 0, "failed": 0}
    budget = per_minute() - _sent_in_last_minute(now())
    if limit is not None:
        budget = min(budget, limit)
    if budget <= 0:
        return counts
    # A few more candidates than the budget: some are skipped or taken by another caller.
    candidates = list(Notice.objects.filter(status=NoticeStatus.DRAFT, incident__status__in=["open", "monitoring"])
                      .order_by("created_at", "id").values_list("pk", flat=True)[:budget * 2 + 10])
    for notice_id in candidates:
        if counts["sent"] >= budget or _sent_in_last_minute(now()) >= per_minute():
            break
        try:
            outcome = notice_send_one(notice_id=notice_id)
        except (DomainError, IntegrityError) as exc:
            # Deterministic (no wording, no address): set it aside rather than retry it forever.
            code = getattr(exc, "code", "error")
            log.warning("notice %s not sent: %s", notice_id, exc)
            Notice.objects.filter(pk=notice_id, status=NoticeStatus.DRAFT).update(
                status=NoticeStatus.SKIPPED, reason=f"failed: {code}"[:200])
            counts["failed"] += 1
            continue
        counts[outcome] += 1
    return counts


def incident_notices_redraft(*, incident: Incident) -> tuple[int, int]:
    """Public entry for 'find newly affected customers' (e.g. after the scope grew)."""
    with transaction.atomic():
        return notices_draft(incident=incident)


def task_done(*, task: IncidentTask, actor) -> IncidentTask:
    """Mark a playbook task done (idempotent)."""
    if task.done_at is None:
        IncidentTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now(), done_by=actor)
        task.refresh_from_db()
    return task

