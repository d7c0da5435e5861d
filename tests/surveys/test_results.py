"""Results scoped to the caller (agents: their tickets; leads: their teams' and company-wide;
admins: all), computed on known answers; the builder (console and API) for leads and admins."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tanggap.accounts.services import team_get_or_create
from tanggap.surveys.models import Question, Survey, SurveyResponse
from tests.surveys.conftest import activate, only


@pytest.fixture
def answered(builtins, make_ticket, solve, tick):
    """Answer a survey about a new solved ticket with ``answers``; returns the response."""

    def make(answers: dict, **ticket_kwargs):
        before = set(only("csat").values_list("pk", flat=True)) | set(only("outcome").values_list("pk", flat=True))
        solve(make_ticket(**ticket_kwargs))
        tick()
        send = (only("csat") | only("outcome")).exclude(pk__in=before).get()
        assert Client().post(f"/portal/s/{send.token}/", answers).status_code == 302
        return SurveyResponse.objects.get(send=send)

    return make


@pytest.fixture
def world(answered, agent, lead, make_staff, settings):
    """Five CSAT answers: three on the agent's tickets (team of the lead), two on another
    agent's tickets in another team."""
    settings.TANGGAP_SURVEY_PERIOD_DAYS = 1
    other_team = team_get_or_create(name="Pembayaran")
    other = make_staff("budi", "agent", [other_team])
    for i, score in enumerate((5, 4, 2)):
        answered({"score": str(score)}, email=f"a{i}@example.id", assignee=agent)
    for i, score in enumerate((1, 3)):
        ticket_kwargs = dict(email=f"b{i}@example.id", assignee=other, on_team=False)
        response = answered({"score": str(score)}, **ticket_kwargs)
        from tanggap.surveys.models import SurveySend

        SurveySend.objects.filter(pk=response.send_id).update(team=other_team)
    return other


