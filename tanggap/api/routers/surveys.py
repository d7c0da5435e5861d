"""Surveys over the API (issue 6): questionnaires (leads and admins build them), results and
responses (scoped to the caller: docs/surveys.md), sending one by hand, recovery tasks.
The rules live in tanggap.surveys.services; this router parses and shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.api.schemas import ErrorOut, Id
from tanggap.common.errors import NotFound, PermissionDenied
from tanggap.common.pagination import keyset_page
from tanggap.surveys import selectors, services
from tanggap.surveys.builtins import builtins_ensure

router = Router(tags=["surveys"])



class Texts(Schema):
    id: str = Field(default="", max_length=500)
    ms: str = Field(default="", max_length=500)
    en: str = Field(default="", max_length=500)


class ChoiceIn(Schema):
    value: str = Field(max_length=40)
    id: str = Field(default="", max_length=200)
    ms: str = Field(default="", max_length=200)
    en: str = Field(default="", max_length=200)


class QuestionIn(Schema):
    key: str = Field(max_length=40)
    type: Literal["rating", "scale", "single", "multiple", "text"]
    text: Texts
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=20)
    max_value: int = Field(default=5, ge=2, le=10, description="rating: 1 to max_value")
    required: bool = True


class QuestionOut(Schema):
    id: int
    key: str
    position: int
    type: str
    text: dict[str, str]
    choices: list[dict[str, str]]
    max_value: int
    required: bool


class SurveyIn(Schema):
    key: str = Field(default="", max_length=40, description="new surveys only")
    name: Texts
    intro: Texts = Field(default_factory=Texts)
    trigger: Literal["ticket_solved", "delivered", "periodic", "manual"] = "manual"
    active: bool = False
    delay_days: int = Field(default=3, ge=0, le=365)
    period_days: int = Field(default=90, ge=1, le=3650)
    expiry_days: int = Field(default=14, ge=1, le=365)


class SurveyOut(Schema):
    id: int
    key: str
    kind: str
    builtin: bool
    active: bool
    trigger: str
    delay_days: int
    period_days: int
    expiry_days: int
    name: dict[str, str]
    intro: dict[str, str]
    questions: list[QuestionOut]


class SendIn(Schema):
    customer_id: Id
    ticket_id: Id | None = None


class SendOut(Schema):
    id: int
    survey_id: int
    customer_id: int
    ticket_id: int | None
    status: str
    reason: str
    due_at: dt.datetime
    sent_at: dt.datetime | None
    expires_at: dt.datetime | None


class ResponseOut(Schema):
    id: int
    survey_id: int
    kind: str
    customer_id: int
    ticket_id: int | None
    agent_id: int | None
    team_id: int | None
    channel: str
    category: str
    score: int | None
    outcome: int | None
    low: bool
    answers: dict[str, Any]
    answered_at: dt.datetime


class ResponsePage(Schema):
    items: list[ResponseOut]
    next_cursor: str | None


class ResponseQuery(Schema):
    kind: Literal["csat", "nps", "ces", "outcome", "custom", ""] = ""
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


class GroupOut(Schema):
    key: Any
    label: str
    sent: int
    answered: int
    rate: float | None
    score: float | None


class WeekOut(Schema):
    week: dt.date
    sent: int
    answered: int
    rate: float | None
    score: float | None


class ResultsOut(Schema):
    kind: str
    weeks: int
    sent: int
    answered: int
    rate: float | None
    score: float | None
    outcomes: dict[int, float] | None
    trend: list[WeekOut]
    groups: dict[str, list[GroupOut]]


class ResultsQuery(Schema):
    kind: Literal["csat", "nps", "ces", "outcome"] = "csat"
    weeks: int = Field(default=12, ge=1, le=104)


class TaskOut(Schema):
    id: int
    ticket_id: int
    survey_response_id: int
    assignee_id: int | None
    due_at: dt.datetime
    overdue: bool
    done_at: dt.datetime | None
    note: str


class TaskQuery(Schema):
    open: bool = True
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


class TaskPage(Schema):
    items: list[TaskOut]
    next_cursor: str | None


class DoneIn(Schema):
    note: str = Field(default="", max_length=500)


def _manager(request):
    if role_of(request.auth) not in (Role.LEAD, Role.ADMIN):
        raise PermissionDenied("not_a_manager", "Only team leads and admins build surveys.")


def survey_out(s) -> dict:
    return {"id": s.pk, "key": s.key, "kind": s.kind, "builtin": s.builtin, "active": s.active, "trigger": s.trigger,
            "delay_days": s.delay_days, "period_days": s.period_days, "expiry_days": s.expiry_days, "name": s.name,
            "intro": s.intro, "questions": [
                {"id": q.pk, "key": q.key, "position": q.position, "type": q.type, "text": q.text, "choices": q.choices,
                 "max_value": q.max_value, "required": q.required} for q in s.questions.all()]}


def send_out(s) -> dict:
    return {"id": s.pk, "survey_id": s.survey_id, "customer_id": s.customer_id, "ticket_id": s.ticket_id,
            "status": s.status, "reason": s.reason, "due_at": s.due_at, "sent_at": s.sent_at, "expires_at": s.expires_at}


def task_out(t) -> dict:
    return {"id": t.pk, "ticket_id": t.ticket_id, "survey_response_id": t.response_id, "assignee_id": t.assignee_id,
            "due_at": t.due_at, "overdue": t.overdue, "done_at": t.done_at, "note": t.note}


def question_out(q) -> dict:
    return {"id": q.pk, "key": q.key, "position": q.position, "type": q.type, "text": q.text, "choices": q.choices,
            "max_value": q.max_value, "required": q.required}


def _question(survey, question_id: int):
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise NotFound("question_not_found", "No such question in this survey.")
    return question


def _survey(survey_id: int):
    return selectors.survey_get(survey_id=survey_id)


@router.get("/surveys", response={200: list[SurveyOut]})
def survey_list(request: HttpRequest):
    """Every questionnaire, the four built-in ones first (any staff member may read them)."""
    builtins_ensure()
    return [survey_out(s) for s in selectors.surveys()]


@router.post("/surveys", response={201: SurveyOut, 403: ErrorOut, 422: ErrorOut})
def survey_create(request: HttpRequest, payload: SurveyIn):
    """Create a questionnaire (leads and admins). Texts in id, ms and en are all required."""
    _manager(request)
    survey = services.survey_save(key=payload.key, name=payload.name.dict(), intro=payload.intro.dict(),
                                  trigger=payload.trigger, active=payload.active, delay_days=payload.delay_days,
                                  period_days_=payload.period_days, expiry_days=payload.expiry_days)
    return Status(201, survey_out(survey))


@router.get("/surveys/{survey_id}", response={200: SurveyOut, 404: ErrorOut})
def survey_detail(request: HttpRequest, survey_id: Id):
    return survey_out(_survey(survey_id))


@router.put("/surveys/{survey_id}", response={200: SurveyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def survey_update(request: HttpRequest, survey_id: Id, payload: SurveyIn):
    """Change a questionnaire's texts, trigger and timings (leads and admins); the key stays."""
    _manager(request)
    survey = services.survey_save(survey=_survey(survey_id), name=payload.name.dict(), intro=payload.intro.dict(),
                                  trigger=payload.trigger, active=payload.active, delay_days=payload.delay_days,
                                  period_days_=payload.period_days, expiry_days=payload.expiry_days)
    return survey_out(survey)


