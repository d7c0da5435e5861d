"""Reads of the customer portal. A customer reaches a ticket only by its access key, or
through the list of their own tickets once signed in; internal notes are never read here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import pgettext_lazy

from tanggap.common.pagination import Page, keyset_page
from tanggap.conversations.choices import Status
from tanggap.conversations.models import Message, Ticket
from tanggap.customers.models import Customer
from tanggap.customers.services import resolve
from tanggap.promises.models import Promise
from tanggap.promises.selectors import promise_current, promise_history
from tanggap.remedies.models import Remedy, RemedyKind, RemedyStatus


# Portal wording has its own context ("customer portal"): other apps translate the same short
# words (Refund, Return, ...) for agents, and one catalog would win over the other.
# The status as a customer would say it, and what it means for them.
STATUS_WORDS = {
    Status.NEW: (
        pgettext_lazy("customer portal", "Received"),
        pgettext_lazy("customer portal", "We have your message and will answer soon.")),
    Status.OPEN: (
        pgettext_lazy("customer portal", "We are working on it"),
        pgettext_lazy("customer portal", "Our team is handling your case.")),
    Status.PENDING: (
        pgettext_lazy("customer portal", "Waiting for your reply"),
        pgettext_lazy("customer portal", "We asked you something; please answer below.")),
    Status.ON_HOLD: (
        pgettext_lazy("customer portal", "Waiting on a partner"),
        pgettext_lazy("customer portal", "We are waiting for a partner such as the courier or the maker.")),
    Status.SOLVED: (
        pgettext_lazy("customer portal", "Solved"),
        pgettext_lazy("customer portal", "We believe this is solved. Write to us if it is not.")),
    Status.CLOSED: (
        pgettext_lazy("customer portal", "Closed"),
        pgettext_lazy("customer portal", "This case is closed. Write to us to open it again.")),
}

# What an outbound message was for, as the customer sees it (meta["purpose"]).
PURPOSE_LABELS = {
    "progress_update": pgettext_lazy("customer portal", "Progress update"),
    "acknowledgement": pgettext_lazy("customer portal", "We received your message"),
    "promise": pgettext_lazy("customer portal", "Our promise"),
    "promise_redated": pgettext_lazy("customer portal", "New date"),
    "remedy": pgettext_lazy("customer portal", "Remedy"),
    "incident_status": pgettext_lazy("customer portal", "Known problem"),
    "proactive_notice": pgettext_lazy("customer portal", "Notice"),
    "checkin": pgettext_lazy("customer portal", "Check-in"),
    "product_guides": pgettext_lazy("customer portal", "Product guides"),
}

# Remedies in the customer's words (the console's labels are the agent's).
REMEDY_LABELS = {
    "answer": pgettext_lazy("customer portal", "Answer"),
    "fix": pgettext_lazy("customer portal", "Repair"),
    "replace": pgettext_lazy("customer portal", "Replacement"),
    "return": pgettext_lazy("customer portal", "Return"),
    "refund": pgettext_lazy("customer portal", "Refund"),
    "voucher": pgettext_lazy("customer portal", "Voucher"),
}


def status_words(status: str) -> tuple[str, str]:
    label, meaning = STATUS_WORDS.get(status, (status, ""))
    return str(label), str(meaning)


def customer_ids(customer: Customer) -> list[int]:
    """The surviving customer and every customer merged into it (at any depth)."""
    root = resolve(customer)
    ids, frontier = {root.pk}, [root.pk]
    while frontier:
        frontier = [pk for pk in Customer.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
                    if pk not in ids]
        ids.update(frontier)
    return sorted(ids)


def portal_customer(customer_id: int | None) -> Customer | None:
    if not customer_id:
        return None
    customer = Customer.objects.filter(pk=customer_id).first()
    return resolve(customer) if customer else None


def customer_ticket_page(*, customer: Customer, cursor: str | None = None, limit: int = 20) -> Page:
    """The customer's tickets, newest first, each with ``current_promise`` set."""
    qs = Ticket.objects.filter(customer_id__in=customer_ids(customer))
    page = keyset_page(qs, order=["-created_at", "-id"], cursor=cursor, limit=limit)
    current: dict[int, Promise] = {}
    for promise in Promise.objects.filter(ticket__in=[t.pk for t in page.items]).order_by("ticket_id", "-made_at", "-id"):
        current.setdefault(promise.ticket_id, promise)
    for ticket in page.items:
        ticket.current_promise = current.get(ticket.pk)
    return page


@dataclass
class PromiseView:
    current: Promise | None = None
    # Earlier dates, oldest first, each with the reason it was moved.
    earlier: list[tuple[Promise, str]] = field(default_factory=list)


def ticket_promise(*, ticket: Ticket) -> PromiseView:
    current = promise_current(ticket=ticket)
    if current is None:
        return PromiseView()
    history = promise_history(ticket=ticket)
    following = {p.previous_id: p for p in history if p.previous_id}
    earlier = []
    for i, promise in enumerate(history):
        if promise.pk == current.pk:
            continue
        successor = following.get(promise.pk) or (history[i + 1] if i + 1 < len(history) else None)
        earlier.append((promise, successor.reason if successor else ""))
    return PromiseView(current=current, earlier=earlier)


def ticket_thread(*, ticket: Ticket) -> list[Message]:
    """Every message the customer may see: theirs and ours; never an internal note."""
    messages = list(ticket.messages.exclude(direction="note").prefetch_related("attachments")
                    .order_by("created_at", "id"))
    for message in messages:
        purpose = (message.meta or {}).get("purpose", "") if message.direction == "out" else ""
        message.purpose = purpose
        message.purpose_label = str(PURPOSE_LABELS.get(purpose, ""))
    return messages


def ticket_remedies(*, ticket: Ticket) -> list[Remedy]:
    remedies = list(Remedy.objects.filter(ticket=ticket, status=RemedyStatus.APPLIED)
                    .select_related("order", "replacement_order").order_by("applied_at", "id"))
    for remedy in remedies:
        remedy.kind_label = str(REMEDY_LABELS.get(remedy.kind) or RemedyKind(remedy.kind).label)
    return remedies

