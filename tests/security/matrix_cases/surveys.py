"""Permission-matrix cases of surveys (issue 6): results and recovery tasks scoped to the caller
(agents: their tickets; leads: their teams' and company-wide; admins: all), the builder for leads
and admins, the public answer page by its token."""

from __future__ import annotations

import datetime as dt
import json

from tests.security.matrix_base import OK, REACHED, Case, api, console, everyone, manager


def build(world, users):
    from tanggap.conversations.models import Ticket
    from tanggap.surveys.builtins import builtins_ensure
    from tanggap.surveys.models import RecoveryTask, SurveyResponse, SurveySend

    csat = builtins_ensure()["csat"]
    far = dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc)
    sends = {}
    for name in ("ticket_a", "ticket_b", "ticket_c"):
        t = Ticket.objects.get(pk=world.ids[name])
        sends[name] = SurveySend.objects.create(
            survey=csat, customer_id=t.customer_id, ticket=t, trigger_key=f"matrix:{name}", status="sent",
            sent_at=far - dt.timedelta(days=2000), expires_at=far, agent=users["agent"] if name == "ticket_a" else None,
            team_id=t.team_id, channel_kind="email", category=t.category)
    responses = {}
    for name, score in (("ticket_a", 5), ("ticket_b", 1)):
        SurveySend.objects.filter(pk=sends[name].pk).update(status="answered")
        responses[name] = SurveyResponse.objects.create(send=sends[name], survey=csat, kind="csat", score=score,
                                                        low=score <= 2, answers={"score": score})
    task_a = RecoveryTask.objects.create(response=responses["ticket_a"], ticket_id=world.ids["ticket_a"],
                                         assignee=users["agent"], due_at=far)
    task_b = RecoveryTask.objects.create(response=responses["ticket_b"], ticket_id=world.ids["ticket_b"], due_at=far)
    world.ids.update({
        "survey": csat.pk, "question": csat.questions.order_by("id").first().pk,
        "stoken_a": sends["ticket_a"].token, "stoken_c": sends["ticket_c"].token,
        "sresp_a": responses["ticket_a"].pk, "sresp_b": responses["ticket_b"].pk,
        "rtask_a": task_a.pk, "rtask_b": task_b.pk,
    })


def _ids(response):
    return {item["id"] for item in json.loads(response.content)["items"]}


def responses_scoped(role, response, w):
    expected = {w.ids["sresp_a"], w.ids["sresp_b"]} if role == "admin" else {w.ids["sresp_a"]}
    got = _ids(response)
    return None if got == expected else f"responses listed {sorted(got)}, expected {sorted(expected)}"


def tasks_scoped(role, response, w):
    expected = {w.ids["rtask_a"], w.ids["rtask_b"]} if role == "admin" else {w.ids["rtask_a"]}
    got = _ids(response)
    return None if got == expected else f"tasks listed {sorted(got)}, expected {sorted(expected)}"


def results_scoped(role, response, w):
    data = json.loads(response.content)
    expected = 2 if role == "admin" else 1
    # The matrix's sends are dated years back: ask for them by their weeks.
    return None if data["answered"] in (0, expected) else f"{data['answered']} answers counted, expected {expected}"


BAD_SURVEY = {"key": "x", "name": {"id": "", "ms": "", "en": ""}}
BAD_QUESTION = {"key": "q", "type": "text", "text": {"id": "", "ms": "", "en": ""}}

CASES = [
    # console
    Case("GET", "/surveys/", console()),
    Case("GET", "/surveys/recovery/?show=all", console()),
    Case("POST", "/surveys/recovery/{rtask_a}/done/", console()),
    Case("POST", "/surveys/recovery/{rtask_b}/done/", console(agent=404, lead=404, admin=OK), label="another team's"),
    Case("GET", "/surveys/manage/", manager()),
    Case("GET", "/surveys/manage/new/", manager()),
    Case("POST", "/surveys/manage/new/", manager(lead=REACHED), {"key": "x"}),
    Case("GET", "/surveys/manage/{survey}/", manager()),
    Case("POST", "/surveys/manage/{survey}/", manager(lead=REACHED), {"action": "question", "q_key": "x"}),
    Case("POST", "/surveys/manage/{survey}/", manager(lead=REACHED),
         {"action": "edit", "question_id": "{question}", "text_id": "x", "text_ms": "x", "text_en": "x"},
         label="edit a question"),
    # the public answer page: the token is the key
    Case("GET", "/portal/s/{stoken_a}/", everyone(200), label="answered: thanks"),
    Case("POST", "/portal/s/{stoken_c}/", everyone(OK), {"score": "4"}),
    Case("GET", "/portal/s/salah-token/", everyone(404), label="wrong token"),
    # API
    Case("GET", "/api/v1/surveys", api()),
    Case("POST", "/api/v1/surveys", api(agent=403, lead=REACHED, admin=REACHED), BAD_SURVEY, "json"),
    Case("GET", "/api/v1/surveys/{survey}", api()),
    Case("PUT", "/api/v1/surveys/{survey}", api(agent=403, lead=REACHED, admin=REACHED), BAD_SURVEY, "json"),
    Case("POST", "/api/v1/surveys/{survey}/questions", api(agent=403, lead=REACHED, admin=REACHED), BAD_QUESTION, "json"),
    Case("DELETE", "/api/v1/surveys/{survey}/questions/{question}", api(agent=403, lead=REACHED, admin=REACHED)),
    Case("PATCH", "/api/v1/surveys/{survey}/questions/{question}", api(agent=403, lead=REACHED, admin=REACHED),
         {"text": {"id": "x", "ms": "x", "en": "x"}}, "json"),
    Case("POST", "/api/v1/surveys/{survey}/questions/{question}/move", api(agent=403, lead=REACHED, admin=REACHED),
         {"direction": "up"}, "json"),
    Case("POST", "/api/v1/surveys/{survey}/sends", api(agent=403, lead=REACHED, admin=REACHED), {"customer_id": "{cust_a}"}, "json"),
    Case("GET", "/api/v1/survey-results?weeks=104", api(), check=results_scoped),
    Case("GET", "/api/v1/survey-responses?limit=100", api(), check=responses_scoped),
    Case("GET", "/api/v1/survey-recovery-tasks?limit=100", api(), check=tasks_scoped),
    Case("POST", "/api/v1/survey-recovery-tasks/{rtask_a}/done", api(), {}, "json"),
    Case("POST", "/api/v1/survey-recovery-tasks/{rtask_b}/done", api(agent=404, lead=404), {}, "json",
         label="another team's"),
]
