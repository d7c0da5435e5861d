"""Surveys: the builder, the triggers, sending, answering and service recovery (docs/surveys.md).

Work that happens later is stored as rows: a trigger writes a ``scheduled`` SurveySend (its
``trigger_key`` is unique, so a trigger fires once), and ``surveys_tick`` (a periodic job)
schedules delivered + N days and periodic sends, then sends what is due. A send is claimed by a
conditional UPDATE (scheduled → sending); the quota "one survey per customer per period" is the
unique (customer, quota_period) constraint, so two workers cannot both survey one customer."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction

from tanggap.common.clock import now
from tanggap.common.errors import DomainError, NotFound
from tanggap.conversations.choices import Initiator, Status
from tanggap.conversations.models import Ticket
from tanggap.conversations.services import outreach_send, reply_send, ticket_update
from tanggap.customers.models import Customer
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.surveys import scoring
from tanggap.surveys.builtins import builtins_ensure
from tanggap.surveys.models import (
    Question, QuestionType, RecoveryTask, SendStatus, Survey, SurveyKind, SurveyResponse, SurveySend, Trigger,
)
from tanggap.texts.services import language_of

log = logging.getLogger(__name__)

LANGUAGES = ("id", "ms", "en")
RECOVERY_HOURS = 4  # business hours to call a low scorer back
DELIVERED_LOOKBACK_DAYS = 14  # deliveries older than delay + this are not surveyed any more
STALE_SENDING = dt.timedelta(minutes=10)

INVITE = {
    "id": "{intro}\nMohon luangkan satu menit untuk mengisi survei singkat kami: {link}\n(Tautan berlaku sampai {until}.)",
    "ms": "{intro}\nSila luangkan satu minit untuk menjawab tinjauan ringkas kami: {link}\n(Pautan sah sehingga {until}.)",
    "en": "{intro}\nPlease take a minute to answer our short survey: {link}\n(The link works until {until}.)",
}
SUBJECT = {"id": "Survei: {name}", "ms": "Tinjauan: {name}", "en": "Survey: {name}"}


def _bad(code: str, message: str) -> DomainError:
    return DomainError(code, message, status=422)


def period_days() -> int:
    """At most one survey per customer in this many days (``TANGGAP_SURVEY_PERIOD_DAYS``, default 30)."""
    return max(1, int(getattr(settings, "TANGGAP_SURVEY_PERIOD_DAYS", 30)))


def quota_period_of(at: dt.datetime) -> int:
    return (at.date() - dt.date(2000, 1, 1)).days // period_days()


def answer_url(send: SurveySend) -> str:
    return f"{settings.TANGGAP_SITE_URL.rstrip('/')}/portal/s/{send.token}/"


# --- Builder ---------------------------------------------------------------------------------

def _texts(value, field: str, *, required: bool = True, max_length: int = 500) -> dict:
    value = value or {}
    if not isinstance(value, dict):
        raise _bad("invalid_text", f"{field} holds a text per language: id, ms, en.")
    out = {}
    for lang in LANGUAGES:
        text = str(value.get(lang) or "").strip()
        if "\x00" in text or len(text) > max_length:
            raise _bad("invalid_text", f"{field}.{lang} is at most {max_length} characters.")
        if required and not text:
            raise _bad("missing_translation", f"{field} needs a text in Indonesian, Malay and English ({lang} is empty).")
        out[lang] = text
    return out


def survey_save(*, survey: Survey | None = None, key: str = "", name: dict, intro: dict | None = None,
                trigger: str = Trigger.MANUAL, active: bool = False, delay_days: int = 3, period_days_: int = 90,
                expiry_days: int = 14) -> Survey:
    """Create a questionnaire (``survey`` None) or change one. A built-in keeps its key and kind."""
    if trigger not in Trigger.values:
        raise _bad("invalid_trigger", f"trigger is one of: {', '.join(Trigger.values)}.")
    for field, value, low, high in (("delay_days", delay_days, 0, 365), ("period_days", period_days_, 1, 3650),
                                    ("expiry_days", expiry_days, 1, 365)):
        if not isinstance(value, int) or not low <= value <= high:
            raise _bad("invalid_number", f"{field} is a whole number from {low} to {high}.")
    name, intro = _texts(name, "name", max_length=200), _texts(intro, "intro", required=False)
    fields = dict(name=name, intro=intro, trigger=trigger, active=active, delay_days=delay_days,
                  period_days=period_days_, expiry_days=expiry_days)
    if survey is None:
        key = (key or "").strip().lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,39}", key):
            raise _bad("invalid_key", "key: 2–40 lower-case letters, digits, - or _.")
        try:
            with transaction.atomic():
                return Survey.objects.create(key=key, kind=SurveyKind.CUSTOM, **fields)
        except IntegrityError:
            raise _bad("duplicate_key", f"A survey with the key '{key}' already exists.") from None
    for k, v in fields.items():
        setattr(survey, k, v)
    survey.save()
    return survey


def _choices(choices) -> list[dict]:
    """The choices of a single or multiple choice question: 2 to 20, each a value of its own and
    its label in id, ms and en."""
    if not choices or not isinstance(choices, list) or len(choices) < 2 or len(choices) > 20:
        raise _bad("invalid_choices", "A choice question needs 2 to 20 choices.")
    clean, seen = [], set()
    for i, c in enumerate(choices):
        if not isinstance(c, dict):
            raise _bad("invalid_choices", f"choices[{i}] holds value, id, ms and en.")
        value = str(c.get("value") or "").strip()[:40]
        if not value or value in seen:
            raise _bad("invalid_choices", f"choices[{i}] needs a value of its own.")
        seen.add(value)
        clean.append({"value": value, **_texts(c, f"choices[{i}]", max_length=200)})
    return clean


def question_add(*, survey: Survey, key: str, type: str, text: dict, choices: list | None = None,
                 max_value: int = 5, required: bool = True) -> Question:
    if survey.builtin:
        raise _bad("builtin_survey", "The questions of a built-in survey cannot be changed (its score depends on them).")
    if type not in QuestionType.values:
        raise _bad("invalid_type", f"type is one of: {', '.join(QuestionType.values)}.")
    key = (key or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", key):
        raise _bad("invalid_key", "key: 1–40 lower-case letters, digits, - or _.")
    text = _texts(text, "text")
    clean_choices = _choices(choices) if type in (QuestionType.SINGLE, QuestionType.MULTIPLE) else []
    if type == QuestionType.RATING and not (isinstance(max_value, int) and 2 <= max_value <= 10):
        raise _bad("invalid_number", "A rating goes from 1 to 2–10.")
    if type == QuestionType.SCALE:
        max_value = 10
    position = (survey.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    try:
        with transaction.atomic():
            return Question.objects.create(survey=survey, key=key, type=type, text=text, choices=clean_choices,
                                           max_value=max_value, required=required, position=position)
    except IntegrityError:
        raise _bad("duplicate_key", f"The survey already has a question '{key}'.") from None


def _answered_values(question: Question) -> set[str]:
    """The choice values customers picked in their answers to this question."""
    picked: set[str] = set()
    answers = (SurveyResponse.objects.filter(survey_id=question.survey_id, answers__has_key=question.key)
               .values_list("answers", flat=True))
    for row in answers.iterator(chunk_size=2000):
        value = row.get(question.key)
        picked.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return picked


def question_update(*, question: Question, text: dict | None = None, choices: list | None = None) -> Question:
    """Change a question's wording: its text in id, ms and en and, for a choice question, its
    choices (labels changed, choices added, removed or reordered). None leaves that part as it is.
    Key, type, highest rating and "required" stay as added: answers are stored by key and value.
    A choice some answer picked cannot be removed (nor its value renamed): ``choice_in_use``."""
    if question.survey.builtin:
        raise _bad("builtin_survey", "The questions of a built-in survey cannot be changed (its score depends on them).")
    fields = {}
    if text is not None:
        fields["text"] = _texts(text, "text")
    if choices is not None and question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        fields["choices"] = _choices(choices)
    elif choices:
        raise _bad("invalid_choices", "Only a single or multiple choice question has choices.")
    if not fields:
        return question
    with transaction.atomic():
        # Locked so that two editors do not each remove a choice the other's check let through.
        current = Question.objects.select_for_update().get(pk=question.pk)
        if "choices" in fields:
            removed = {c["value"] for c in current.choices} - {c["value"] for c in fields["choices"]}
            in_use = sorted(removed & _answered_values(current)) if removed else []
            if in_use:
                raise _bad("choice_in_use", f"Customers already picked {', '.join(in_use)}: a choice that answers "
                                            "refer to cannot be removed (its label can be changed).")
        Question.objects.filter(pk=question.pk).update(**fields)
    for k, v in fields.items():
        setattr(question, k, v)
    return question


def question_delete(*, question: Question) -> None:
    if question.survey.builtin:
        raise _bad("builtin_survey", "The questions of a built-in survey cannot be changed (its score depends on them).")
    if question.survey.sends.exists():
        raise _bad("survey_in_use", "This survey has been sent; its questions stay as they were answered.")
    question.delete()


def question_move(*, question: Question, direction: str) -> Question:
    """Swap a question with its neighbour ("up": asked one earlier, "down": one later). Order only:
    answers are stored by key, so a sent survey can be reordered too."""
    if question.survey.builtin:
        raise _bad("builtin_survey", "The questions of a built-in survey cannot be changed (its score depends on them).")
    if direction not in ("up", "down"):
        raise _bad("invalid_direction", "direction is up or down.")
    with transaction.atomic():
        siblings = list(Question.objects.select_for_update().filter(survey_id=question.survey_id)
                        .order_by("position", "id"))
        index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            for position, q in enumerate(siblings, start=1):  # also mends equal positions
                if q.position != position:
                    Question.objects.filter(pk=q.pk).update(position=position)
        return Question.objects.get(pk=question.pk)


# --- Triggers --------------------------------------------------------------------------------

def _schedule(*, survey: Survey, customer_id: int, trigger_key: str, due_at: dt.datetime, ticket: Ticket | None = None,
              order_id: int | None = None) -> SurveySend | None:
    """Store a scheduled send once per ``trigger_key``; None when it already exists."""
    fields = dict(survey=survey, customer_id=customer_id, trigger_key=trigger_key, due_at=due_at, order_id=order_id)
    if ticket is not None:
        fields.update(ticket=ticket, agent_id=ticket.assignee_id, team_id=ticket.team_id,
                      channel_kind=ticket.channel.kind if ticket.channel_id else "", category=ticket.category)
    try:
        with transaction.atomic():
            return SurveySend.objects.create(**fields)
    except IntegrityError:
        return None


def on_ticket_solved(*, ticket_id: int) -> list[SurveySend]:
    """Ticket solved: schedule each active ticket-solved survey once for this ticket."""
    ticket = Ticket.objects.select_related("channel").filter(pk=ticket_id, status=Status.SOLVED).first()
    if ticket is None or ticket.initiated_by == Initiator.COMPANY and not ticket.messages.filter(direction="in").exists():
        return []  # our own outreach (a survey, a notice) nobody answered: nothing to ask about
    out = []
    for survey in Survey.objects.filter(active=True, trigger=Trigger.TICKET_SOLVED):
        send = _schedule(survey=survey, customer_id=ticket.customer_id, ticket=ticket, due_at=now(),
                         trigger_key=f"solved:{survey.pk}:{ticket.pk}")
        if send:
            out.append(send)
    return out


def delivered_schedule(*, at: dt.datetime | None = None) -> int:
    """Delivered + N days: one send per delivered order whose N days have passed (journey event
    ``order_delivered``; deliveries older than N + 14 days are left alone)."""
    from tanggap.journeys.models import JourneyEvent

    at = at or now()
    made = 0
    for survey in Survey.objects.filter(active=True, trigger=Trigger.DELIVERED):
        until = at - dt.timedelta(days=survey.delay_days)
        since = until - dt.timedelta(days=DELIVERED_LOOKBACK_DAYS)
        done = SurveySend.objects.filter(survey=survey, order__isnull=False).values("order_id")
        events = (JourneyEvent.objects.filter(kind="order_delivered", occurred_at__lte=until, occurred_at__gt=since,
                                              order__isnull=False)
                  .exclude(order_id__in=done).order_by("occurred_at", "id").values_list("customer_id", "order_id")[:1000])
        for customer_id, order_id in events:
            if _schedule(survey=survey, customer_id=customer_id, order_id=order_id, due_at=at,
                         trigger_key=f"delivered:{survey.pk}:{order_id}"):
                made += 1
    return made


def periodic_schedule(*, at: dt.datetime | None = None) -> int:
    """Periodic: each customer who wrote to us or ordered in the last ``period_days`` and was not
    asked this survey in that time."""
    from tanggap.customers.models import Order

    at = at or now()
    made = 0
    for survey in Survey.objects.filter(active=True, trigger=Trigger.PERIODIC):
        days = max(1, survey.period_days)
        since = at - dt.timedelta(days=days)
        active_ids = set(Ticket.objects.filter(created_at__gte=since, initiated_by=Initiator.CUSTOMER)
                         .values_list("customer_id", flat=True))
        active_ids |= set(Order.objects.filter(placed_at__gte=since).values_list("customer_id", flat=True))
        # Not again within its own period (whatever became of the last one: sent, skipped, answered).
        recent = set(SurveySend.objects.filter(survey=survey, created_at__gt=since).values_list("customer_id", flat=True))
        for customer_id in sorted(active_ids - recent):
            if _schedule(survey=survey, customer_id=customer_id, due_at=at,
                         trigger_key=f"periodic:{survey.pk}:{customer_id}:{at.date().isoformat()}"):
                made += 1
    return made


def survey_send_manual(*, survey: Survey, customer: Customer, ticket: Ticket | None = None) -> SurveySend:
    """Schedule a survey by hand (API); the worker sends it under the same quota and opt-out."""
    key = f"manual:{survey.pk}:{customer.pk}:{ticket.pk if ticket else 0}:{now().timestamp():.6f}"
    if ticket is not None:
        ticket = Ticket.objects.select_related("channel").get(pk=ticket.pk)
    send = _schedule(survey=survey, customer_id=customer.pk, ticket=ticket, due_at=now(), trigger_key=key)
    if send is None:
        raise _bad("duplicate_send", "This survey was just scheduled for this customer.")
    return send


# --- Sending ---------------------------------------------------------------------------------

def _skip(send_id: int, reason: str) -> str:
    SurveySend.objects.filter(pk=send_id).update(status=SendStatus.SKIPPED, reason=reason[:40])
    return "skipped"


def send_one(*, send_id: int) -> str:
    """Send one scheduled survey: 'sent', 'skipped' (opted out, quota, no address) or 'taken'
    (another worker claimed it)."""
    at = now()
    if not SurveySend.objects.filter(pk=send_id, status=SendStatus.SCHEDULED).update(status=SendStatus.SENDING,
                                                                                    claimed_at=at):
        return "taken"
    send = SurveySend.objects.select_related("survey", "customer", "ticket").get(pk=send_id)
    customer = send.customer
    if customer.merged_into_id:
        customer = Customer.objects.get(pk=customer.merged_into_id)
    if customer.proactive_opt_out:
        return _skip(send_id, "opted_out")
    since = at - dt.timedelta(days=period_days())
    if SurveySend.objects.filter(customer=customer, sent_at__gt=since).exclude(pk=send_id).exists():
        return _skip(send_id, "quota")
    language = language_of(customer.language)
    survey = send.survey
    expires = at + dt.timedelta(days=survey.expiry_days)
    try:
        with transaction.atomic():
            # The database decides: a second send to this customer in this period breaks the constraint.
            SurveySend.objects.filter(pk=send_id).update(quota_period=quota_period_of(at), customer=customer)
            send.language = language
            from tanggap.texts.services import format_when

            body = INVITE[language].format(intro=survey.intro.get(language) or survey.name_in(language),
                                           link=answer_url(send), until=format_when(expires, language))
            if send.ticket_id:
                message = reply_send(ticket=send.ticket, author=None, body_text=body, initiated_by=Initiator.COMPANY,
                                     automated=True, purpose="survey")
            else:
                _, message = outreach_send(customer=customer, subject=SUBJECT[language].format(name=survey.name_in(language)),
                                           body_text=body, purpose="survey")
            SurveySend.objects.filter(pk=send_id).update(status=SendStatus.SENT, sent_at=at, expires_at=expires,
                                                         language=language, message=message)
            publish(names.SURVEY_SENT, survey_send_id=send_id, customer_id=customer.pk)
    except IntegrityError:
        return _skip(send_id, "quota")
    except DomainError as exc:
        log.info("survey send %s skipped: %s", send_id, exc.code)
        return _skip(send_id, exc.code)
    return "sent"


def sends_due(*, at: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    at = at or now()
    counts = {"sent": 0, "skipped": 0, "taken": 0}
    # A worker killed between claiming and sending left its send 'sending': put it back.
    SurveySend.objects.filter(status=SendStatus.SENDING, sent_at__isnull=True,
                              claimed_at__lt=at - STALE_SENDING).update(status=SendStatus.SCHEDULED)
    ids = list(SurveySend.objects.filter(status=SendStatus.SCHEDULED, due_at__lte=at)
               .order_by("due_at", "id").values_list("pk", flat=True)[:limit])
    for send_id in ids:
        counts[send_one(send_id=send_id)] += 1
    return counts


def surveys_tick(*, at: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: schedule delivered + N days and periodic sends, then send what is due."""
    builtins_ensure()
    at = at or now()
    scheduled = delivered_schedule(at=at) + periodic_schedule(at=at)
    return {"scheduled": scheduled, **sends_due(at=at)}


