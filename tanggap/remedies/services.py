"""Writes for remedies: apply one under the category's policy, and approve or reject one that
waited for a manager. Each call is one transaction that leaves a timeline row, publishes an
event on commit and, when the remedy takes effect, tells the customer in their language.

The rules are written out in docs/remedies.md; keep the two in step.
"""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.common.clock import now
from tanggap.common.errors import Conflict, DomainError, NotFound, PermissionDenied
from tanggap.conversations.choices import TimelineKind
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.conversations.services import reply_send, timeline_add
from tanggap.customers.models import Order, OrderLine
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.notifications.services import notify
from tanggap.remedies.models import Remedy, RemedyKind, RemedyRule, RemedyStatus
from tanggap.remedies.selectors import NEEDS_ORDER, TAKES_AMOUNT, can_decide, window_deadline
from tanggap.texts.services import MONTHS, fill, format_amount, language_of, render

# Voucher codes: no 0/O, 1/I/L, so a customer can read one out over the phone.
VOUCHER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _date_text(value) -> str:
    return f"{value.day} {MONTHS['en'][value.month - 1]} {value.year}"


def _money(amount, currency: str) -> str:
    return format_amount(amount, currency, "en")


def _parse_amount(amount) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_amount", f"The amount must be a number, got {amount!r}.", status=422) from None
    if not value.is_finite() or value <= 0:
        raise DomainError("invalid_amount", "The amount must be more than zero.", status=422)
    return value


def _rule_for(ticket, kind: str) -> RemedyRule:
    if kind not in RemedyKind.values:
        raise DomainError("unknown_remedy", f"'{kind}' is not a remedy; the remedies are: "
                          f"{', '.join(RemedyKind.values)}.", status=422)
    rules = {r.kind: r for r in RemedyRule.objects.filter(category=ticket.category, active=True)}
    if kind not in rules:
        allowed = ", ".join(sorted(rules)) or "none"
        raise DomainError("remedy_not_allowed",
                          f"A {kind} is not allowed for {ticket.category} tickets; allowed: {allowed}.", status=422)
    return rules[kind]


def _order_for(ticket, order) -> Order | None:
    """The order, by row or id, only if it belongs to the ticket's customer (the same answer for
    an order that does not exist, so other customers' order ids are not disclosed)."""
    if order is None or order == "":
        return None
    order_id = order.pk if isinstance(order, Order) else order
    try:
        found = Order.objects.filter(pk=int(order_id), customer_id=ticket.customer_id).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise DomainError("order_not_customers",
                          f"Order {getattr(order, 'external_id', order_id)} is not an order of this ticket's customer.",
                          status=422)
    return found


def _refundable(order: Order, *, excluding: Remedy | None = None) -> tuple[Decimal, Decimal]:
    """(what is left to refund on the order, of which held by pending refund requests)."""
    pending = Remedy.objects.filter(order=order, kind=RemedyKind.REFUND, status=RemedyStatus.PENDING)
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    held = pending.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return order.total - order.refunded_amount - held, held


def _check_refund(order: Order, amount: Decimal, *, excluding: Remedy | None = None) -> None:
    left, held = _refundable(order, excluding=excluding)
    if amount > left:
        detail = (f"total {_money(order.total, order.currency)}, already refunded "
                  f"{_money(order.refunded_amount, order.currency)}")
        if held:
            detail += f", waiting for approval {_money(held, order.currency)}"
        raise DomainError("refund_exceeds_order",
                          f"At most {_money(max(left, Decimal(0)), order.currency)} can still be refunded on order "
                          f"{order.external_id} ({detail}).", status=422)


def _needs_approval(rule: RemedyRule, amount: Decimal | None) -> bool:
    """Amount above ``approval_above``; for kinds without an amount, only ``approval_above = 0``."""
    if rule.approval_above is None:
        return False
    if amount is None:
        return rule.approval_above == 0
    return amount > rule.approval_above


