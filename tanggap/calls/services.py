"""Writes for phone calls: an agent logs a call (console or API), a telephony webhook reports
a call's started / answered / ended events. Each runs in one transaction; once a call is over
it becomes a contact on its ticket's timeline (a Message on the "phone" channel).

How a call counts (the same way as every other message):

* inbound = customer-initiated: a ``message.in`` timeline row, ``initiated_by="customer"``; it
  reopens a paused or resolved ticket as a customer message does. Missed, voicemail or busy:
  the customer now waits for us (``waiting_since``, SLA clocks run). Answered: the customer was
  served live, so our answer is on the timeline too, as a reply is: a ``message.out`` row at the
  same moment (``answered_live: true``, ``initiated_by="customer"`` like every reply to a
  customer's contact), which meets the SLA's first or next response; nobody is left waiting.
* outbound = company-initiated: a ``message.out`` row, ``initiated_by="company"``. Answered, it
  is a response (first response, nobody waiting); not answered, it is only an attempt
  (``automated: true``: it answers nobody).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tanggap.calls.models import Call, CallEvent, Direction, Outcome, Source, State
from tanggap.channels.lookup import channel_for
from tanggap.channels.models import InboundRaw
from tanggap.channels.normalized import InboundIdentity
from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.common.phone import normalize_phone
from tanggap.conversations.choices import STATUS_GROUP, Delivery, Initiator, Status, StatusGroup, TimelineKind
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import timeline_add, ticket_update
from tanggap.customers.models import Customer, Identity
from tanggap.customers.services import customer_find_or_create, register_merge_hook, resolve
from tanggap.events import names
from tanggap.events.bus import publish

log = logging.getLogger(__name__)

KIND = "phone"
CALL_LOGGED = "call.logged"  # a call reached its ticket's timeline: call_id, ticket_id, message_id, direction
CALL_UPDATED = "call.updated"  # a webhook event changed a call: call_id, event
MAX_DURATION = 24 * 3600
NOT_CONNECTED = (Outcome.MISSED, Outcome.BUSY, Outcome.FAILED)
_STATE_RANK = {State.RINGING: 0, State.ANSWERED: 1, State.ENDED: 2}
OPEN_STATUSES = [Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD]


def number_normalize(raw: str) -> str:
    """E.164 as customers' phone identities are stored (``common.phone``); ``bad_phone`` (422)."""
    if not (raw or "").strip():
        raise DomainError("missing_number", "A call needs the customer's phone number.", status=422)
    return normalize_phone(raw)


def customer_phone(customer: Customer) -> str:
    """The number a new call form is prefilled with: the customer's latest phone identity."""
    ident = Identity.objects.filter(customer=customer, kind=Identity.Kind.PHONE).order_by("-id").first()
    return ident.value if ident else ""


def open_ticket_of(customer: Customer) -> Ticket | None:
    """The customer's most recently active ticket that is not solved or closed."""
    return (Ticket.objects.filter(customer=customer, status__in=OPEN_STATUSES)
            .order_by("-updated_at", "-id").first())


# --- the timeline ---------------------------------------------------------------------------------

def call_summary(call: Call) -> str:
    """The call as the ticket's message reads it (in the active language)."""
    head = [str(Direction(call.direction).label)]
    if call.outcome:
        head.append(str(Outcome(call.outcome).label))
    if call.duration_seconds:
        head.append(call.duration_text)
    lines = ["☎ " + " · ".join(head) + f" · {call.number}"]
    if call.notes.strip():
        lines += ["", call.notes.strip()]
    if call.recording_url:
        lines += ["", _("Recording: %(url)s") % {"url": call.recording_url}]
    return "\n".join(lines)


def _meta(call: Call) -> dict:
    return {"call_id": call.pk, "outcome": call.outcome, "duration_seconds": call.duration_seconds,
            "number": call.number, "recording_url": call.recording_url, "purpose": "call"}


