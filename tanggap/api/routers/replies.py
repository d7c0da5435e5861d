"""Reply templates over the API (issue 7): GET /reply-templates, POST /reply-templates and
PATCH /reply-templates/{id} (leads and admins), and GET /tickets/{id}/reply-suggestions: the
templates that fit the ticket, best first, and similar solved tickets the caller may see."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.api.schemas import ErrorOut, Id
from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations.selectors import ticket_get
from tanggap.replies import selectors, services
from tanggap.replies.models import ReplyTemplate

router = Router(tags=["reply templates"])


class TemplateOut(Schema):
    id: int
    title: str
    body_id: str
    body_ms: str
    body_en: str
    categories: list[str]
    situations: list[str]
    moods: list[str]
    active: bool
    updated_at: dt.datetime


class TemplateIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    body_id: str = Field(default="", max_length=5000)
    body_ms: str = Field(default="", max_length=5000)
    body_en: str = Field(default="", max_length=5000)
    categories: list[str] = Field(default_factory=list, max_length=20)
    situations: list[str] = Field(default_factory=list, max_length=20)
    moods: list[str] = Field(default_factory=list, max_length=10)
    active: bool = True


class TemplatePatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=120)
    body_id: str | None = Field(default=None, max_length=5000)
    body_ms: str | None = Field(default=None, max_length=5000)
    body_en: str | None = Field(default=None, max_length=5000)
    categories: list[str] | None = Field(default=None, max_length=20)
    situations: list[str] | None = Field(default=None, max_length=20)
    moods: list[str] | None = Field(default=None, max_length=10)
    active: bool | None = None


class SuggestionOut(Schema):
    template_id: int
    title: str
    score: int
    language: str
    in_customer_language: bool
    text: str
    reasons: list[str]


class SimilarOut(Schema):
    ticket_id: int
    reference: str
    subject: str
    similarity: float
    answer: str


class SuggestionsOut(Schema):
    language: str
    mood: str
    mood_reason: str
    category: str
    situations: list[str]
    templates: list[SuggestionOut]
    similar_tickets: list[SimilarOut]


def _out(t: ReplyTemplate) -> dict:
    return {"id": t.pk, "title": t.title, "body_id": t.body_id, "body_ms": t.body_ms, "body_en": t.body_en,
            "categories": t.categories, "situations": t.situations, "moods": t.moods, "active": t.active,
            "updated_at": t.updated_at}


def _manager(request) -> None:
    if role_of(request.user) not in (Role.LEAD, Role.ADMIN):
        raise DomainError("forbidden", "Only team leads and admins edit reply templates.", status=403)


@router.get("/reply-templates", response={200: list[TemplateOut]})
def template_list(request: HttpRequest):
    """Every reply template, active or not, by title."""
    return [_out(t) for t in ReplyTemplate.objects.all()]


@router.post("/reply-templates", response={201: TemplateOut, 403: ErrorOut, 422: ErrorOut})
def template_create(request: HttpRequest, payload: TemplateIn):
    """A new template (leads and admins). Tags: categories (ticket categories), situations
    (first_contact, reopened, sla_breached, remedy, incident, promise_slipped) and moods (angry,
    worried, neutral, happy); empty means any."""
    _manager(request)
    return Status(201, _out(services.template_create(user=request.user, **payload.dict())))


@router.patch("/reply-templates/{template_id}", response={200: TemplateOut, 403: ErrorOut, 404: ErrorOut,
                                                          422: ErrorOut})
def template_update(request: HttpRequest, template_id: Id, payload: TemplatePatch):
    _manager(request)
    t = ReplyTemplate.objects.filter(pk=template_id).first()
    if t is None:
        raise NotFound("template_not_found", f"No reply template {template_id}.")
    data = {k: v for k, v in payload.dict().items() if v is not None}
    return _out(services.template_update(template=t, user=request.user, **data))


@router.get("/tickets/{ticket_id}/reply-suggestions", response={200: SuggestionsOut, 404: ErrorOut})
def reply_suggestions(request: HttpRequest, ticket_id: Id):
    """What the agent sees beside the reply box: the templates that fit the ticket's situation
    and the customer's mood, best first, in the customer's language (with the reasons), and
    similar solved tickets the caller may see, with the answer that solved each."""
    ticket = ticket_get(user=request.user, ticket_id=ticket_id)
    situation = selectors.situation_of(ticket)
    templates = selectors.suggestions_for(ticket, agent=request.user, situation=situation)
    similar = selectors.similar_solved(user=request.user, ticket=ticket)
    return {"language": situation.language, "mood": situation.mood, "mood_reason": situation.mood_reason,
            "category": situation.category, "situations": sorted(situation.situations),
            "templates": [{"template_id": s.template.pk, "title": s.template.title, "score": s.score,
                           "language": s.language, "in_customer_language": s.in_customer_language, "text": s.text,
                           "reasons": s.reasons} for s in templates],
            "similar_tickets": [{"ticket_id": s.ticket.pk, "reference": s.ticket.reference,
                                 "subject": s.ticket.subject, "similarity": s.similarity, "answer": s.answer}
                                for s in similar]}