def _managers_for(ticket) -> list:
    """Who is asked to approve: the leads of the ticket's team (every lead for the shared
    queue) and every admin."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    leads = Q(profile__role=Role.LEAD)
    if ticket.team_id:
        leads &= Q(profile__teams=ticket.team_id)
        leads |= Q(pk=ticket.team.lead_id) if ticket.team.lead_id else Q(pk__in=[])
    admins = Q(profile__role=Role.ADMIN) | Q(is_superuser=True)
    return [u for u in users.filter(leads | admins).distinct().order_by("pk") if role_of(u) is not None]


def _new_voucher_code() -> str:
    for _attempt in range(20):
        code = "MAAF-" + "-".join("".join(secrets.choice(VOUCHER_ALPHABET) for _i in range(4)) for _j in range(2))
        if not Remedy.objects.filter(voucher_code=code).exists():
            return code
    raise DomainError("voucher_code", "No free voucher code could be made; try again.", status=409)


def _replacement_order(order: Order) -> Order:
    """A new order for the same customer with the same lines at no charge."""
    n = order.replacements.count() + 1
    while Order.objects.filter(external_id=f"{order.external_id}-R{n}").exists():
        n += 1
    for _attempt in range(5):
        try:
            with transaction.atomic():
                new = Order.objects.create(
                    external_id=f"{order.external_id}-R{n}"[:64], customer_id=order.customer_id,
                    status=Order.Status.PLACED, placed_at=now(), total=Decimal(0), currency=order.currency,
                    courier=order.courier, region=order.region, replacement_for=order)
                break
        except IntegrityError:  # taken concurrently
            n += 1
    else:
        raise DomainError("replacement_failed", "The replacement order could not be created; try again.", status=409)
    OrderLine.objects.bulk_create([OrderLine(order=new, product_id=line.product_id, quantity=line.quantity,
                                             unit_price=Decimal(0)) for line in order.lines.all()])
    return new


def _tell_customer(remedy: Remedy, actor) -> None:
    """Queue the customer's message for an applied remedy. A customer who cannot be reached
    does not undo the remedy: it stays applied, without a message, and the timeline says so."""
    ticket = remedy.ticket
    customer = ticket.customer
    language = language_of(customer.language)
    order = remedy.order
    if remedy.kind == RemedyKind.POINTS:
        text = fill(POINTS_TEXT[language], points=int(remedy.amount), note=remedy.note)
    else:
        text = render(f"remedy_{remedy.kind}", language, customer_name=customer.name or "",
                      reference=ticket.reference, subject=ticket.subject, order=order.external_id if order else "",
                      amount=format_amount(remedy.amount, remedy.currency, language), note=remedy.note,
                      replacement_order=remedy.replacement_order.external_id if remedy.replacement_order else "",
                      voucher_code=remedy.voucher_code)
    # a template with an empty field leaves doubled spaces or " ." behind; tidy them
    text = " ".join(text.split()).replace(" .", ".").replace("()", "").strip()
    try:
        message = reply_send(ticket=ticket, author=actor, body_text=text, purpose="remedy",
                             meta={"remedy_id": remedy.pk})
    except DomainError as exc:
        if exc.code != "no_recipient":
            raise
        remedy.message = None
        remedy.told_error = exc.message
        return
    remedy.message = message
    remedy.told_error = ""


def _take_effect(remedy: Remedy, actor) -> None:
    """Change the order (locked), mark the remedy applied, timeline row, event, customer message."""
    order = Order.objects.select_for_update().get(pk=remedy.order_id) if remedy.order_id else None
    remedy.order = order
    if remedy.kind == RemedyKind.REFUND:
        _check_refund(order, remedy.amount, excluding=remedy)
        order.refunded_amount += remedy.amount
        order.save(update_fields=["refunded_amount", "updated_at"])
    elif remedy.kind == RemedyKind.REPLACE:
        remedy.replacement_order = _replacement_order(order)
    elif remedy.kind == RemedyKind.RETURN:
        if order.status == Order.Status.RETURNED:
            raise Conflict("already_returned", f"Order {order.external_id} is already returned.")
        order.status = Order.Status.RETURNED
        order.save(update_fields=["status", "updated_at"])
    elif remedy.kind == RemedyKind.VOUCHER:
        remedy.voucher_code = _new_voucher_code()
    remedy.status = RemedyStatus.APPLIED
    remedy.applied_at = now()
    remedy.save()
    _loyalty_effect(remedy)
    _tell_customer(remedy, actor)
    remedy.save(update_fields=["message"])
    approval = {"requested_by": remedy.requested_by.username} if remedy.requested_by_id and remedy.decided_by_id else {}
    timeline_add(ticket=remedy.ticket, kind=TimelineKind.REMEDY_APPLIED, actor=actor, message=remedy.message,
                 **_timeline_data(remedy), **approval, customer_told=remedy.message_id is not None,
                 **({"not_told_reason": remedy.told_error} if remedy.told_error else {}))
    publish(names.REMEDY_APPLIED, ticket_id=remedy.ticket_id, remedy_id=remedy.pk, kind=remedy.kind,
            amount=str(remedy.amount) if remedy.amount is not None else None, order_id=remedy.order_id,
            replacement_order_id=remedy.replacement_order_id, message_id=remedy.message_id)


def _loyalty_effect(remedy: Remedy) -> None:
    """Service recovery through loyalty (docs/loyalty.md): a ``points`` remedy credits the
    customer's points ledger (once per remedy); a ``voucher`` remedy's code becomes a single-use
    loyalty voucher of its amount for the customer, redeemable through the loyalty API."""
    from tanggap.loyalty import services as loyalty

    if remedy.kind == RemedyKind.POINTS:
        loyalty.points_award_remedy(remedy=remedy)
    elif remedy.kind == RemedyKind.VOUCHER:
        loyalty.voucher_for_remedy(remedy=remedy)


# The customer's message for a points remedy (the other kinds' texts are message templates).
POINTS_TEXT = {
    "id": "Sebagai permohonan maaf, kami menambahkan {points} poin ke akun member Anda. {note}",
    "ms": "Sebagai tanda maaf, kami menambah {points} mata ke akaun ahli anda. {note}",
    "en": "As an apology, we have added {points} points to your membership account. {note}",
}


def _timeline_data(remedy: Remedy) -> dict:
    data = {"remedy_id": remedy.pk, "remedy": remedy.kind}
    if remedy.amount is not None:
        data.update(amount=str(remedy.amount), currency=remedy.currency)
    if remedy.order_id:
        data["order"] = remedy.order.external_id
    if remedy.replacement_order_id:
        data["replacement_order"] = remedy.replacement_order.external_id
    if remedy.voucher_code:
        data["voucher_code"] = remedy.voucher_code
    if remedy.note:
        data["note"] = remedy.note[:300]
    return data


@transaction.atomic
def remedy_apply(*, ticket, actor, kind: str, order=None, amount=None, note: str = "") -> Remedy:
    """Apply a remedy on the ticket under its category's rule, or ask for approval.

    ``order`` is an Order or an order id of the ticket's customer. Returns the Remedy:
    ``applied`` (the order changed and the customer's message is queued; ``message`` is None
    when the customer has no address to reach) or ``pending`` (leads and admins notified).
    A lead or an admin applying a remedy above the approval limit approves it themselves."""
    role = role_of(actor)
    if role is None:
        raise PermissionDenied("not_staff", "Only staff apply remedies.")
    kind = (kind or "").strip().lower()
    note = (note or "").strip()
    rule = _rule_for(ticket, kind)
    order = _order_for(ticket, order)
    value = _parse_amount(amount)

    if kind in NEEDS_ORDER and order is None:
        raise DomainError("order_required", f"A {kind} needs the order it is for.", status=422)
    if kind == RemedyKind.ANSWER and not note:
        raise DomainError("note_required", "An answer needs the text to send to the customer.", status=422)
    if kind == RemedyKind.POINTS and value is not None and value != value.to_integral_value():
        raise DomainError("invalid_amount", "Points are a whole number.", status=422)
    if kind in TAKES_AMOUNT and value is None:
        raise DomainError("amount_required", f"A {kind} needs an amount.", status=422)
    if kind not in TAKES_AMOUNT and value is not None:
        raise DomainError("amount_not_used", f"A {kind} does not take an amount"
                          + ("; apply a refund for the money." if kind == RemedyKind.RETURN else "."), status=422)
    currency = order.currency if order else "IDR"
    if value is not None and rule.max_amount is not None and value > rule.max_amount:
        raise DomainError("amount_above_limit",
                          f"A {kind} for {ticket.category} tickets is at most {_money(rule.max_amount, currency)}; "
                          f"{_money(value, currency)} is more.", status=422)
    if kind == RemedyKind.REFUND:
        _check_refund(Order.objects.select_for_update().get(pk=order.pk), value)
    if kind == RemedyKind.RETURN and order.status == Order.Status.RETURNED:
        raise Conflict("already_returned", f"Order {order.external_id} is already returned.")
    deadline = window_deadline(rule, order)
    if deadline is not None and now() > deadline:
        since = "delivery" if rule.window_from == "delivered" else "the order date"
        raise DomainError("remedy_window_closed",
                          f"The {kind} window for order {order.external_id} closed on {_date_text(deadline)} "
                          f"({rule.window_days} days after {since}).", status=422)

    manager = role in (Role.LEAD, Role.ADMIN)
    pending = _needs_approval(rule, value) and not manager
    remedy = Remedy.objects.create(
        ticket=ticket, order=order, kind=kind, amount=value, currency=currency, note=note,
        status=RemedyStatus.PENDING if pending else RemedyStatus.APPLIED, requested_by=actor)
    if pending:
        timeline_add(ticket=ticket, kind=TimelineKind.REMEDY_REQUESTED, actor=actor, **_timeline_data(remedy),
                     approval_above=str(rule.approval_above))
        publish(names.REMEDY_REQUESTED, ticket_id=ticket.pk, remedy_id=remedy.pk, kind=kind,
                amount=str(value) if value is not None else None, order_id=remedy.order_id)
        label = str(RemedyKind(kind).label).lower()
        what = f"{label} {_money(value, currency)}" if value is not None else label
        notify(users=_managers_for(ticket), kind="remedy.approval", ticket=ticket,
               dedupe_key=f"remedy:{remedy.pk}:approval",
               text=_("%(reference)s: %(who)s asks for approval of a %(what)s.") % {
                   "reference": ticket.reference, "who": actor.get_full_name() or actor.username, "what": what})
        return remedy
    if _needs_approval(rule, value):  # a manager's own request: approved by them
        remedy.decided_by, remedy.decided_at, remedy.decision_note = actor, now(), "self-approved"
    _take_effect(remedy, actor)
    return remedy


@transaction.atomic
def remedy_decide(*, remedy: Remedy, actor, approve: bool, note: str = "") -> Remedy:
    """A lead or admin approves (the remedy takes effect and the customer is told) or rejects
    (nothing changes on the order; the requester is notified) a pending remedy."""
    if not can_decide(actor):
        raise PermissionDenied("not_a_manager", "Only team leads and admins approve or reject remedies.")
    if not tickets_visible_to(actor).filter(pk=remedy.ticket_id).exists():
        raise NotFound("ticket_not_found", f"Ticket {remedy.ticket_id} does not exist.")
    remedy = (Remedy.objects.select_for_update(of=("self",)).select_related("ticket__customer", "ticket__team", "order")
              .get(pk=remedy.pk))
    if remedy.status != RemedyStatus.PENDING:
        raise Conflict("remedy_not_pending", f"This remedy is already {remedy.status}; only a pending remedy "
                       "can be approved or rejected.")
    note = (note or "").strip()
    remedy.decided_by, remedy.decided_at, remedy.decision_note = actor, now(), note
    ticket = remedy.ticket
    if approve:
        _take_effect(remedy, actor)
        outcome = _("approved")
    else:
        remedy.status = RemedyStatus.REJECTED
        remedy.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        timeline_add(ticket=ticket, kind=TimelineKind.REMEDY_REJECTED, actor=actor, **_timeline_data(remedy),
                     reason=note[:300])
        publish(names.REMEDY_REJECTED, ticket_id=ticket.pk, remedy_id=remedy.pk, kind=remedy.kind)
        outcome = _("rejected")
    if remedy.requested_by_id and remedy.requested_by_id != actor.pk:
        notify(users=[remedy.requested_by], kind="remedy.decided", ticket=ticket,
               dedupe_key=f"remedy:{remedy.pk}:decided",
               text=_("%(reference)s: your %(kind)s was %(outcome)s by %(who)s.") % {
                   "reference": ticket.reference, "kind": str(RemedyKind(remedy.kind).label).lower(), "outcome": outcome,
                   "who": actor.get_full_name() or actor.username} + (f" {note}" if note else ""))
    return remedy
