"""Reads for surveys, always scoped to the caller.

Who sees which results (docs/surveys.md): an **agent** sees the surveys about tickets they were
assigned when the survey went out; a **team lead** also those of the teams they lead and the
company-level ones (periodic and after-delivery surveys, which are about no ticket); an
**admin** sees all. Recovery tasks follow the same rule (an agent: the tasks given to them)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from tanggap.accounts.models import Role, Team
from tanggap.accounts.selectors import role_of
from tanggap.common.clock import now
from tanggap.common.errors import NotFound
from tanggap.surveys import scoring
from tanggap.surveys.models import RecoveryTask, SendStatus, Survey, SurveyKind, SurveyResponse, SurveySend

GROUPS = ("agent", "team", "channel", "category")


def _scope(user, prefix: str = "") -> Q | None:
    """The Q over SurveySend fields (``prefix`` 'send__' from a response); None: everything."""
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    if role is None:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}agent": user})
    if role == Role.LEAD:
        led = list(Team.objects.filter(lead=user).values_list("pk", flat=True))
        q |= Q(**{f"{prefix}team_id__in": led}) | Q(**{f"{prefix}ticket__isnull": True})
    return q


def sends_visible_to(user) -> QuerySet[SurveySend]:
    q = _scope(user)
    qs = SurveySend.objects.all()
    return qs if q is None else qs.filter(q)


def responses_visible_to(user) -> QuerySet[SurveyResponse]:
    q = _scope(user, "send__")
    qs = SurveyResponse.objects.all()
    return qs if q is None else qs.filter(q)


def recovery_visible_to(user) -> QuerySet[RecoveryTask]:
    role = role_of(user)
    qs = RecoveryTask.objects.all()
    if role == Role.ADMIN:
        return qs
    if role is None:
        return qs.none()
    q = Q(assignee=user) | Q(response__send__agent=user)
    if role == Role.LEAD:
        q |= Q(ticket__team__lead=user)
    return qs.filter(q)


def recovery_get(*, user, task_id: int) -> RecoveryTask:
    task = recovery_visible_to(user).select_related("ticket", "assignee", "response").filter(pk=task_id).first()
    if task is None:
        raise NotFound("recovery_task", "No such recovery task.")
    return task


def surveys() -> QuerySet[Survey]:
    return Survey.objects.prefetch_related("questions").order_by("-builtin", "id")


def survey_get(*, survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise NotFound("survey", "No such survey.")
    return survey


def week_start(at: dt.datetime) -> dt.date:
    day = timezone.localtime(at).date()
    return day - dt.timedelta(days=day.weekday())


def _label_maps():
    from django.contrib.auth import get_user_model

    from tanggap.conversations.choices import Category

    users = {u.pk: (u.get_full_name() or u.username) for u in get_user_model().objects.filter(
        pk__in=SurveySend.objects.exclude(agent=None).values("agent_id"))}
    teams = dict(Team.objects.values_list("pk", "name"))
    return users, teams, dict(Category.choices)


def results(*, user, kind: str = SurveyKind.CSAT, weeks: int = 12, at: dt.datetime | None = None) -> dict:
    """Headline score, response rate, the weekly trend and the breakdown per agent, team, channel
    and category, over the last ``weeks`` weeks, for what ``user`` may see."""
    at = at or now()
    first_week = week_start(at) - dt.timedelta(weeks=weeks - 1)
    since = timezone.make_aware(dt.datetime.combine(first_week, dt.time()))
    sends = list(sends_visible_to(user).filter(survey__kind=kind, sent_at__gte=since,
                                               status__in=[SendStatus.SENT, SendStatus.ANSWERED])
                 .values_list("pk", "sent_at", "agent_id", "team_id", "channel_kind", "category"))
    answered = {r[0]: r[1:] for r in SurveyResponse.objects.filter(send_id__in=[s[0] for s in sends])
                .values_list("send_id", "score", "outcome")}
    users, teams, categories = _label_maps()

    def summary(rows) -> dict:
        got = [answered[r[0]] for r in rows if r[0] in answered]
        scores = [g[0] for g in got if g[0] is not None]
        outcomes = [g[1] for g in got if g[1] is not None]
        return {"sent": len(rows), "answered": len(got), "rate": len(got) / len(rows) if rows else None,
                "score": scoring.headline(kind, scores, outcomes),
                "outcomes": scoring.outcome_shares(outcomes) if kind == SurveyKind.OUTCOME and outcomes else None}

    week_list = [first_week + dt.timedelta(weeks=i) for i in range(weeks)]
    by_week = defaultdict(list)
    for row in sends:
        by_week[week_start(row[1])].append(row)
    trend = [{"week": w, **summary(by_week.get(w, []))} for w in week_list]

    groups = {}
    for g, index, label in (("agent", 2, lambda v: users.get(v, "—")), ("team", 3, lambda v: teams.get(v, "—")),
                            ("channel", 4, lambda v: v or "—"), ("category", 5, lambda v: categories.get(v, v or "—"))):
        buckets = defaultdict(list)
        for row in sends:
            buckets[row[index]].append(row)
        groups[g] = sorted(({"key": k, "label": str(label(k)), **summary(v)} for k, v in buckets.items()),
                           key=lambda r: (-r["sent"], r["label"]))
    return {"kind": kind, "weeks": weeks, "since": first_week, "total": summary(sends), "trend": trend,
            "groups": groups}


def ticket_surveys(*, ticket) -> list[SurveySend]:
    return list(SurveySend.objects.filter(ticket=ticket).exclude(status=SendStatus.SKIPPED)
                .select_related("survey", "response", "response__recovery", "response__recovery__assignee")
                .order_by("-created_at", "-id"))


def customer_scores(*, customer, limit: int = 5) -> list[SurveyResponse]:
    return list(SurveyResponse.objects.filter(send__customer=customer).select_related("survey", "send")
                .order_by("-answered_at", "-id")[:limit])