# --- Answering -------------------------------------------------------------------------------

def send_for_token(token: str) -> SurveySend:
    """The send behind an answer link; NotFound for an unknown token (or one not sent yet)."""
    if not token or len(token) > 64:
        raise NotFound("survey_not_found", "No such survey link.")
    send = (SurveySend.objects.select_related("survey", "customer").filter(token=token)
            .filter(status__in=[SendStatus.SENT, SendStatus.ANSWERED]).first())
    if send is None:
        raise NotFound("survey_not_found", "No such survey link.")
    return send


def is_expired(send: SurveySend) -> bool:
    return send.status == SendStatus.SENT and send.expires_at is not None and send.expires_at <= now()


def _clean_answer(q: Question, raw):
    """One answer from a form or JSON value; None when left empty. DomainError when invalid."""
    if raw in (None, "", []):
        if q.required:
            raise _bad("answer_required", f"'{q.key}' needs an answer.")
        return None
    if q.type in (QuestionType.RATING, QuestionType.SCALE):
        try:
            value = int(raw[0] if isinstance(raw, list) else raw)
        except (TypeError, ValueError):
            raise _bad("invalid_answer", f"'{q.key}' is a number.") from None
        low = 0 if q.type == QuestionType.SCALE else 1
        high = 10 if q.type == QuestionType.SCALE else q.max_value
        if not low <= value <= high:
            raise _bad("invalid_answer", f"'{q.key}' is from {low} to {high}.")
        return value
    values = {c["value"] for c in q.choices}
    if q.type == QuestionType.SINGLE:
        value = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
        if not isinstance(value, str) or value not in values:
            raise _bad("invalid_answer", f"'{q.key}' is one of: {', '.join(sorted(values))}.")
        return value
    if q.type == QuestionType.MULTIPLE:
        chosen = raw if isinstance(raw, list) else [raw]
        if any(not isinstance(v, str) or v not in values for v in chosen):
            raise _bad("invalid_answer", f"'{q.key}' holds some of: {', '.join(sorted(values))}.")
        return sorted(set(chosen))
    text = str(raw).replace("\x00", "").strip()[:2000]
    if not text and q.required:
        raise _bad("answer_required", f"'{q.key}' needs an answer.")
    return text or None


