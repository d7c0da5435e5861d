from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Status, Query, Router, Schema

from tanggap.accounts.models import Team
from tanggap.accounts.selectors import staff_users
from tanggap.api import presenters
from tanggap.api.schemas import (
    ErrorOut, Id, MessageOut, NoteIn, PromiseOut, PromiseRedateIn, ReplyIn, TicketDetailOut, TicketOut, TicketPage,
    TicketPatch, TimelineOut,
)
from tanggap.common.errors import DomainError
from tanggap.conversations import selectors, services

router = Router()


class TicketQuery(Schema):
    view: str = ""
    status: str = ""
    channel: str = ""
    category: str = ""
    team_id: int | None = None
    customer_id: int | None = None
    q: str = ""
    sort: str = ""
    cursor: str | None = None
    limit: int = 25


@router.get("", response={200: TicketPage, 400: ErrorOut})
def ticket_list(request: HttpRequest, query: Query[TicketQuery]):
    """Tickets the caller may see, newest activity first (or `sort=sla`: earliest SLA due first,
    overdue on top), with keyset pagination (`next_cursor`)."""
    filters = selectors.TicketFilters(view=query.view, status=query.status, channel=query.channel,
                                      category=query.category, team_id=query.team_id,
                                      customer_id=query.customer_id, q=query.q, sort=query.sort)
    page = selectors.ticket_list(user=request.auth, filters=filters, cursor=query.cursor, limit=query.limit)
    prefetch_related_objects(page.items, "tags")
    return {"items": [presenters.ticket_out(t) for t in page.items], "next_cursor": page.next_cursor}


@router.get("/{ticket_id}", response={200: TicketDetailOut, 404: ErrorOut})
def ticket_get(request: HttpRequest, ticket_id: Id):
    """One ticket with its SLA clocks (`sla`) and the promise made to the customer (`promise`)."""
    return presenters.ticket_detail_out(selectors.ticket_get(user=request.auth, ticket_id=ticket_id))


@router.post("/{ticket_id}/promise", response={201: PromiseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                               422: ErrorOut})
def promise_redate(request: HttpRequest, ticket_id: Id, payload: PromiseRedateIn):
    """Re-date the promise with a reason; the customer is told both on their channel."""
    from tanggap.promises.services import promise_redate as redate

    if payload.due_at.tzinfo is None:
        raise DomainError("naive_datetime", "Give due_at with a time zone, e.g. 2026-11-27T15:00:00+07:00.", status=422)
    ticket = selectors.ticket_get(user=request.auth, ticket_id=ticket_id)
    promise = redate(ticket=ticket, actor=request.auth, due_at=payload.due_at, reason=payload.reason)
    return Status(201, presenters.promise_out(promise))


@router.patch("/{ticket_id}", response={200: TicketOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def ticket_patch(request: HttpRequest, ticket_id: Id, payload: TicketPatch):
    ticket = selectors.ticket_get(user=request.auth, ticket_id=ticket_id)
    data = payload.model_dump(exclude_unset=True)
    kwargs = {k: data[k] for k in ("status", "priority", "category", "subject", "tags") if k in data}
    if "assignee_id" in data:
        user = None
        if data["assignee_id"] is not None:
            # Only staff (the console's assignee list): a ticket assigned to an account without a
            # role would sit with someone who can never open it.
            user = staff_users().filter(pk=data["assignee_id"]).first()
            if user is None:
                raise DomainError("unknown_user", f"User {data['assignee_id']} does not exist.", status=404)
        kwargs["assignee"] = user
    if "team_id" in data:
        team = None
        if data["team_id"] is not None:
            team = Team.objects.filter(pk=data["team_id"]).first()
            if team is None:
                raise DomainError("unknown_team", f"Team {data['team_id']} does not exist.", status=404)
        kwargs["team"] = team
    services.ticket_update(ticket=ticket, actor=request.auth, **kwargs)
    return presenters.ticket_out(selectors.ticket_get(user=request.auth, ticket_id=ticket_id))


@router.get("/{ticket_id}/messages", response={200: list[MessageOut], 404: ErrorOut})
def ticket_messages(request: HttpRequest, ticket_id: Id):
    ticket = selectors.ticket_get(user=request.auth, ticket_id=ticket_id)
    return [presenters.message_out(m) for m in selectors.ticket_messages(ticket=ticket)]


@router.get("/{ticket_id}/timeline", response={200: list[TimelineOut], 404: ErrorOut})
def ticket_timeline(request: HttpRequest, ticket_id: Id):
    ticket = selectors.ticket_get(user=request.auth, ticket_id=ticket_id)
    return [{"id": e.pk, "at": e.at, "kind": e.kind, "actor": presenters.user_ref(e.actor), "message_id": e.message_id,
             "initiated_by": e.initiated_by, "data": e.data} for e in selectors.ticket_timeline(ticket=ticket)]


@router.post("/{ticket_id}/replies", response={201: MessageOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def reply_post(request: HttpRequest, ticket_id: Id, payload: ReplyIn):
    """Queue a reply to the customer on the ticket's channel; the worker sends it."""
    ticket = selectors.ticket_get(user=request.auth, ticket_id=ticket_id)
    message = services.reply_send(ticket=ticket, author=request.auth, body_text=payload.body,
                                  body_html=payload.body_html or "", status=payload.status)
    return Status(201, presenters.message_out(message))


@router.post("/{ticket_id}/notes", response={201: MessageOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def note_post(request: HttpRequest, ticket_id: Id, payload: NoteIn):
    ticket = selectors.ticket_get(user=request.auth, ticket_id=ticket_id)
    return Status(201, presenters.message_out(services.note_add(ticket=ticket, author=request.auth, body_text=payload.body)))