def _open_ticket(*, call: Call, subject: str, actor=None) -> Ticket:
    at = now()
    initiator = Initiator.CUSTOMER if call.direction == Direction.INBOUND else Initiator.COMPANY
    ticket = Ticket.objects.create(subject=subject[:300] or "(no subject)", customer=call.customer,
                                   channel=call.channel, initiated_by=initiator, created_at=at, updated_at=at,
                                   last_message_at=at)
    timeline_add(ticket=ticket, kind=TimelineKind.OPENED, actor=actor,
                 customer=call.customer if initiator == Initiator.CUSTOMER else None,
                 initiated_by=initiator, channel=KIND, call=True)
    publish(names.TICKET_OPENED, ticket_id=ticket.pk, initiated_by=initiator)
    return ticket


def _message_external_id(call: Call) -> str:
    return f"{call.channel.slug}:{call.provider_call_id}"[:500] if call.provider_call_id else ""


def _write_contact(call: Call, *, opened: bool, raw=None) -> Message:
    """Put an ended call on its ticket's timeline and move the ticket's state as a message would.
    An outbound call's message is ``sent`` at once: the call was placed, nothing is left to deliver."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=call.ticket_id)
    at = now()
    inbound = call.direction == Direction.INBOUND
    answered = call.outcome == Outcome.ANSWERED
    initiator = Initiator.CUSTOMER if inbound else Initiator.COMPANY
    message = Message.objects.create(
        ticket=ticket, direction="in" if inbound else "out", channel_kind=KIND,
        external_id=_message_external_id(call), author=call.agent, customer=call.customer, initiated_by=initiator,
        body_text=call_summary(call), sent_at=call.started_at, created_at=at,
        recipient="" if inbound else call.number, meta=_meta(call), raw=raw,
        delivery_status="" if inbound else Delivery.SENT, attempts=0 if inbound else 1,
    )
    # automated: the SLA engine's "this answers nobody" (an outbound call nobody picked up).
    quiet = not inbound and not answered
    timeline_add(ticket=ticket, kind=TimelineKind.MESSAGE_IN if inbound else TimelineKind.MESSAGE_OUT,
                 actor=call.agent, customer=call.customer if inbound else None, message=message,
                 initiated_by=initiator, channel=KIND, call_id=call.pk, outcome=call.outcome,
                 duration_seconds=call.duration_seconds, automated=quiet, answered_live=answered)
    if inbound and answered:
        _answered_live(ticket, call, message)
    fields: dict = {"updated_at": at, "last_message_at": at}
    if inbound:
        group = STATUS_GROUP[Status(ticket.status)]
        if not opened and group != StatusGroup.OPEN:
            fields.update(status=Status.OPEN, resolved_at=None)
            kind = TimelineKind.REOPENED if group == StatusGroup.RESOLVED else TimelineKind.STATUS
            timeline_add(ticket=ticket, kind=kind, customer=call.customer, old=ticket.status, new=Status.OPEN)
        if not answered and ticket.waiting_since is None:
            fields["waiting_since"] = at
    if answered:
        fields["waiting_since"] = None
        if ticket.first_response_at is None:
            fields["first_response_at"] = at
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    if inbound:  # promises and triage skip an answered call: there is nothing left to acknowledge
        publish(names.MESSAGE_RECEIVED, ticket_id=ticket.pk, message_id=message.pk, opened=opened,
                automated=answered, channel=KIND, call_id=call.pk)
    if answered and ticket.status == Status.NEW and "status" not in fields:
        ticket_update(ticket=ticket, actor=call.agent, status=Status.OPEN)  # a person spoke with the customer
    elif not inbound:
        _sla_refresh(ticket.pk)
    publish(CALL_LOGGED, call_id=call.pk, ticket_id=ticket.pk, message_id=message.pk, direction=call.direction,
            outcome=call.outcome)
    return message


def _answered_live(ticket: Ticket, call: Call, message: Message) -> None:
    """Our side of an answered inbound call: the response, given on the phone."""
    timeline_add(ticket=ticket, kind=TimelineKind.MESSAGE_OUT, actor=call.agent, message=message,
                 initiated_by=Initiator.CUSTOMER, channel=KIND, call_id=call.pk, outcome=call.outcome,
                 automated=False, answered_live=True, purpose="call")


def _sla_refresh(ticket_id: int) -> None:
    from tanggap.sla.services import sla_refresh_quietly  # outbound calls publish no message.queued

    sla_refresh_quietly(ticket_id=ticket_id)


def _contact_update(call: Call, old_outcome: str) -> None:
    """A late webhook event changed an ended call (e.g. "answered" after "ended"): its message says so.
    The timeline rows stay as written (append-only); a call now known to be answered adds our side
    of it (inbound) and the ticket stops waiting."""
    Message.objects.filter(pk=call.message_id).update(body_text=call_summary(call), meta=_meta(call))
    if call.outcome == Outcome.ANSWERED and old_outcome != Outcome.ANSWERED and call.ticket_id:
        ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=call.ticket_id)
        if call.direction == Direction.INBOUND:
            _answered_live(ticket, call, call.message)
        fields = {"waiting_since": None, "updated_at": now()}
        if ticket.first_response_at is None:
            fields["first_response_at"] = fields["updated_at"]
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        _sla_refresh(ticket.pk)


# --- an agent logs a call -------------------------------------------------------------------------

def _check(direction: str, outcome: str, duration_seconds: int, started_at: dt.datetime | None) -> None:
    if direction not in Direction.values:
        raise DomainError("invalid_direction", "The direction is 'in' (inbound) or 'out' (outbound).", status=422)
    if outcome not in Outcome.values:
        raise DomainError("invalid_outcome", f"The outcome is one of: {', '.join(Outcome.values)}.", status=422)
    if not 0 <= duration_seconds <= MAX_DURATION:
        raise DomainError("invalid_duration", "The duration is between 0 seconds and 24 hours.", status=422)
    if outcome in NOT_CONNECTED and duration_seconds:
        raise DomainError("duration_not_connected",
                          "A missed, busy or failed call has no talk time: leave the duration at 0.", status=422)
    if outcome == Outcome.ANSWERED and not duration_seconds:
        raise DomainError("missing_duration", "An answered call needs its duration.", status=422)
    if started_at is not None:
        if started_at.tzinfo is None:
            raise DomainError("naive_datetime", "Give started_at with a time zone.", status=422)
        if started_at > now() + dt.timedelta(minutes=5):
            raise DomainError("future_call", "A call cannot start in the future.", status=422)


@transaction.atomic
def call_log(*, actor, customer: Customer, direction: str, number: str, outcome: str, duration_seconds: int = 0,
             notes: str = "", ticket: Ticket | None = None, new_ticket: bool = False,
             started_at: dt.datetime | None = None, recording_url: str = "", provider_call_id: str = "",
             source: str = Source.CONSOLE) -> Call:
    """Log a call that happened, on ``ticket`` or on a new ticket (``new_ticket``: "a call about a
    new problem", its subject taken from the notes). The caller checked that it may see ``ticket``.
    Errors (422): invalid_direction, invalid_outcome, invalid_duration, duration_not_connected,
    missing_duration, missing_number, bad_phone, future_call, naive_datetime, no_ticket,
    new_ticket_needs_notes; ticket_of_other_customer (409), duplicate_call (409)."""
    customer = resolve(customer)
    _check(direction, outcome, duration_seconds, started_at)
    number = number_normalize(number)
    notes = notes.strip()
    if new_ticket and ticket is not None:
        raise DomainError("ticket_and_new_ticket", "Either choose a ticket or open a new one, not both.", status=422)
    if new_ticket and not notes:
        raise DomainError("new_ticket_needs_notes",
                          "A call about a new problem needs notes: they become the new ticket's subject.", status=422)
    if ticket is None and not new_ticket:
        raise DomainError("no_ticket", "Choose the ticket the call was about, or open a new one.", status=422)
    if ticket is not None and resolve(ticket.customer).pk != customer.pk:
        raise DomainError("ticket_of_other_customer", "That ticket belongs to another customer.", status=409)
    channel = channel_for(kind=KIND)
    if provider_call_id and Call.objects.filter(channel=channel, provider_call_id=provider_call_id).exists():
        raise DomainError("duplicate_call", f"Call {provider_call_id} is already recorded.", status=409)
    at = now()
    start = started_at or at - dt.timedelta(seconds=duration_seconds)
    answered_at = start if outcome in (Outcome.ANSWERED, Outcome.VOICEMAIL) else None
    call = Call(channel=channel, customer=customer, direction=direction, number=number, state=State.ENDED,
                outcome=outcome, duration_seconds=duration_seconds, notes=notes, recording_url=recording_url,
                provider_call_id=provider_call_id, started_at=start, answered_at=answered_at,
                ended_at=start + dt.timedelta(seconds=duration_seconds), agent=actor, source=source,
                created_at=at, updated_at=at)
    if not Identity.objects.filter(kind=Identity.Kind.PHONE, namespace="", value=number).exists():
        Identity.objects.create(customer=customer, kind=Identity.Kind.PHONE, value=number)
    opened = ticket is None
    if opened:
        call.ticket = _open_ticket(call=call, subject=notes.split("\n", 1)[0].strip(), actor=actor)
    else:
        call.ticket = ticket
    call.save()
    call.message = _write_contact(call, opened=opened)
    call.save(update_fields=["message"])
    return call


# --- the telephony webhook ------------------------------------------------------------------------

@dataclass
class CallEventData:
    """One webhook event, parsed (``calls.webhook.parse``)."""

    kind: str  # started | answered | ended
    provider_call_id: str
    direction: str  # in | out
    customer_number: str  # raw, as the PBX sent it (caller for inbound, callee for outbound)
    occurred_at: dt.datetime
    line: str = ""
    customer_name: str = ""
    started_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    duration_seconds: int | None = None
    outcome: str = ""
    recording_url: str = ""
    agent_email: str = ""
    notes: str = ""
    payload: dict = field(default_factory=dict)


def call_event_receive(*, channel, data: CallEventData, body: bytes = b"",
                       content_type: str = "application/json") -> tuple[Call, bool]:
    """Store one webhook event and bring its call up to date. Idempotent by (channel, provider
    call id, event): a repeat answers the call with ``False`` and changes nothing. Events may come
    in any order: times are merged (earliest start, first answer, the end), the state only moves
    forward, and the call reaches the timeline once, when its "ended" event is in.

    ``body``: the request as received, kept as the channel's raw inbound payload (processed, in
    the same transaction; the call's ticket message points at it)."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                raw = _raw(channel, body, content_type, status=InboundRaw.Status.PROCESSED) if body else None
                call, created = _event(channel, data, raw)
                if raw is not None:
                    InboundRaw.objects.filter(pk=raw.pk).update(messages_created=int(
                        created and call.message is not None and call.message.raw_id == raw.pk))
                return call, created
        except IntegrityError:  # a concurrent request stored the same call or event first
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _raw(channel, body: bytes, content_type: str, *, status: str, code: str = "", reason: str = "") -> InboundRaw:
    return InboundRaw.objects.create(channel=channel, body=body, size=len(body), content_type=content_type[:100],
                                     source="webhook", status=status, reason_code=code[:50], reason=reason,
                                     processed_at=now())


def call_event_reject(*, channel, body: bytes, content_type: str, error: DomainError) -> None:
    """A signed event that cannot be read: kept with its reason for admins (/admin-inbound/)."""
    with transaction.atomic():
        raw = _raw(channel, body, content_type, status=InboundRaw.Status.REJECTED, code=error.code,
                   reason=error.message)
        publish(names.INBOUND_REJECTED, raw_id=raw.pk, code=error.code)


def _agent_by_email(email: str):
    if not email:
        return None
    from tanggap.accounts.selectors import staff_users

    return staff_users().filter(email__iexact=email).order_by("id").first()


def _event(channel, data: CallEventData, raw) -> tuple[Call, bool]:
    seen = CallEvent.objects.select_related("call").filter(channel=channel, provider_call_id=data.provider_call_id,
                                                           kind=data.kind).first()
    if seen is not None:
        return seen.call, False
    call = Call.objects.select_for_update().filter(channel=channel, provider_call_id=data.provider_call_id).first()
    at = now()
    if call is None:
        customer, _new = customer_find_or_create(identity=InboundIdentity(
            kind="phone", value=data.customer_number, name=data.customer_name))
        call = Call.objects.create(
            channel=channel, customer=customer, direction=data.direction,
            number=normalize_phone(data.customer_number), line=data.line[:40], state=State.RINGING,
            provider_call_id=data.provider_call_id, started_at=data.started_at or data.occurred_at,
            source=Source.WEBHOOK, created_at=at, updated_at=at, ticket=open_ticket_of(customer),
        )
    CallEvent.objects.create(channel=channel, call=call, provider_call_id=data.provider_call_id, kind=data.kind,
                             occurred_at=data.occurred_at, received_at=at, payload=data.payload)
    old_outcome = call.outcome
    _merge(call, data)
    if call.state == State.ENDED:
        opened = False
        if call.ticket_id is None:
            call.ticket = open_ticket_of(call.customer)
            if call.ticket is None and call.direction == Direction.INBOUND:
                call.ticket = _open_ticket(call=call, subject=_webhook_subject(call))
                opened = True
        call.updated_at = at
        call.save()
        if call.message_id is None and call.ticket_id is not None:
            call.message = _write_contact(call, opened=opened, raw=raw)
            call.save(update_fields=["message"])
        elif call.message_id is not None:
            _contact_update(call, old_outcome)
    else:
        call.updated_at = at
        call.save()
    publish(CALL_UPDATED, call_id=call.pk, event=data.kind, state=call.state)
    return call, True


def _webhook_subject(call: Call) -> str:
    if call.outcome == Outcome.ANSWERED:
        return _("Phone call from %(number)s") % {"number": call.number}
    return _("Missed call from %(number)s") % {"number": call.number}


def _merge(call: Call, data: CallEventData) -> None:
    starts = [t for t in (call.started_at, data.started_at) if t]
    if data.kind == "started":
        starts.append(data.occurred_at)
    call.started_at = min(starts)
    answered_at = data.answered_at or (data.occurred_at if data.kind == "answered" else None)
    if answered_at and (call.answered_at is None or answered_at < call.answered_at):
        call.answered_at = answered_at
    if data.kind == "ended":
        call.ended_at = data.ended_at or data.occurred_at
    if data.line and not call.line:
        call.line = data.line[:40]
    if data.recording_url:
        call.recording_url = data.recording_url
    if data.notes and not call.notes:
        call.notes = data.notes
    agent = _agent_by_email(data.agent_email)
    if agent is not None:
        call.agent = agent
    state = {"started": State.RINGING, "answered": State.ANSWERED, "ended": State.ENDED}[data.kind]
    if _STATE_RANK[State(state)] > _STATE_RANK[State(call.state)]:
        call.state = state
    if data.kind == "ended" and data.outcome:
        call.outcome = data.outcome
    if call.state == State.ENDED:
        if not _ended_outcome_reported(call):  # the PBX did not say: derive it
            call.outcome = Outcome.ANSWERED if call.answered_at else Outcome.MISSED
        if data.kind == "ended" and data.duration_seconds is not None:
            call.duration_seconds = min(max(data.duration_seconds, 0), MAX_DURATION)
        elif not _ended_duration_reported(call) and call.answered_at and call.ended_at:
            call.duration_seconds = min(max(int((call.ended_at - call.answered_at).total_seconds()), 0), MAX_DURATION)


def _ended_event(call: Call) -> CallEvent | None:
    return call.events.filter(kind="ended").first() if call.pk else None


def _ended_outcome_reported(call: Call) -> bool:
    ended = _ended_event(call)
    return bool(ended and ended.payload.get("outcome"))


def _ended_duration_reported(call: Call) -> bool:
    ended = _ended_event(call)
    return bool(ended and ended.payload.get("duration") is not None)


@register_merge_hook
def _calls_follow_customer(source: Customer, target: Customer) -> None:
    Call.objects.filter(customer=source).update(customer=target)