def response_score(kind: str, answers: dict) -> tuple[int | None, int | None]:
    if kind in (SurveyKind.CSAT, SurveyKind.NPS, SurveyKind.CES):
        return answers.get("score"), None
    if kind == SurveyKind.OUTCOME:
        return None, scoring.outcome_of(answers["satisfaction"], answers["feeling"])
    return None, None


def answer_submit(*, token: str, answers: dict) -> SurveyResponse:
    """Record the customer's answers, once. Errors: NotFound (unknown token), ``expired`` (410),
    ``already_answered`` (409), ``answer_required`` / ``invalid_answer`` (422)."""
    send = send_for_token(token)
    if send.status == SendStatus.ANSWERED:
        raise DomainError("already_answered", "This survey has already been answered. Thank you!", status=409)
    if is_expired(send):
        raise DomainError("expired", "This survey link has expired.", status=410)
    clean = {}
    for q in send.survey.questions.all():
        value = _clean_answer(q, answers.get(q.key))
        if value is not None:
            clean[q.key] = value
    kind = send.survey.kind
    score, outcome = response_score(kind, clean)
    low = scoring.is_low(kind, score, outcome)
    at = now()
    with transaction.atomic():
        if not SurveySend.objects.filter(pk=send.pk, status=SendStatus.SENT).update(status=SendStatus.ANSWERED):
            raise DomainError("already_answered", "This survey has already been answered. Thank you!", status=409)
        response = SurveyResponse.objects.create(send=send, survey=send.survey, kind=kind, answers=clean, score=score,
                                                 outcome=outcome, low=low, answered_at=at)
        from tanggap.journeys.services import event_record

        summary = send.survey.name_in("id") + (f": {score}" if score is not None else f": hasil {outcome}" if outcome else "")
        event_record(kind="survey_answered", external_id=f"survey-response-{response.pk}", source="tanggap-surveys",
                     customer_id=send.customer_id, occurred_at=at, channel="survey", summary=summary,
                     data={"survey": send.survey.key, "kind": kind, "score": score, "outcome": outcome,
                           "ticket_id": send.ticket_id, "survey_response_id": response.pk})
        if low and send.ticket_id:
            recovery_open(response=response)
        publish(names.SURVEY_ANSWERED, survey_response_id=response.pk, survey_send_id=send.pk,
                customer_id=send.customer_id, ticket_id=send.ticket_id, kind=kind, score=score, outcome=outcome)
    return response


