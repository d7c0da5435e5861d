"""Reads for tickets and messages. Every read is scoped to what the caller may see:
these are the only way the API and the console fetch a ticket."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of, team_ids_of
from tanggap.common.errors import DomainError, NotFound
from tanggap.common.pagination import Page, keyset_page
from tanggap.conversations.choices import GROUP_STATUSES, Status, StatusGroup
from tanggap.conversations.models import NO_DUE, OPEN_GROUP, Attachment, Message, Ticket, TimelineEntry


class _Literal(Value):
    """A constant of this module written into the SQL text instead of being bound as a parameter.
    SQLite uses a partial or expression index only when the query's expression is the same text:
    ``status IN ('new', 'open')`` matches the index's condition, ``status IN (?, ?)`` does not.
    Never for values from a request."""

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        if not params:
            return sql, params
        quote = connection.schema_editor(collect_sql=True).quote_value  # not entered: only its quoting is used
        return sql % tuple(quote(p) for p in params), []


def tickets_visible_to(user, *, team_ids: list[int] | None = None) -> QuerySet[Ticket]:
    """Admins see every ticket. Agents and team leads see tickets of their teams,
    tickets assigned to them, and the shared queue of tickets with no team.
    ``team_ids``: the user's ``team_ids_of``, when the caller has them already."""
    role = role_of(user)
    if role is None:
        return Ticket.objects.none()
    qs = Ticket.objects.all()
    if role == Role.ADMIN:
        return qs
    if team_ids is None:
        team_ids = team_ids_of(user)
    return qs.filter(Q(team_id__in=team_ids) | Q(assignee=user) | Q(team__isnull=True))


@dataclass
class TicketFilters:
    view: str = ""  # mine | unassigned | team
    status: str = ""  # a status, or a group: open | paused | resolved
    channel: str = ""
    category: str = ""
    team_id: int | None = None
    customer_id: int | None = None
    q: str = ""
    sort: str = ""  # "" (latest activity first) | "sla" (earliest SLA due first; none last)


def ticket_list(*, user, filters: TicketFilters, cursor: str | None = None, limit: int = 25,
                fields: tuple[str, ...] | None = None) -> Page:
    """``fields``: load only these columns (``QuerySet.only`` names; ``customer__name`` for a joined row's), for a
    list that shows a few of them; reading any other field of a ticket or its joined rows then costs a query."""
    f = filters
    team_ids = team_ids_of(user) if f.view == "team" else None  # one query for both uses
    qs = tickets_visible_to(user, team_ids=team_ids).select_related("customer", "channel", "assignee", "team")
    if fields:
        qs = qs.only(*fields)
    if f.view == "mine":
        qs = qs.filter(assignee=user)
    elif f.view == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif f.view == "team":
        qs = qs.filter(team_id__in=team_ids)
    elif f.view:
        raise DomainError("invalid_view", "view must be one of: mine, unassigned, team.")
    if f.status:
        if f.status in StatusGroup.values:
            statuses = [str(s) for s in GROUP_STATUSES[StatusGroup(f.status)]]
            if statuses == OPEN_GROUP:  # as literals: the inbox's partial indexes (models.Ticket.Meta) match
                qs = qs.filter(status__in=[_Literal(s) for s in statuses])
            else:
                qs = qs.filter(status__in=statuses)
        elif f.status in Status.values:
            qs = qs.filter(status=f.status)
        else:
            raise DomainError("invalid_status", f"Unknown status '{f.status}'.")
    if f.channel:
        qs = qs.filter(channel__kind=f.channel)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.team_id:
        qs = qs.filter(team_id=f.team_id)
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    if f.q:
        term = f.q.strip()
        ref = term.upper().removeprefix("TG-")
        cond = Q(subject__icontains=term) | Q(customer__name__icontains=term)
        if ref.isdigit():
            cond |= Q(pk=int(ref))
        qs = qs.filter(cond)
    limit = max(1, min(limit, 100))
    if f.sort == "sla":
        # Tickets without a running clock (paused, solved, no policy) come after all others.
        qs = qs.annotate(sla_sort=Coalesce("sla_due_at", _Literal(NO_DUE, output_field=DateTimeField())))
        return keyset_page(qs, order=["sla_sort", "id"], cursor=cursor, limit=limit)
    if f.sort:
        raise DomainError("invalid_sort", "sort must be empty (latest activity) or 'sla'.")
    return keyset_page(qs, order=["-updated_at", "-id"], cursor=cursor, limit=limit)


def ticket_get(*, user, ticket_id: int) -> Ticket:
    """404, not 403, for a ticket the caller may not see: its existence is not disclosed."""
    ticket = (tickets_visible_to(user).select_related("customer", "channel", "assignee", "team")
              .filter(pk=ticket_id).first())
    if ticket is None:
        raise NotFound("ticket_not_found", f"Ticket {ticket_id} does not exist.")
    return ticket


def ticket_for_customer(*, access_key: str) -> Ticket:
    """The customer portal's only way to a ticket: its unguessable access key."""
    ticket = Ticket.objects.select_related("customer", "channel").filter(access_key=access_key).first()
    if ticket is None:
        raise NotFound("ticket_not_found", "This link is not valid.")
    return ticket


def ticket_messages(*, ticket: Ticket, include_notes: bool = True) -> list[Message]:
    qs = ticket.messages.select_related("author", "customer").prefetch_related("attachments").order_by("created_at", "id")
    if not include_notes:
        qs = qs.exclude(direction="note")
    return list(qs)


def ticket_timeline(*, ticket: Ticket) -> list[TimelineEntry]:
    return list(ticket.timeline.select_related("actor", "customer").order_by("at", "id"))


def customer_tickets(*, user, customer_id: int, limit: int = 20) -> list[Ticket]:
    return list(tickets_visible_to(user).filter(customer_id=customer_id).select_related("channel")
                .order_by("-updated_at")[:limit])


def attachment_get(*, ticket: Ticket, attachment_id: int) -> Attachment:
    """An attachment of a ticket the caller already fetched through ``ticket_get``."""
    attachment = Attachment.objects.filter(pk=attachment_id, message__ticket=ticket).first()
    if attachment is None:
        raise NotFound("attachment_not_found", f"Attachment {attachment_id} does not exist.")
    return attachment