@router.post("/surveys/{survey_id}/questions", response={201: QuestionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def question_create(request: HttpRequest, survey_id: Id, payload: QuestionIn):
    _manager(request)
    q = services.question_add(survey=_survey(survey_id), key=payload.key, type=payload.type, text=payload.text.dict(),
                              choices=[c.dict() for c in payload.choices], max_value=payload.max_value,
                              required=payload.required)
    return Status(201, question_out(q))


@router.delete("/surveys/{survey_id}/questions/{question_id}",
               response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def question_remove(request: HttpRequest, survey_id: Id, question_id: Id):
    _manager(request)
    services.question_delete(question=_question(_survey(survey_id), question_id))
    return Status(204, None)


class QuestionPatch(Schema):
    # key, type, max_value, required: not editable; sending one is a 422 rather than silently ignored
    model_config = ConfigDict(extra="forbid")

    text: Texts | None = Field(default=None, description="all three languages; omitted: unchanged")
    choices: list[ChoiceIn] | None = Field(default=None, max_length=20,
                                           description="single/multiple choice only: the whole new list; omitted: unchanged")


@router.patch("/surveys/{survey_id}/questions/{question_id}",
              response={200: QuestionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def question_edit(request: HttpRequest, survey_id: Id, question_id: Id, payload: QuestionPatch):
    """Change a question's text and, for a choice question, its choices (leads and admins). Key,
    type, highest rating and `required` stay; a choice some answer picked cannot be removed
    (422 `choice_in_use`)."""
    _manager(request)
    q = services.question_update(question=_question(_survey(survey_id), question_id),
                                 text=payload.text.dict() if payload.text is not None else None,
                                 choices=[c.dict() for c in payload.choices] if payload.choices is not None else None)
    return question_out(q)


class MoveIn(Schema):
    direction: Literal["up", "down"]


@router.post("/surveys/{survey_id}/questions/{question_id}/move",
             response={200: list[QuestionOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def question_reorder(request: HttpRequest, survey_id: Id, question_id: Id, payload: MoveIn):
    """Move a question one place up or down; answers the survey's questions in their new order."""
    _manager(request)
    survey = _survey(survey_id)
    services.question_move(question=_question(survey, question_id), direction=payload.direction)
    return [question_out(q) for q in survey.questions.all()]


@router.post("/surveys/{survey_id}/sends", response={201: SendOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def survey_send(request: HttpRequest, survey_id: Id, payload: SendIn):
    """Schedule this survey for a customer now (leads and admins); the worker sends it under the
    same rules as a trigger (opt-out, one survey per customer per period)."""
    _manager(request)
    from tanggap.conversations.selectors import tickets_visible_to
    from tanggap.customers.models import Customer

    customer = Customer.objects.filter(pk=payload.customer_id).first()
    if customer is None:
        raise NotFound("customer_not_found", "No such customer.")
    ticket = None
    if payload.ticket_id:
        ticket = tickets_visible_to(request.auth).filter(pk=payload.ticket_id, customer=customer).first()
        if ticket is None:
            raise NotFound("ticket_not_found", "No such ticket of this customer.")
    send = services.survey_send_manual(survey=_survey(survey_id), customer=customer, ticket=ticket)
    return Status(201, send_out(send))


@router.get("/survey-results", response={200: ResultsOut})
def survey_results(request: HttpRequest, query: Query[ResultsQuery]):
    """Score, response rate, weekly trend and the breakdown per agent, team, channel and category
    of what the caller may see (agents: their tickets; leads: also their teams' and company-wide)."""
    data = selectors.results(user=request.auth, kind=query.kind, weeks=query.weeks)
    total = data["total"]
    keep = ("sent", "answered", "rate", "score")
    return {"kind": data["kind"], "weeks": data["weeks"], **{k: total[k] for k in keep}, "outcomes": total["outcomes"],
            "trend": [{"week": w["week"], **{k: w[k] for k in keep}} for w in data["trend"]],
            "groups": {g: [{"key": r["key"], "label": r["label"], **{k: r[k] for k in keep}} for r in rows]
                       for g, rows in data["groups"].items()}}


@router.get("/survey-responses", response={200: ResponsePage, 400: ErrorOut, 422: ErrorOut})
def survey_responses(request: HttpRequest, query: Query[ResponseQuery]):
    """Answers, newest first, scoped to the caller; keyset pages (`next_cursor` → `cursor`)."""
    qs = selectors.responses_visible_to(request.auth).select_related("send")
    if query.kind:
        qs = qs.filter(kind=query.kind)
    page = keyset_page(qs, order=["-answered_at", "-id"], cursor=query.cursor, limit=query.limit)
    return {"items": [{"id": r.pk, "survey_id": r.survey_id, "kind": r.kind, "customer_id": r.send.customer_id,
                       "ticket_id": r.send.ticket_id, "agent_id": r.send.agent_id, "team_id": r.send.team_id,
                       "channel": r.send.channel_kind, "category": r.send.category, "score": r.score,
                       "outcome": r.outcome, "low": r.low, "answers": r.answers, "answered_at": r.answered_at}
                      for r in page.items], "next_cursor": page.next_cursor}


@router.get("/survey-recovery-tasks", response={200: TaskPage, 400: ErrorOut, 422: ErrorOut})
def recovery_list(request: HttpRequest, query: Query[TaskQuery]):
    """Service-recovery tasks the caller may see, soonest due first (open ones by default)."""
    qs = selectors.recovery_visible_to(request.auth)
    if query.open:
        qs = qs.filter(done_at__isnull=True)
    page = keyset_page(qs, order=["due_at", "id"], cursor=query.cursor, limit=query.limit)
    return {"items": [task_out(t) for t in page.items], "next_cursor": page.next_cursor}


@router.post("/survey-recovery-tasks/{task_id}/done", response={200: TaskOut, 404: ErrorOut, 422: ErrorOut})
def recovery_mark_done(request: HttpRequest, task_id: Id, payload: DoneIn):
    task = selectors.recovery_get(user=request.auth, task_id=task_id)
    return task_out(services.recovery_done(task=task, actor=request.auth, note=payload.note))
