"""Writes for tickets and messages. Every path that changes a ticket goes through here,
inside one transaction, leaving a timeline row and publishing an event on commit."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tanggap.channels.normalized import NormalizedMessage
from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.common import fastsql
from tanggap.common.fastsql import Prepared
from tanggap.conversations.choices import (
    STATUS_GROUP, Category, Delivery, Direction, Initiator, Priority, Status, StatusGroup, TimelineKind,
)
from tanggap.conversations.models import Attachment, Message, Tag, Ticket, TimelineEntry
from tanggap.conversations.references import ticket_id_from_reference
from tanggap.customers.models import Customer, Identity
from tanggap.customers.services import customer_find_or_create, register_merge_hook
from tanggap.events import names
from tanggap.events.bus import publish

# Channels where a conversation is one continuing thread (chat-like): a new message
# joins the customer's open ticket on that channel. Email threads by headers instead.
THREADED_BY_CONVERSATION = {"whatsapp", "sms", "instagram", "messenger", "x", "api", "chat"}


# What a write's in-transaction bookkeeping will read (the SLA policies and their calendars),
# read before its transaction instead: each hook is a context manager that reads and keeps
# the values for the thread while the write runs. Registered by the apps that own the values
# (``sla.handlers``); conversations does not import them.
_read_ahead_hooks: list[Callable[[], contextlib.AbstractContextManager]] = []


def register_read_ahead(hook: Callable[[], contextlib.AbstractContextManager]):
    if hook not in _read_ahead_hooks:
        _read_ahead_hooks.append(hook)
    return hook


@contextlib.contextmanager
def write_read_ahead():
    """On SQLite a write transaction holds the one write lock from its first statement: reads
    done before it are reads every other writer does not wait behind. Inside a transaction
    already (the lock is held) it reads nothing: the bookkeeping reads what it needs itself."""
    if transaction.get_connection().in_atomic_block or not _read_ahead_hooks:
        yield
        return
    with contextlib.ExitStack() as stack:
        for hook in _read_ahead_hooks:
            stack.enter_context(hook())
        yield


@dataclass
class ReceiveResult:
    ticket: Ticket
    message: Message
    created: bool


def timeline_add(*, ticket: Ticket, kind: str, actor=None, customer=None, message=None,
                 initiated_by: str = "", at: dt.datetime | None = None, **data) -> TimelineEntry:
    # one plain INSERT (common.fastsql): every message and reply writes one or more of these
    return fastsql.insert(TimelineEntry(
        ticket=ticket, kind=kind, actor=actor, customer=customer, message=message,
        initiated_by=initiated_by, data=data, **({"at": at} if at is not None else {}),
    ))


def _find_ticket_for(msg: NormalizedMessage, customer: Customer, channel) -> Ticket | None:
    ids = [i for i in [msg.in_reply_to, *msg.references] if i]
    if ids:
        hit = (Message.objects.filter(message_id_header__in=ids).select_related("ticket")
               .order_by("-created_at").first())
        if hit is None:
            hit = (Message.objects.filter(channel_kind=msg.channel, external_id__in=ids)
                   .select_related("ticket").order_by("-created_at").first())
        if hit is not None and hit.ticket.status != Status.CLOSED:
            return hit.ticket
    ref_id = ticket_id_from_reference(msg.subject)
    if ref_id:
        ticket = Ticket.objects.filter(pk=ref_id, customer=customer).exclude(status=Status.CLOSED).first()
        if ticket:
            return ticket
    if msg.channel in THREADED_BY_CONVERSATION:
        return _OPEN_THREAD.first(customer.pk, msg.channel)
    return None


# Every chat-like message and every message with an external id runs these: compiled once (common.fastsql).
_OPEN_THREAD = Prepared(lambda customer_id, kind: Ticket.objects.filter(customer_id=customer_id, channel__kind=kind)
                        .exclude(status__in=[Status.SOLVED, Status.CLOSED]).order_by("-updated_at", "-pk")[:1])
_DUPLICATE = Prepared(lambda kind, external_id: Message.objects.select_related("ticket").filter(
    channel_kind=kind, external_id=external_id).order_by("pk")[:1])


def _duplicate(msg: NormalizedMessage) -> Message | None:
    return _DUPLICATE.first(msg.channel, msg.external_id)


def message_receive(*, msg: NormalizedMessage, channel, raw=None) -> ReceiveResult:
    """Store one inbound customer message: find or create the customer, thread it into
    their ticket or open a new one. Idempotent by (channel, external_id)."""
    if not msg.external_id:
        raise DomainError("missing_external_id", "Every inbound message needs an external id.")
    dup = _duplicate(msg)
    if dup:
        return ReceiveResult(ticket=dup.ticket, message=dup, created=False)
    try:
        with transaction.atomic():
            return _receive(msg, channel, raw)
    except IntegrityError:
        dup = _duplicate(msg)  # a concurrent request stored the same external id first
        if dup is None:
            raise
        return ReceiveResult(ticket=dup.ticket, message=dup, created=False)


def _receive(msg: NormalizedMessage, channel, raw) -> ReceiveResult:
    customer, _ = customer_find_or_create(identity=msg.sender, language=msg.meta.get("language", ""))
    # When the message reached us: the stored payload's arrival, not the moment a worker got to
    # it (an accepted payload may wait in the queue during a burst, or for the sweep after a
    # crash). The ticket, the message, its timeline rows and so the SLA clocks count from there.
    at = now()
    if raw is not None and raw.received_at is not None and raw.received_at < at:
        at = raw.received_at
    ticket = _find_ticket_for(msg, customer, channel)
    opened = ticket is None
    if opened:
        ticket = Ticket.objects.create(
            subject=(msg.subject or msg.body_text.strip().split("\n", 1)[0])[:300] or "(no subject)",
            customer=customer, channel=channel, initiated_by=Initiator.CUSTOMER,
            created_at=at, updated_at=at, last_message_at=at,
        )
        timeline_add(ticket=ticket, kind=TimelineKind.OPENED, customer=customer,
                     initiated_by=Initiator.CUSTOMER, channel=msg.channel, at=at)
    message = fastsql.insert(Message(
        ticket=ticket, direction=Direction.INBOUND, channel_kind=msg.channel, external_id=msg.external_id,
        customer=customer, initiated_by=Initiator.CUSTOMER, subject=msg.subject[:500],
        body_text=msg.body_text, body_html=msg.body_html, sent_at=msg.sent_at or at, created_at=at,
        message_id_header=msg.external_id if msg.channel == "email" else "",
        in_reply_to=msg.in_reply_to[:500], references=" ".join(msg.references),
        automated=msg.automated, automated_reason=msg.automated_reason, raw=raw, meta=msg.meta,
    ))
    for att in msg.attachments:
        a = Attachment(message=message, filename=att.filename[:255] or "attachment", content_type=att.content_type[:100],
                       size=len(att.content), inline=att.inline)
        a.file.save(f"{uuid.uuid4().hex}", ContentFile(att.content), save=False)
        a.save()
    timeline_add(ticket=ticket, kind=TimelineKind.MESSAGE_IN, customer=customer, message=message,
                 initiated_by=Initiator.CUSTOMER, channel=msg.channel, automated=msg.automated, at=at)
    fields = {"updated_at": at, "last_message_at": at if opened else max(at, ticket.last_message_at)}
    if not msg.automated:
        if ticket.waiting_since is None:
            fields["waiting_since"] = at
        group = STATUS_GROUP[Status(ticket.status)]
        if not opened and group != StatusGroup.OPEN:
            fields["status"] = Status.OPEN
            fields["resolved_at"] = None
            kind = TimelineKind.REOPENED if group == StatusGroup.RESOLVED else TimelineKind.STATUS
            timeline_add(ticket=ticket, kind=kind, customer=customer, old=ticket.status, new=Status.OPEN, at=at)
    fastsql.update(Ticket, ticket.pk, **fields)
    for k, v in fields.items():
        setattr(ticket, k, v)
    if opened:
        publish(names.TICKET_OPENED, ticket_id=ticket.pk)
    publish(names.MESSAGE_RECEIVED, ticket_id=ticket.pk, message_id=message.pk, opened=opened,
            automated=msg.automated, channel_kind=msg.channel)
    return ReceiveResult(ticket=ticket, message=message, created=True)


# A web form or an integration cannot carry a reply: answer by email, else by SMS. A ticket a
# phone call opened is answered in writing on WhatsApp, else SMS, else email.
REPLY_ROUTES = {"web": ("email", "sms"), "api": ("email", "sms"), "phone": ("whatsapp", "sms", "email")}
IDENTITY_FOR_KIND = {"email": ("email", ""), "whatsapp": ("phone", ""), "sms": ("phone", "")}


def reply_route(ticket: Ticket) -> tuple[str, str]:
    """(channel kind to send the reply on, recipient address/number/handle on it)."""
    for kind in REPLY_ROUTES.get(ticket.channel.kind, (ticket.channel.kind,)):
        ident_kind, namespace = IDENTITY_FOR_KIND.get(kind, ("handle", kind))
        ident = (Identity.objects.filter(customer=ticket.customer, kind=ident_kind, namespace=namespace)
                 .order_by("-id").first())
        if ident is not None:
            return kind, ident.value
    raise DomainError("no_recipient", f"The customer has no address to reply to for a {ticket.channel.kind} ticket.")


def _email_subject(ticket: Ticket, reply: bool = True) -> str:
    subject = ticket.subject or ""
    if ticket.reference not in subject:
        subject = f"[{ticket.reference}] {subject}"
    if not reply:  # we start the conversation (a check-in, a notice)
        return subject
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def reply_send(*, ticket: Ticket, author, body_text: str, body_html: str = "", status: str | None = None,
               initiated_by: str = Initiator.CUSTOMER, automated: bool = False, purpose: str = "",
               meta: dict | None = None) -> Message:
    """Queue a reply on the ticket's channel; the worker delivers it (conversations.delivery).

    ``automated`` marks messages tanggap sent by itself (acknowledgements, progress updates):
    they do not count as a response for SLA clocks. ``purpose`` names what the message is
    for ("reply", "acknowledgement", "progress_update", "promise_redated", "remedy", ...).

    One transaction; what its bookkeeping reads (SLA policies, calendars) is read before it, and
    the message as the in-transaction subscribers left it is read after it."""
    if not body_text.strip():
        raise DomainError("empty_reply", "A reply needs some text.")
    with write_read_ahead(), transaction.atomic():
        message = _reply_write(ticket=ticket, author=author, body_text=body_text, body_html=body_html, status=status,
                               initiated_by=initiated_by, automated=automated, purpose=purpose, meta=meta)
    # in-transaction subscribers may have added to it (a promise), or delivered it at once (live chat)
    message.refresh_from_db(fields=["body_text", "body_html", "meta", "delivery_status", "attempts", "provider_id",
                                    "next_attempt_at"])
    return message


# Compiled once (common.fastsql): every reply runs it, inside its transaction.
_TICKET_FOR_REPLY = Prepared(lambda ticket_id: Ticket.objects.select_for_update(of=("self",))
                             .select_related("channel", "customer").filter(pk=ticket_id))


def _reply_write(*, ticket: Ticket, author, body_text: str, body_html: str, status: str | None, initiated_by: str,
                 automated: bool, purpose: str, meta: dict | None) -> Message:
    ticket = _TICKET_FOR_REPLY.get(ticket.pk)
    at = now()
    kind, recipient = reply_route(ticket)
    body_html = nh3.clean(body_html) if body_html else ""
    message = Message(ticket=ticket, direction=Direction.OUTBOUND, channel_kind=kind, author=author,
                      customer=ticket.customer, initiated_by=initiated_by, body_text=body_text,
                      body_html=body_html, sent_at=at, created_at=at, recipient=recipient,
                      delivery_status=Delivery.QUEUED, next_attempt_at=at, automated=automated,
                      automated_reason=purpose[:20] if automated else "",
                      meta={**(meta or {}), "purpose": purpose or "reply"})
    if kind == "email":
        last_in = ticket.messages.filter(direction=Direction.INBOUND).exclude(message_id_header="").order_by("-created_at").first()
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
        message.message_id_header = f"<tg.{ticket.pk}.{uuid.uuid4().hex[:16]}@{domain}>"
        message.subject = _email_subject(ticket, reply=last_in is not None or ticket.initiated_by == Initiator.CUSTOMER)
        if last_in:
            message.in_reply_to = last_in.message_id_header
            refs = [r for r in (last_in.references or "").split() if r] + [last_in.message_id_header]
            message.references = " ".join(dict.fromkeys(refs))
    fastsql.insert(message)
    timeline_add(ticket=ticket, kind=TimelineKind.MESSAGE_OUT, actor=author, message=message,
                 initiated_by=initiated_by, channel=kind, automated=automated, purpose=purpose or "reply")
    fields = {"updated_at": at, "last_message_at": at}
    if not automated:  # an automatic message answers nobody
        fields["waiting_since"] = None
        if ticket.first_response_at is None:
            fields["first_response_at"] = at
    if ticket.status == Status.NEW and status is None and not automated:
        status = Status.OPEN  # a person answered; an automatic message leaves the ticket new
    fastsql.update(Ticket, ticket.pk, **fields)
    if status and status != ticket.status:
        ticket_update(ticket=ticket, actor=author, status=status)
    publish(names.MESSAGE_QUEUED, ticket_id=ticket.pk, message_id=message.pk, automated=automated,
            purpose=purpose or "reply", channel_kind=kind)
    return message


# Channels a company-initiated conversation can start on, in order of preference.
OUTREACH_KINDS = ("email", "whatsapp", "sms")


@transaction.atomic
def outreach_send(*, customer: Customer, subject: str, body_text: str, purpose: str, author=None,
                  channel_kind: str = "") -> tuple[Ticket, Message]:
    """Start a company-initiated conversation (a check-in, a proactive notice): a new ticket
    waiting on the customer, with our message queued on the first channel the customer can be
    reached on (email, else WhatsApp, else SMS). The customer's answer threads into it (email
    by headers, chat-like channels by conversation) and reopens it."""
    from tanggap.channels.lookup import channel_for

    kinds = (channel_kind,) if channel_kind else OUTREACH_KINDS
    for kind in kinds:
        ident_kind, namespace = IDENTITY_FOR_KIND.get(kind, ("handle", kind))
        if Identity.objects.filter(customer=customer, kind=ident_kind, namespace=namespace).exists():
            break
    else:
        raise DomainError("no_recipient", "The customer has no email address or phone number to reach them on.")
    at = now()
    ticket = Ticket.objects.create(subject=subject[:300] or "(no subject)", customer=customer,
                                   channel=channel_for(kind=kind), initiated_by=Initiator.COMPANY,
                                   created_at=at, updated_at=at, last_message_at=at)
    timeline_add(ticket=ticket, kind=TimelineKind.OPENED, actor=author, initiated_by=Initiator.COMPANY,
                 channel=kind, purpose=purpose)
    publish(names.TICKET_OPENED, ticket_id=ticket.pk, initiated_by=Initiator.COMPANY)
    message = reply_send(ticket=ticket, author=author, body_text=body_text, status=Status.PENDING,
                         initiated_by=Initiator.COMPANY, automated=author is None, purpose=purpose)
    ticket.refresh_from_db()
    return ticket, message


@transaction.atomic
def note_add(*, ticket: Ticket, author, body_text: str) -> Message:
    if not body_text.strip():
        raise DomainError("empty_note", "A note needs some text.")
    at = now()
    message = Message.objects.create(ticket=ticket, direction=Direction.NOTE, channel_kind="note", author=author,
                                     initiated_by=Initiator.COMPANY, body_text=body_text, sent_at=at, created_at=at)
    timeline_add(ticket=ticket, kind=TimelineKind.NOTE, actor=author, message=message)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    publish(names.NOTE_ADDED, ticket_id=ticket.pk, message_id=message.pk)
    return message


_UNSET = object()


def _check_choice(value, choices, field):
    if value not in choices.values:
        raise DomainError(f"invalid_{field}", f"'{value}' is not a valid {field}; use one of: {', '.join(choices.values)}.")


@transaction.atomic
def ticket_update(*, ticket: Ticket, actor, status=None, priority=None, category=None, subject=None,
                  assignee=_UNSET, team=_UNSET, tags: list[str] | None = None) -> Ticket:
    """Change any of the ticket's fields; one timeline row per field that actually changed."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    changed: dict[str, tuple] = {}
    at = now()
    for field, value, choices, kind in (
        ("status", status, Status, TimelineKind.STATUS),
        ("priority", priority, Priority, TimelineKind.PRIORITY),
        ("category", category, Category, TimelineKind.CATEGORY),
    ):
        if value is not None and value != getattr(ticket, field):
            _check_choice(value, choices, field)
            changed[field] = (getattr(ticket, field), value)
            setattr(ticket, field, value)
            timeline_add(ticket=ticket, kind=kind, actor=actor, old=changed[field][0], new=value)
    if subject is not None and subject.strip() and subject != ticket.subject:
        timeline_add(ticket=ticket, kind=TimelineKind.SUBJECT, actor=actor, old=ticket.subject, new=subject)
        ticket.subject = subject[:300]
        changed["subject"] = ()
    for field, value, kind in (("assignee", assignee, TimelineKind.ASSIGNEE), ("team", team, TimelineKind.TEAM)):
        if value is not _UNSET and getattr(ticket, f"{field}_id") != getattr(value, "pk", None):
            old = getattr(ticket, field)
            setattr(ticket, field, value)
            changed[field] = ()
            timeline_add(ticket=ticket, kind=kind, actor=actor, old=str(old) if old else None,
                         new=str(value) if value else None)
    if tags is not None:
        names_ = sorted({t.strip().lower()[:50] for t in tags if t.strip()})
        old = sorted(ticket.tags.values_list("name", flat=True))
        if names_ != old:
            ticket.tags.set([Tag.objects.get_or_create(name=n)[0] for n in names_])
            timeline_add(ticket=ticket, kind=TimelineKind.TAGS, actor=actor, old=old, new=names_)
            changed["tags"] = ()
    if "status" in changed:
        resolved = STATUS_GROUP[Status(ticket.status)] == StatusGroup.RESOLVED
        was_resolved = STATUS_GROUP[Status(changed["status"][0])] == StatusGroup.RESOLVED
        if resolved and not was_resolved:
            ticket.resolved_at = at  # closing a solved ticket keeps the time it was solved
        elif not resolved:
            ticket.resolved_at = None
        if resolved:
            ticket.waiting_since = None  # solved: nobody is waiting for an answer any more
    if changed:
        ticket.updated_at = at
        ticket.save()
        publish(names.TICKET_UPDATED, ticket_id=ticket.pk, fields=sorted(changed))
    return ticket


@register_merge_hook
def _tickets_follow_customer(source: Customer, target: Customer) -> None:
    for ticket in Ticket.objects.filter(customer=source):
        timeline_add(ticket=ticket, kind=TimelineKind.CUSTOMER_MERGED, customer=target,
                     source_id=source.pk, target_id=target.pk)
    Ticket.objects.filter(customer=source).update(customer=target, updated_at=timezone.now())
    Message.objects.filter(customer=source).update(customer=target)