# --- Service recovery -------------------------------------------------------------------------

def recovery_due(*, ticket: Ticket, at: dt.datetime) -> dt.datetime:
    """``RECOVERY_HOURS`` working hours from ``at`` on the ticket's business calendar (its SLA
    policy's, else the first calendar; plain hours without any)."""
    from tanggap.sla.calendar import add_business_time
    from tanggap.sla.models import BusinessCalendar
    from tanggap.sla.selectors import calendar_spec
    from tanggap.sla.services import policy_for, policy_spec

    spec = policy_spec(policy_for(ticket))
    if spec is None:
        calendar = BusinessCalendar.objects.order_by("id").first()
        spec = calendar_spec(calendar=calendar) if calendar else None
    duration = dt.timedelta(hours=RECOVERY_HOURS)
    return add_business_time(spec, at, duration) if spec else at + duration


def recovery_open(*, response: SurveyResponse) -> RecoveryTask:
    """A low score: a recovery task on the ticket for its assignee (else the team lead, else an
    admin), a notification, and the ticket reopened if it was solved."""
    from tanggap.notifications.services import notify
    from tanggap.sla.services import people_to_warn, staff_time

    ticket = Ticket.objects.select_related("channel", "customer", "team__lead", "assignee").get(pk=response.send.ticket_id)
    at = now()
    people = people_to_warn(ticket)
    task = RecoveryTask.objects.create(response=response, ticket=ticket, assignee=people[0] if people else None,
                                       due_at=recovery_due(ticket=ticket, at=at), created_at=at)
    if ticket.status in (Status.SOLVED, Status.CLOSED):
        ticket_update(ticket=ticket, actor=None, status=Status.OPEN)
    from django.utils import translation
    from django.utils.translation import gettext as _

    what = (f"CSAT {response.score}" if response.kind == "csat" else f"NPS {response.score}" if response.kind == "nps"
            else f"CES {response.score}" if response.kind == "ces" else f"outcome {response.outcome}")
    with translation.override(settings.LANGUAGE_CODE):  # staff read it, not the customer answering
        text = (_("Low survey score (%(what)s) on TG-%(id)06d: call the customer back by %(due)s.")
                % {"what": what, "id": ticket.pk, "due": staff_time(task.due_at)})
    notify(users=people, kind="survey_low", ticket=ticket, dedupe_key=f"survey-low-{response.pk}", text=text)
    return task


def recovery_done(*, task: RecoveryTask, actor, note: str = "") -> RecoveryTask:
    if task.done_at is None:
        RecoveryTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now(), done_by=actor,
                                                                             note=(note or "")[:500])
        task.refresh_from_db()
    return task


def customer_merge_hook(source: Customer, target: Customer) -> None:
    """Merged customers: their sends follow the target; a period both used keeps the target's."""
    taken = set(SurveySend.objects.filter(customer=target, quota_period__isnull=False)
                .values_list("quota_period", flat=True))
    SurveySend.objects.filter(customer=source, quota_period__in=taken).update(quota_period=None)
    SurveySend.objects.filter(customer=source).update(customer=target)
