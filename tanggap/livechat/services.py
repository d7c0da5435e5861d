"""Live chat writes. A visitor's message enters through the ordinary intake
(``channels.services.inbound_receive`` with the chat adapter, then ``message_receive``), an
agent's reply through ``conversations.services.reply_send``; ``handlers`` turns both into
``ChatEvent`` rows in the same transaction, and the streams (``hub``) carry the rows out."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import re
import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q

from tanggap.channels.models import Channel
from tanggap.channels.normalized import IDENTITY_HANDLE, InboundIdentity
from tanggap.common.clock import now
from tanggap.common.errors import DomainError, NotFound, ParseError, PayloadTooLarge
from tanggap.common import fastsql
from tanggap.common.fastsql import Prepared
from tanggap.livechat.adapter import KIND
from tanggap.livechat.models import AgentPresence, ChatConversation, ChatEvent

TOKEN_SALT = "tanggap.livechat.visitor"
TOKEN_MAX_AGE = 180 * 24 * 3600  # a visitor token is good for half a year
LANGUAGES = ("id", "ms", "en")

DEFAULTS = {
    "allowed_origins": [],  # e.g. ["https://toko.example"]; the widget is refused on other sites
    "max_message_chars": 2000,
    "visitor_messages_per_minute": 20,
    "ip_messages_per_minute": 120,  # several visitors behind one office NAT
    "ip_sessions_per_hour": 60,
    "presence_timeout_seconds": 120,
    "calendar": "",  # a BusinessCalendar name; blank: the first calendar
}


class RateLimited(DomainError):
    status = 429


def config_of(channel: Channel) -> dict:
    return {**DEFAULTS, **(channel.config or {})}


def chat_channel(slug: str) -> Channel:
    channel = Channel.objects.filter(slug=slug, kind=KIND, active=True).first()
    if channel is None:
        raise NotFound("unknown_channel", f"No active live chat channel '{slug}'.")
    return channel


def origin_allowed(channel: Channel, origin: str | None) -> bool:
    """Requests without an Origin header (not a browser's cross-origin call) are allowed: the
    signed visitor token is what authenticates; CORS only keeps other sites' pages out."""
    if not origin:
        return True
    allowed = {o.rstrip("/").lower() for o in config_of(channel)["allowed_origins"]}
    return origin.rstrip("/").lower() in allowed or "*" in allowed


def language_of(value: str) -> str:
    value = (value or "").strip().lower().replace("_", "-")
    base = value.split("-", 1)[0]
    if base in ("ms", "zsm", "zlm"):
        return "ms"
    if base == "en":
        return "en"
    return "id"


def _poke_on_commit() -> None:
    """This process's streams get the row at once (``hub.poke``), not at the poller's next tick."""
    from tanggap.livechat.hub import hub

    transaction.on_commit(hub.poke)


# --- visitor identity -----------------------------------------------------------------

def token_for(conversation: ChatConversation) -> str:
    return signing.dumps({"c": conversation.channel_id, "v": conversation.visitor_id}, salt=TOKEN_SALT, compress=True)


def conversation_for_token(*, channel: Channel, token: str) -> ChatConversation:
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise DomainError("bad_token", "The visitor token is not valid.", status=401) from None
    if not isinstance(data, dict) or data.get("c") != channel.pk:
        raise DomainError("bad_token", "The visitor token is for another channel.", status=401)
    conversation = ChatConversation.objects.filter(channel=channel, visitor_id=str(data.get("v"))).first()
    if conversation is None:
        raise DomainError("bad_token", "The visitor token is not valid.", status=401)
    conversation.channel = channel  # the caller's row: no second query for it
    return conversation


@transaction.atomic
def session_open(*, channel: Channel, token: str = "", language: str = "", ip: str | None = None,
                 page_url: str = "") -> tuple[ChatConversation, str]:
    """The visitor's conversation (their stored token), or a new one."""
    if token:
        try:
            conversation = conversation_for_token(channel=channel, token=token)
        except DomainError:
            conversation = None
        if conversation is not None:
            fields = {"last_visitor_at": now()}
            if language:
                fields["language"] = language_of(language)
            ChatConversation.objects.filter(pk=conversation.pk).update(**fields)
            return conversation, token
    cfg = config_of(channel)
    if ip and ChatConversation.objects.filter(ip=ip, created_at__gte=now() - dt.timedelta(hours=1)).count() \
            >= cfg["ip_sessions_per_hour"]:
        raise RateLimited("rate_limited", "Too many new chats from this address; try again later.")
    conversation = ChatConversation.objects.create(
        channel=channel, visitor_id=uuid.uuid4().hex, language=language_of(language), ip=ip, page_url=page_url[:500])
    return conversation, token_for(conversation)


# --- visitor writes ---------------------------------------------------------------------

def _check_rate(conversation: ChatConversation, ip: str | None) -> None:
    """Both per-minute limits from one query over the stored events (every process sees them)."""
    cfg = config_of(conversation.channel)
    since = now() - dt.timedelta(minutes=1)
    mine, theirs = Q(conversation=conversation), Q(ip=ip) if ip else None
    counts = (ChatEvent.objects.filter(mine | theirs if theirs else mine, kind=ChatEvent.Kind.MESSAGE,
                                       sender=ChatEvent.Sender.VISITOR, created_at__gte=since)
              .aggregate(mine=Count("pk", filter=mine), **({"ip": Count("pk", filter=theirs)} if theirs else {})))
    if counts["mine"] >= cfg["visitor_messages_per_minute"]:
        raise RateLimited("rate_limited", "You are sending messages too fast; wait a moment.")
    if ip and counts["ip"] >= cfg["ip_messages_per_minute"]:
        raise RateLimited("rate_limited", "Too many messages from this address; wait a moment.")


# The conversation whose message ``message_send`` is receiving in this thread (or task) right
# now: it writes that message's event itself, in the same transaction, so the MESSAGE_RECEIVED
# handler (for chat messages that reach the intake another way) leaves it alone.
receiving: contextvars.ContextVar[int | None] = contextvars.ContextVar("livechat_receiving", default=None)


def message_send(*, conversation: ChatConversation, text: str, client_id: str = "",
                 ip: str | None = None) -> ChatEvent:
    """A visitor's message, through the ordinary intake: stored raw, parsed by the chat adapter,
    received onto the visitor's open chat ticket (or a new one). Idempotent by ``client_id``.

    One transaction holds all of it (the raw payload, the message on the ticket's timeline with
    its SLA and promise bookkeeping, the chat event, the conversation's times): on SQLite that is
    one turn at the write lock instead of four, and the visitor is answered "sent" exactly when
    it is all stored (on an error nothing is, and the widget keeps the text to send again). A
    payload the intake rejects is kept with its reason, as on every channel."""
    from tanggap.channels.services import inbound_process, inbound_store
    from tanggap.sla.services import sla_inputs_read_ahead

    channel = conversation.channel
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise DomainError("empty_message", "A message needs some text.")
    limit = config_of(channel)["max_message_chars"]
    if len(text) > limit:
        raise PayloadTooLarge("message_too_long", f"A chat message is at most {limit} characters.")
    client_id = re.sub(r"[^A-Za-z0-9_.-]", "", client_id or "")[:64] or uuid.uuid4().hex
    _check_rate(conversation, ip)
    body = json.dumps({"visitor": conversation.visitor_id, "text": text, "client_id": client_id,
                       "language": conversation.language, "conversation": conversation.pk, "ip": ip}).encode()
    failure = None
    with sla_inputs_read_ahead(), transaction.atomic():  # policies and calendars read before the lock
        raw = inbound_store(channel=channel, body=body, content_type="application/json", source="chat")
        raw.channel = channel
        token = receiving.set(conversation.pk)
        try:
            results = inbound_process(raw=raw)
        except ParseError as exc:  # recorded on the stored payload (in a savepoint): keep that
            failure = exc
        finally:
            receiving.reset(token)
        if failure is None:
            result = results[0]
            message = result.message
            event = None if result.created else ChatEvent.objects.filter(message=message).first()
            if event is None:
                event = _visitor_event(conversation, message, ip)
            fastsql.update(ChatConversation, conversation.pk, ticket=message.ticket_id,
                           customer=message.customer_id, last_visitor_at=now())
            _poke_on_commit()
    if failure is not None:
        raise failure
    return event


def _visitor_event(conversation: ChatConversation, message, ip: str | None) -> ChatEvent:
    return fastsql.insert(ChatEvent(
        conversation=conversation, message=message, ticket_id=message.ticket_id, kind=ChatEvent.Kind.MESSAGE,
        sender=ChatEvent.Sender.VISITOR, data={"text": message.body_text}, ip=ip or None,
        created_at=message.created_at))


def _ensure_customer(conversation: ChatConversation):
    from tanggap.customers.services import customer_find_or_create, resolve

    if conversation.customer_id:
        return resolve(conversation.customer)
    customer, _ = customer_find_or_create(
        identity=InboundIdentity(kind=IDENTITY_HANDLE, value=conversation.visitor_id, namespace=KIND),
        language=conversation.language)
    conversation.customer = customer
    ChatConversation.objects.filter(pk=conversation.pk).update(customer=customer)
    return customer


@transaction.atomic
def identify(*, conversation: ChatConversation, email: str = "", phone: str = "", name: str = "") -> ChatConversation:
    """The visitor gave an email address or phone number: the conversation joins that customer.
    A customer who already has it absorbs the visitor (``customer_merge``: the chat ticket moves to
    their history); otherwise the identity is added to the visitor's customer."""
    from django.core.validators import validate_email

    from tanggap.customers.models import Identity
    from tanggap.customers.services import customer_merge, identity_add, normalize_identity_value, resolve

    email, phone, name = (email or "").strip(), (phone or "").strip(), (name or "").strip()[:200]
    if not (email or phone or name):
        raise DomainError("missing_identity", "Give an email address or a phone number.")
    if email:
        try:
            validate_email(email)
        except Exception:
            raise DomainError("bad_email", "That is not an email address.") from None
    customer = _ensure_customer(conversation)
    for kind, value in (("email", email), ("phone", phone)):
        if not value:
            continue
        value = normalize_identity_value(kind, value)  # a phone that is not a number: ParseError
        found = Identity.objects.select_related("customer").filter(kind=kind, namespace="", value=value).first()
        if found is None:
            identity_add(customer=customer, kind=kind, value=value)
        elif resolve(found.customer).pk != customer.pk:
            customer = customer_merge(source=customer, target=resolve(found.customer))
    if name and not customer.name:
        customer.name = name
        customer.save(update_fields=["name", "updated_at"])
    conversation.customer = customer
    if email:
        conversation.email = email.lower()
    if phone:
        conversation.phone = phone[:40]
    conversation.save(update_fields=["customer", "email", "phone"])
    return conversation


@transaction.atomic
def continue_by_email(*, conversation: ChatConversation, email: str, name: str = "") -> ChatConversation:
    """No agent online: the visitor leaves an address; replies to the ticket go out by email."""
    conversation = identify(conversation=conversation, email=email, name=name)
    conversation.by_email = True
    conversation.save(update_fields=["by_email"])
    _notice(conversation, "by_email", email=conversation.email)
    return conversation


def visitor_read(*, conversation: ChatConversation, up_to: int) -> ChatEvent:
    event = ChatEvent.objects.create(conversation=conversation, ticket_id=conversation.ticket_id,
                                     kind=ChatEvent.Kind.READ, sender=ChatEvent.Sender.VISITOR,
                                     data={"up_to": int(up_to)})
    _poke_on_commit()
    return event


def transcript_request(*, conversation: ChatConversation, email: str = "") -> str:
    """Queue a copy of the conversation to the visitor's email (a stored job)."""
    from tanggap.livechat.tasks import send_transcript

    if email:
        conversation = identify(conversation=conversation, email=email)
    if not conversation.email:
        raise DomainError("missing_email", "Give an email address for the transcript.")
    if not conversation.ticket_id:
        raise DomainError("empty_chat", "There is nothing to send yet.")
    with transaction.atomic():
        send_transcript.enqueue(conversation_id=conversation.pk, email=conversation.email)
        _notice(conversation, "transcript", email=conversation.email)
    return conversation.email


def transcript_text(conversation: ChatConversation) -> str:
    from tanggap.conversations.choices import Direction
    from tanggap.conversations.models import Message

    labels = {"id": ("Anda", "Kami"), "ms": ("Anda", "Kami"), "en": ("You", "Us")}[conversation.language]
    lines = []
    msgs = (Message.objects.filter(ticket_id=conversation.ticket_id, channel_kind=KIND,
                                   direction__in=[Direction.INBOUND, Direction.OUTBOUND]).order_by("created_at", "pk"))
    for m in msgs:
        who = labels[0] if m.direction == Direction.INBOUND else labels[1]
        lines.append(f"[{m.created_at:%Y-%m-%d %H:%M} UTC] {who}: {m.body_text}")
    return "\n".join(lines)


def transcript_send(*, conversation_id: int, email: str) -> int | None:
    """The job: one outbound email on the chat's ticket, delivered by the ordinary worker on the
    email channel (the message row is the delivery job, with retries)."""
    from tanggap.conversations.choices import Delivery, Direction, Initiator, TimelineKind
    from tanggap.conversations.models import Message
    from tanggap.conversations.services import timeline_add
    from tanggap.events import names
    from tanggap.events.bus import publish

    conversation = ChatConversation.objects.select_related("ticket").filter(pk=conversation_id).first()
    if conversation is None or conversation.ticket is None:
        return None
    ticket = conversation.ticket
    subject = {"id": "Salinan percakapan chat", "ms": "Salinan perbualan chat",
               "en": "Your chat transcript"}[conversation.language]
    body = transcript_text(conversation)
    at = now()
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    with transaction.atomic():
        message = Message.objects.create(
            ticket=ticket, direction=Direction.OUTBOUND, channel_kind="email", customer=ticket.customer,
            initiated_by=Initiator.CUSTOMER, subject=f"[{ticket.reference}] {subject}", body_text=body,
            sent_at=at, created_at=at, recipient=email, delivery_status=Delivery.QUEUED, next_attempt_at=at,
            automated=True, automated_reason="transcript", message_id_header=f"<tg.{ticket.pk}.{uuid.uuid4().hex[:16]}@{domain}>",
            meta={"purpose": "transcript"})
        timeline_add(ticket=ticket, kind=TimelineKind.MESSAGE_OUT, message=message, initiated_by=Initiator.CUSTOMER,
                     channel="email", automated=True, purpose="transcript")
        publish(names.MESSAGE_QUEUED, ticket_id=ticket.pk, message_id=message.pk, automated=True, purpose="transcript",
                channel_kind="email")
    return message.pk


def _notice(conversation: ChatConversation, what: str, **data) -> ChatEvent:
    event = ChatEvent.objects.create(conversation=conversation, ticket_id=conversation.ticket_id,
                                     kind=ChatEvent.Kind.NOTICE, sender=ChatEvent.Sender.SYSTEM,
                                     data={"notice": what, **data})
    _poke_on_commit()
    return event


# --- events from the ordinary message paths (called by handlers) ----------------------

def event_for_inbound(message) -> ChatEvent | None:
    """The event of a chat message that reached the intake without ``message_send`` (a stored
    payload the sweep processed, say)."""
    conversation = None
    if isinstance(message.meta, dict) and message.meta.get("chat"):
        conversation = ChatConversation.objects.filter(pk=message.meta["chat"]).first()
    if conversation is None:
        visitor = (message.external_id or "").split(":")[1:2]
        conversation = ChatConversation.objects.filter(visitor_id__in=visitor).first()
    if conversation is None:
        return None
    ChatConversation.objects.filter(pk=conversation.pk).update(ticket_id=message.ticket_id,
                                                               customer_id=message.customer_id)
    ip = message.meta.get("ip") if isinstance(message.meta, dict) else None
    event, _ = ChatEvent.objects.get_or_create(message=message, defaults={
        "conversation": conversation, "ticket_id": message.ticket_id, "kind": ChatEvent.Kind.MESSAGE,
        "sender": ChatEvent.Sender.VISITOR, "data": {"text": message.body_text}, "ip": ip or None,
        "created_at": message.created_at})
    return event


def _author_name(message) -> str:
    author = message.author
    if author is None:
        return ""
    return author.first_name or author.get_username()


# Every reply on a chat ticket runs it, inside the reply's transaction: compiled once (common.fastsql).
_CONVERSATION_OF_TICKET = Prepared(lambda ticket_id: ChatConversation.objects.filter(ticket_id=ticket_id)
                                   .order_by("-last_visitor_at", "-pk")[:1])


def event_for_outbound(message, *, new: bool = False) -> ChatEvent | None:
    """An agent's (or tanggap's) reply on a chat ticket becomes the visitor's event; a visitor who
    chose to continue by email gets it by email instead (the message is re-addressed before the
    worker sends it) and still sees it in the chat when they come back. ``new``: the message was
    queued in this very transaction (the handler), so it has no event yet; writing the event is
    delivering it, so it is recorded as sent in the same transaction (no job, no worker)."""
    conversation = (_CONVERSATION_OF_TICKET.first(message.ticket_id)
                    or ChatConversation.objects.filter(visitor_id=message.recipient).first())
    if conversation is None:
        return None
    if conversation.by_email and conversation.email:
        from tanggap.conversations.models import Message

        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
        ticket = message.ticket
        Message.objects.filter(pk=message.pk).update(
            channel_kind="email", recipient=conversation.email, subject=f"Re: [{ticket.reference}] {ticket.subject}"[:500],
            message_id_header=f"<tg.{ticket.pk}.{uuid.uuid4().hex[:16]}@{domain}>")
    fields = {"conversation": conversation, "ticket_id": message.ticket_id, "kind": ChatEvent.Kind.MESSAGE,
              "sender": ChatEvent.Sender.AGENT, "data": {"text": message.body_text, "author": _author_name(message)},
              "created_at": message.created_at}
    _poke_on_commit()
    if not new:
        event, _ = ChatEvent.objects.get_or_create(message=message, defaults=fields)
        return event
    event = fastsql.insert(ChatEvent(message=message, **fields))
    if not (conversation.by_email and conversation.email):  # the row is the delivery: recorded now
        from tanggap.conversations.delivery import message_sent_in_transaction

        message_sent_in_transaction(message=message, provider_id=f"chat-event-{event.pk}")
    return event


def outbound_event_for(*, idempotency_key: str, visitor_id: str) -> ChatEvent | None:
    from tanggap.conversations.models import Message

    match = re.match(r"tanggap-(\d+)-", idempotency_key or "")
    message = Message.objects.select_related("ticket", "author").filter(pk=int(match.group(1))).first() if match else None
    if message is None:
        return None
    return ChatEvent.objects.filter(message=message).first() or event_for_outbound(message)


# --- agents ------------------------------------------------------------------------------

def typing_set(*, ticket, user, typing: bool) -> ChatEvent:
    conversation = ChatConversation.objects.filter(ticket=ticket).order_by("-last_visitor_at").first()
    if conversation is None:
        raise NotFound("not_a_chat", "This ticket has no live chat.")
    event = ChatEvent.objects.create(conversation=conversation, ticket_id=ticket.pk, kind=ChatEvent.Kind.TYPING,
                                     sender=ChatEvent.Sender.AGENT,
                                     data={"typing": bool(typing), "author": user.first_name or user.get_username()})
    _poke_on_commit()
    return event


def presence_set(*, user, status: str) -> AgentPresence:
    if status not in AgentPresence.Status.values:
        raise DomainError("bad_status", "Status is online or away.")
    presence, _ = AgentPresence.objects.update_or_create(user=user, defaults={"status": status, "seen_at": now()})
    return presence


def presence_touch(*, user) -> None:
    AgentPresence.objects.filter(user=user).update(seen_at=now())


def agents_online(channel: Channel | None = None, at: dt.datetime | None = None) -> int:
    timeout = config_of(channel)["presence_timeout_seconds"] if channel else DEFAULTS["presence_timeout_seconds"]
    at = at or now()
    return AgentPresence.objects.filter(status=AgentPresence.Status.ONLINE, user__is_active=True,
                                        seen_at__gte=at - dt.timedelta(seconds=timeout)).count()


def business_calendar(channel: Channel):
    """The channel's configured calendar, else the calendar of the first active SLA policy that can
    apply to chat tickets (the hours the business promises answers in), else the first calendar."""
    from tanggap.sla.models import BusinessCalendar, SlaPolicy

    name = config_of(channel)["calendar"]
    if name:
        found = BusinessCalendar.objects.filter(name=name).first()
        if found:
            return found
    for policy in SlaPolicy.objects.filter(active=True, calendar__isnull=False).select_related("calendar").order_by(
            "position", "pk"):
        if not policy.channels or KIND in policy.channels:
            return policy.calendar
    return BusinessCalendar.objects.order_by("pk").first()


def availability(channel: Channel, at: dt.datetime | None = None) -> dict:
    """What the widget tells the visitor: someone is online, or when to expect an answer (the next
    opening of the business calendar; now when the calendar is open but nobody is online)."""
    from tanggap.sla.calendar import next_open
    from tanggap.sla.selectors import calendar_spec

    at = at or now()
    if agents_online(channel, at):
        return {"online": True, "next_open": None}
    calendar = business_calendar(channel)
    opens = None
    if calendar is not None:
        try:
            opens = next_open(calendar_spec(calendar=calendar), at)
        except DomainError:  # a calendar that is never open
            opens = None
    return {"online": False, "next_open": opens.isoformat() if opens else None,
            "open_now": bool(opens and opens <= at)}