def _results(client, **params):
    response = client.get("/api/v1/survey-results", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_csat_results_scoped_by_role(world, agent, lead, make_staff, api_client_for):
    admin = make_staff("admin", "admin")
    mine = _results(api_client_for(agent))
    assert (mine["answered"], mine["sent"], mine["score"]) == (3, 3, pytest.approx(2 / 3))
    assert [g["label"] for g in mine["groups"]["agent"]] == ["sari"]
    assert _results(api_client_for(lead))["answered"] == 3  # the other team is not the lead's
    everything = _results(api_client_for(admin))
    assert (everything["answered"], everything["score"]) == (5, pytest.approx(2 / 5))
    assert {g["label"]: g["answered"] for g in everything["groups"]["agent"]} == {"sari": 3, "budi": 2}
    assert _results(api_client_for(world))["answered"] == 2
    # the responses list is scoped the same way, and pages
    listed = api_client_for(agent).get("/api/v1/survey-responses", {"limit": 2}).json()
    assert len(listed["items"]) == 2 and listed["next_cursor"]
    rest = api_client_for(agent).get("/api/v1/survey-responses", {"limit": 2, "cursor": listed["next_cursor"]}).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_results_page_shows_score_and_response_rate(world, agent, builtins, make_ticket, solve, tick):
    solve(make_ticket(email="diam@example.id"))  # sent, never answered
    tick()
    client = Client()
    client.force_login(agent)
    page = client.get("/surveys/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body
    assert '<span id="survey-score">67%</span>' in body and '<span id="survey-rate">75%</span>' in body
    assert "Per agen" in body  # Indonesian by default
    client.cookies.load({"django_language": "ms"})
    assert "Kadar maklum balas" in client.get("/surveys/", HTTP_ACCEPT_LANGUAGE="ms").content.decode()


def test_nps_and_outcomes_on_known_answers(answered, agent, make_staff, settings, api_client_for):
    settings.TANGGAP_SURVEY_PERIOD_DAYS = 1
    activate("csat", active=False)
    activate("outcome", trigger="ticket_solved")
    for i, (s, f) in enumerate((("fully", "warm"), ("fully", "neutral"), ("slightly", "negative"),
                                ("dissatisfied", "warm"), ("very_dissatisfied", "negative"), ("fully", "warm"))):
        answered({"satisfaction": s, "feeling": f}, email=f"o{i}@example.id")
    data = _results(api_client_for(make_staff("admin", "admin")), kind="outcome")
    assert data["outcomes"] == {"1": pytest.approx(2 / 6), "2": pytest.approx(1 / 6), "3": pytest.approx(1 / 6),
                                "4": pytest.approx(1 / 6), "5": pytest.approx(1 / 6)}
    assert data["score"] == pytest.approx(3 / 6)
    tasks = api_client_for(agent).get("/api/v1/survey-recovery-tasks").json()["items"]
    assert len(tasks) == 2  # outcomes 4 and 5


def test_builder_for_leads_only(lead, agent, builtins):
    client = Client()
    client.force_login(agent)
    assert client.get("/surveys/manage/").status_code == 403
    client.force_login(lead)
    assert "Kepuasan pelanggan (CSAT)" in client.get("/surveys/manage/").content.decode()
    bad = client.post("/surveys/manage/new/", {"key": "puas-kirim", "name_id": "Kepuasan pengiriman", "trigger": "manual"})
    assert bad.status_code == 422 and "Malay" in bad.content.decode() or bad.status_code == 422
    made = client.post("/surveys/manage/new/", {"key": "puas-kirim", "name_id": "Kepuasan pengiriman",
                                                "name_ms": "Kepuasan penghantaran", "name_en": "Delivery satisfaction",
                                                "trigger": "delivered", "delay_days": "2", "period_days": "90",
                                                "expiry_days": "7", "active": "on"})
    survey = Survey.objects.get(key="puas-kirim")
    assert made.status_code == 302 and survey.trigger == "delivered" and survey.delay_days == 2 and survey.active
    added = client.post(f"/surveys/manage/{survey.pk}/", {
        "action": "question", "q_key": "kurir", "type": "single", "text_id": "Kurir mana?", "text_ms": "Kurier mana?",
        "text_en": "Which courier?", "choices": "jne | JNE | JNE | JNE\njnt | J&T | J&T | J&T", "required": "on"})
    assert added.status_code == 302
    q = Question.objects.get(survey=survey)
    assert q.choices == [{"value": "jne", "id": "JNE", "ms": "JNE", "en": "JNE"},
                         {"value": "jnt", "id": "J&T", "ms": "J&T", "en": "J&T"}]
    one_choice = client.post(f"/surveys/manage/{survey.pk}/", {
        "action": "question", "q_key": "x", "type": "single", "text_id": "a", "text_ms": "b", "text_en": "c",
        "choices": "a | A | A | A"})
    assert one_choice.status_code == 422
    csat = Survey.objects.get(key="csat")
    refused = client.post(f"/surveys/manage/{csat.pk}/", {"action": "delete", "question_id": csat.questions.first().pk})
    assert refused.status_code == 422 and csat.questions.count() == 2


def test_api_builder_errors_are_422_with_codes(lead, agent, builtins, api_client_for):
    api = api_client_for(lead)
    missing = api.post("/api/v1/surveys", json.dumps({"key": "x1", "name": {"id": "A"}}), content_type="application/json")
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "missing_translation"
    ok = api.post("/api/v1/surveys", json.dumps({"key": "x1", "name": {"id": "A", "ms": "B", "en": "C"}}),
                  content_type="application/json")
    assert ok.status_code == 201
    dup = api.post("/api/v1/surveys", json.dumps({"key": "x1", "name": {"id": "A", "ms": "B", "en": "C"}}),
                   content_type="application/json")
    assert dup.json()["error"]["code"] == "duplicate_key"
    q = api.post(f"/api/v1/surveys/{ok.json()['id']}/questions",
                 json.dumps({"key": "nilai", "type": "rating", "max_value": 10,
                             "text": {"id": "Nilai?", "ms": "Nilai?", "en": "Score?"}}), content_type="application/json")
    assert q.status_code == 201 and q.json()["max_value"] == 10
    assert api_client_for(agent).post("/api/v1/surveys", json.dumps({"key": "x2", "name": {"id": "A", "ms": "B", "en": "C"}}),
                                      content_type="application/json").status_code == 403


def test_questions_are_reordered_in_the_builder_and_the_answer_page_follows(lead, agent, builtins, api_client_for):
    api = api_client_for(lead)
    survey = api.post("/api/v1/surveys", json.dumps({"key": "urut", "name": {"id": "A", "ms": "B", "en": "C"}}),
                      content_type="application/json").json()
    ids = [api.post(f"/api/v1/surveys/{survey['id']}/questions",
                    json.dumps({"key": key, "type": "text", "text": {"id": f"Tanya {key}", "ms": key, "en": key}}),
                    content_type="application/json").json()["id"] for key in ("satu", "dua", "tiga")]
    client = Client()
    client.force_login(lead)
    page = client.get(f"/surveys/manage/{survey['id']}/").content.decode()
    assert page.index("Tanya satu") < page.index("Tanya dua") < page.index("Tanya tiga")
    assert client.post(f"/surveys/manage/{survey['id']}/", {"action": "up", "question_id": ids[2]}).status_code == 302
    page = client.get(f"/surveys/manage/{survey['id']}/").content.decode()
    assert page.index("Tanya satu") < page.index("Tanya tiga") < page.index("Tanya dua")
    moved = api.post(f"/api/v1/surveys/{survey['id']}/questions/{ids[0]}/move", json.dumps({"direction": "down"}),
                     content_type="application/json")
    assert moved.status_code == 200 and [q["key"] for q in moved.json()] == ["tiga", "satu", "dua"]
    assert [q["position"] for q in moved.json()] == [1, 2, 3]
    # the first one cannot go further up: nothing changes, no error
    same = api.post(f"/api/v1/surveys/{survey['id']}/questions/{ids[2]}/move", json.dumps({"direction": "up"}),
                    content_type="application/json")
    assert [q["key"] for q in same.json()] == ["tiga", "satu", "dua"]
    assert list(Survey.objects.get(key="urut").questions.values_list("key", flat=True)) == ["tiga", "satu", "dua"]
    csat = Survey.objects.get(key="csat")
    fixed = api.post(f"/api/v1/surveys/{csat.pk}/questions/{csat.questions.last().pk}/move",
                     json.dumps({"direction": "up"}), content_type="application/json")
    assert fixed.status_code == 422 and fixed.json()["error"]["code"] == "builtin_survey"
    assert api_client_for(agent).post(f"/api/v1/surveys/{survey['id']}/questions/{ids[0]}/move",
                                      json.dumps({"direction": "up"}), content_type="application/json").status_code == 403
