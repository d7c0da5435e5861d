"""Console pages of surveys (results, recovery tasks, the questionnaire builder) and the public
answer page under /portal/s/<token>/ (no sign-in: the unguessable token is the key)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.proactive.charts import bar_chart
from tanggap.surveys import selectors, services
from tanggap.surveys.builtins import builtins_ensure
from tanggap.surveys.models import QuestionType, SendStatus, SurveyKind, Trigger
from tanggap.web.access import manager_required, staff_required

WEEKS = (4, 12, 26)
CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


def _page(request, template, ctx, status=200):
    from tanggap.accounts.selectors import role_of

    return render(request, template, {"role": role_of(request.user), **ctx}, status=status)
KINDS = (SurveyKind.CSAT, SurveyKind.NPS, SurveyKind.CES, SurveyKind.OUTCOME)


def score_text(kind: str, value) -> str:
    if value is None:
        return "—"
    if kind in (SurveyKind.CSAT, SurveyKind.OUTCOME):
        return f"{value:.0%}"
    if kind == SurveyKind.NPS:
        return f"{value:+g}"
    return f"{value:.2f}"


def _decorate(rows, kind):
    for row in rows:
        row["score_text"] = score_text(kind, row["score"])
        row["rate_text"] = f"{row['rate']:.0%}" if row["rate"] is not None else "—"
    return rows


@staff_required
def results(request):
    builtins_ensure()
    kind = request.GET.get("kind", SurveyKind.CSAT)
    if kind not in KINDS:
        kind = SurveyKind.CSAT
    try:
        weeks = int(request.GET.get("weeks", 12))
    except ValueError:
        weeks = 12
    if weeks not in WEEKS:
        weeks = 12
    data = selectors.results(user=request.user, kind=kind, weeks=weeks)
    labels = [f"{w['week']:%d/%m}" for w in data["trend"]]
    percent = kind in (SurveyKind.CSAT, SurveyKind.OUTCOME)
    score_help = {
        SurveyKind.CSAT: _("Share of 4 and 5 among the answers (1–5)."),
        SurveyKind.NPS: _("% promoters (9–10) minus % detractors (0–6)."),
        SurveyKind.CES: _("Mean answer, 1 (hard) to 7 (easy)."),
        SurveyKind.OUTCOME: _("Share of outcomes 1 and 2 (satisfied) among the answers."),
    }[kind]
    charts = [
        (_("Score per week"), score_help,
         bar_chart([w["score"] for w in data["trend"]], labels, percent=percent)),
        (_("Response rate per week"), _("Answered surveys among those sent that week."),
         bar_chart([w["rate"] for w in data["trend"]], labels, percent=True)),
    ]
    outcome_rows = []
    total = data["total"]
    if kind == SurveyKind.OUTCOME and total["outcomes"]:
        names = outcome_names()
        outcome_rows = [{"n": k, "name": names[k], "share": v, "share_text": f"{v:.0%}"}
                        for k, v in total["outcomes"].items()]
        charts.append((_("The five outcomes"), _("Share of answers per outcome (article 004)."),
                       bar_chart([v for v in total["outcomes"].values()], [str(k) for k in range(1, 6)], percent=True)))
    _decorate([total], kind)
    _decorate(data["trend"], kind)
    groups = [(label, _decorate(data["groups"][g], kind)) for g, label in (
        ("agent", _("Per agent")), ("team", _("Per team")), ("channel", _("Per channel")),
        ("category", _("Per category")))]
    return _page(request, "surveys/results.html", {
        "kind": kind, "kinds": [(k, SurveyKind(k).label) for k in KINDS], "weeks": weeks, "week_options": WEEKS,
        "data": data, "total": total, "charts": charts, "groups": groups, "outcome_rows": outcome_rows,
        "overdue": selectors.recovery_visible_to(request.user).filter(done_at__isnull=True,
                                                                      due_at__lt=services.now()).count(),
    })


def outcome_names() -> dict[int, str]:
    return {1: _("Satisfied, warm toward the responder"), 2: _("Satisfied, no strong feeling"),
            3: _("Slightly satisfied"), 4: _("Dissatisfied, no hard feelings toward the responder"),
            5: _("Very dissatisfied, negative toward the responder")}


@staff_required
def recovery(request):
    show = request.GET.get("show", "open")
    qs = selectors.recovery_visible_to(request.user).select_related("ticket", "assignee", "response", "response__survey")
    if show == "open":
        qs = qs.filter(done_at__isnull=True)
    else:
        show = "all"
    tasks = list(qs.order_by("done_at", "due_at", "id")[:200])
    return _page(request, "surveys/recovery.html", {"tasks": tasks, "show": show})


@staff_required
@require_POST
def recovery_done(request, task_id: int):
    try:
        task = selectors.recovery_get(user=request.user, task_id=task_id)
    except NotFound:
        raise Http404 from None
    services.recovery_done(task=task, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("Recovery task marked done."))
    return redirect("web:ticket", ticket_id=task.ticket_id)


# --- Builder (leads and admins) ----------------------------------------------------------------

def _texts_from(post, prefix: str) -> dict:
    return {lang: post.get(f"{prefix}_{lang}", "") for lang in services.LANGUAGES}


def _int(post, name, default):
    try:
        return int(post.get(name, default))
    except (TypeError, ValueError):
        return -1


@manager_required
def manage(request):
    builtins_ensure()
    return _page(request, "surveys/manage.html", {"surveys": selectors.surveys()})


def _survey_form_save(request, survey=None):
    post = request.POST
    return services.survey_save(
        survey=survey, key=post.get("key", ""), name=_texts_from(post, "name"), intro=_texts_from(post, "intro"),
        trigger=post.get("trigger", ""), active=post.get("active") == "on", delay_days=_int(post, "delay_days", 3),
        period_days_=_int(post, "period_days", 90), expiry_days=_int(post, "expiry_days", 14))


@manager_required
def survey_new(request):
    error = None
    if request.method == "POST":
        try:
            survey = _survey_form_save(request)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Survey created. Add its questions."))
            return redirect("surveys:edit", survey_id=survey.pk)
    return _page(request, "surveys/edit.html", {"survey": None, "error": error, "triggers": Trigger.choices,
                                                 "values": request.POST, "langs": services.LANGUAGES},
                  status=422 if error else 200)


def _choices_from(post) -> list[dict]:
    """The choices textarea: one per line, ``value | Indonesian | Malay | English``."""
    choices = []
    for line in post.get("choices", "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if any(parts):
            parts += [""] * (4 - len(parts))
            choices.append({"value": parts[0], "id": parts[1], "ms": parts[2], "en": parts[3]})
    return choices


def _choices_text(question) -> str:
    return "\n".join(" | ".join(c.get(k, "") for k in ("value", "id", "ms", "en")) for c in question.choices)


def _posted_question(request, survey):
    question = survey.questions.filter(pk=_int(request.POST, "question_id", 0)).first()
    if question is None:
        raise Http404
    return question


@manager_required
def survey_edit(request, survey_id: int):
    try:
        survey = selectors.survey_get(survey_id=survey_id)
    except NotFound:
        raise Http404 from None
    error = q_error = edit_id = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "question":
                services.question_add(survey=survey, key=request.POST.get("q_key", ""), type=request.POST.get("type", ""),
                                      text=_texts_from(request.POST, "text"), choices=_choices_from(request.POST),
                                      max_value=_int(request.POST, "max_value", 5),
                                      required=request.POST.get("required") == "on")
                messages.success(request, _("Question added."))
            elif request.POST.get("action") == "edit":
                edit_id = _int(request.POST, "question_id", 0)
                question = _posted_question(request, survey)
                services.question_update(question=question, text=_texts_from(request.POST, "text"),
                                         choices=_choices_from(request.POST) if question.type in CHOICE_TYPES else None)
                messages.success(request, _("Question saved."))
            elif request.POST.get("action") in ("up", "down"):
                services.question_move(question=_posted_question(request, survey), direction=request.POST["action"])
            elif request.POST.get("action") == "delete":
                services.question_delete(question=_posted_question(request, survey))
                messages.success(request, _("Question deleted."))
            else:
                _survey_form_save(request, survey)
                messages.success(request, _("Survey saved."))
        except DomainError as exc:
            if request.POST.get("action") in ("question", "edit", "delete", "up", "down"):
                q_error = exc.message
            else:
                error = exc.message
        else:
            return redirect("surveys:edit", survey_id=survey.pk)
    values = request.POST if error else {
        **{f"name_{k}": v for k, v in survey.name.items()}, **{f"intro_{k}": v for k, v in survey.intro.items()},
        "trigger": survey.trigger, "delay_days": survey.delay_days, "period_days": survey.period_days,
        "expiry_days": survey.expiry_days, "active": "on" if survey.active else ""}
    questions = []
    for q in survey.questions.all():
        editing = q_error is not None and q.pk == edit_id  # a refused edit: shown again as posted
        questions.append({"q": q, "editing": editing, "values": request.POST if editing else {
            **{f"text_{lang}": q.text.get(lang, "") for lang in services.LANGUAGES}, "choices": _choices_text(q)}})
    return _page(request, "surveys/edit.html", {
        "survey": survey, "questions": questions, "error": error, "q_error": q_error,
        "triggers": Trigger.choices, "types": QuestionType.choices, "values": values, "langs": services.LANGUAGES,
        "q_values": request.POST if q_error and request.POST.get("action") == "question" else {},
    }, status=422 if (error or q_error) else 200)


# --- The public answer page ----------------------------------------------------------------------

def _question_rows(survey, language, posted=None):
    rows = []
    for q in survey.questions.all():
        row = {"q": q, "key": q.key, "text": q.text_in(language), "type": q.type,
               "low": q.low_label.get(language, ""), "high": q.high_label.get(language, ""),
               "picked": (posted.getlist(q.key) if posted is not None else [])}
        if q.type == QuestionType.RATING:
            row["options"] = [(str(i), str(i)) for i in range(1, q.max_value + 1)]
        elif q.type == QuestionType.SCALE:
            row["options"] = [(str(i), str(i)) for i in range(0, 11)]
        elif q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            row["options"] = [(c["value"], c.get(language) or c.get("id") or c["value"]) for c in q.choices]
        rows.append(row)
    return rows


def answer(request, token: str):
    try:
        send = services.send_for_token(token)
    except NotFound:
        raise Http404 from None
    language = send.language or "id"
    with translation.override(language):
        ctx = {"send": send, "survey": send.survey, "name": send.survey.name_in(language),
               "intro": send.survey.intro.get(language, ""), "language": language}
        if send.status == SendStatus.ANSWERED:
            return render(request, "surveys/answer_thanks.html", ctx)
        if services.is_expired(send):
            return render(request, "surveys/answer_expired.html", ctx, status=410)
        error = None
        if request.method == "POST":
            answers = {}
            for q in send.survey.questions.all():
                values = request.POST.getlist(q.key)
                answers[q.key] = values if q.type == QuestionType.MULTIPLE else (values[0] if values else "")
            try:
                services.answer_submit(token=token, answers=answers)
            except DomainError as exc:
                if exc.code == "already_answered":
                    return render(request, "surveys/answer_thanks.html", ctx)
                if exc.code == "expired":
                    return render(request, "surveys/answer_expired.html", ctx, status=410)
                error = _("Please answer every required question.") if exc.code == "answer_required" else \
                    _("One of the answers is not valid; please check it.")
            else:
                return redirect("surveys:answer", token=token)
        ctx.update(questions=_question_rows(send.survey, language, request.POST if request.method == "POST" else None),
                   error=error)
        return render(request, "surveys/answer.html", ctx, status=422 if error else 200)
