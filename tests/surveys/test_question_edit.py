"""Editing a question's wording after it was added: its text in id/ms/en and a choice question's
choices, in the service, the builder page and ``PATCH /api/v1/surveys/{id}/questions/{qid}``.
A choice customers already picked cannot be removed; key and type never change."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.surveys import services
from tanggap.surveys.builtins import builtins_ensure
from tanggap.surveys.models import Question, SurveySend

COURIERS = [{"value": "jne", "id": "JNE", "ms": "JNE", "en": "JNE"},
            {"value": "jnt", "id": "J&T", "ms": "J&T", "en": "J&T"},
            {"value": "sicepat", "id": "SiCepat", "ms": "SiCepat", "en": "SiCepat"}]


@pytest.fixture
def survey(db):
    survey = services.survey_save(key="kurir", name={"id": "Survei kurir", "ms": "Tinjauan kurier", "en": "Courier survey"})
    services.question_add(survey=survey, key="kurir", type="single", choices=COURIERS,
                          text={"id": "Kurir mana yang dipakai?", "ms": "Kurier mana?", "en": "Which courier?"})
    services.question_add(survey=survey, key="kemasan", type="multiple", required=False,
                          choices=[{"value": "rapi", "id": "Rapi", "ms": "Kemas", "en": "Neat"},
                                   {"value": "penyok", "id": "Penyok", "ms": "Kemek", "en": "Dented"},
                                   {"value": "basah", "id": "Basah", "ms": "Basah", "en": "Wet"}],
                          text={"id": "Bagaimana kemasannya?", "ms": "Bagaimana bungkusan?", "en": "How was the packing?"})
    services.question_add(survey=survey, key="saran", type="text", required=False,
                          text={"id": "Saran Anda?", "ms": "Cadangan anda?", "en": "Your suggestion?"})
    return survey


@pytest.fixture
def send_to(make_ticket):
    """A sent survey link for a new customer; returns its token."""
    count = iter(range(100))

    def make(survey, language="id"):
        i = next(count)
        ticket = make_ticket(email=f"pelanggan{i}@example.id", language=language)
        send = SurveySend.objects.create(survey=survey, customer_id=ticket.customer_id, ticket=ticket,
                                         trigger_key=f"edit-test:{i}", status="sent", language=language,
                                         sent_at=now(), expires_at=now() + dt.timedelta(days=7))
        return send.token

    return make


def q(survey, key) -> Question:
    return survey.questions.get(key=key)


def code_of(call) -> str:
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


def test_new_wording_is_what_the_customer_reads(survey, send_to):
    services.question_update(question=q(survey, "kurir"),
                             text={"id": "Jasa kirim apa yang Anda pakai?", "ms": "Perkhidmatan kurier apa?",
                                   "en": "Which delivery service?"},
                             choices=[{**COURIERS[0], "id": "JNE Reguler"}, *COURIERS[1:],
                                      {"value": "pos", "id": "Pos Indonesia", "ms": "Pos Malaysia", "en": "Post"}])
    page = Client().get(f"/portal/s/{send_to(survey)}/").content.decode()
    assert "Jasa kirim apa yang Anda pakai?" in page and "Kurir mana yang dipakai?" not in page
    assert "JNE Reguler" in page and "Pos Indonesia" in page
    malay = Client().get(f"/portal/s/{send_to(survey, 'ms')}/").content.decode()
    assert "Perkhidmatan kurier apa?" in malay and "Pos Malaysia" in malay
    # key, type and the rest stay as added
    kurir = q(survey, "kurir")
    assert (kurir.key, kurir.type, kurir.required) == ("kurir", "single", True)


def test_text_only_leaves_the_choices_as_they_were(survey):
    services.question_update(question=q(survey, "kurir"), text={"id": "Kurir?", "ms": "Kurier?", "en": "Courier?"})
    kurir = q(survey, "kurir")
    assert kurir.text == {"id": "Kurir?", "ms": "Kurier?", "en": "Courier?"}
    assert kurir.choices == COURIERS


def test_refused_like_a_new_question(survey):
    kurir = q(survey, "kurir")
    assert code_of(lambda: services.question_update(question=kurir, text={"id": "Kurir?", "ms": "", "en": "Courier?"})) \
        == "missing_translation"
    assert code_of(lambda: services.question_update(question=kurir, choices=COURIERS[:1])) == "invalid_choices"
    assert code_of(lambda: services.question_update(question=kurir, choices=[COURIERS[0], COURIERS[0]])) \
        == "invalid_choices"
    assert code_of(lambda: services.question_update(question=q(survey, "saran"), choices=COURIERS)) == "invalid_choices"
    assert q(survey, "kurir").text["ms"] == "Kurier mana?" and q(survey, "kurir").choices == COURIERS
    csat = builtins_ensure()["csat"]
    assert code_of(lambda: services.question_update(question=csat.questions.first(),
                                                    text={"id": "a", "ms": "b", "en": "c"})) == "builtin_survey"


def test_a_choice_customers_picked_cannot_be_removed_but_can_be_relabelled(survey, send_to):
    for token, answers in ((send_to(survey), {"kurir": "jne", "kemasan": ["penyok", "basah"]}),
                           (send_to(survey), {"kurir": "jne"})):
        assert Client().post(f"/portal/s/{token}/", answers).status_code == 302
    kurir, kemasan = q(survey, "kurir"), q(survey, "kemasan")
    assert code_of(lambda: services.question_update(question=kurir, choices=COURIERS[1:])) == "choice_in_use"
    renamed = [{**COURIERS[0], "value": "jne-reg"}, *COURIERS[1:]]
    assert code_of(lambda: services.question_update(question=kurir, choices=renamed)) == "choice_in_use"
    assert code_of(lambda: services.question_update(question=kemasan, choices=[
        {"value": "rapi", "id": "Rapi", "ms": "Kemas", "en": "Neat"},
        {"value": "penyok", "id": "Penyok", "ms": "Kemek", "en": "Dented"}])) == "choice_in_use"  # "basah", in a list
    assert q(survey, "kurir").choices == COURIERS
    # a choice nobody picked goes; a picked one gets a new label; reordering is fine
    services.question_update(question=kurir, choices=[COURIERS[2], {**COURIERS[0], "id": "JNE (Reguler)"}])
    assert q(survey, "kurir").choices == [COURIERS[2], {**COURIERS[0], "id": "JNE (Reguler)"}]
    services.question_update(question=kemasan, choices=[
        {"value": "penyok", "id": "Penyok", "ms": "Kemek", "en": "Dented"},
        {"value": "basah", "id": "Basah", "ms": "Basah", "en": "Wet"}])
    assert [c["value"] for c in q(survey, "kemasan").choices] == ["penyok", "basah"]


def test_builder_page_edits_a_question(survey, send_to, lead, agent):
    client = Client()
    client.force_login(lead)
    kurir = q(survey, "kurir")
    page = client.get(f"/surveys/manage/{survey.pk}/").content.decode()
    assert 'value="Kurir mana yang dipakai?"' in page  # the edit form starts from the current text
    assert "jne | JNE | JNE | JNE" in page
    saved = client.post(f"/surveys/manage/{survey.pk}/", {
        "action": "edit", "question_id": kurir.pk, "text_id": "Pakai kurir apa?", "text_ms": "Guna kurier apa?",
        "text_en": "Which courier did you use?",
        "choices": "jne | JNE Reguler | JNE Biasa | JNE Regular\njnt | J&T | J&T | J&T"})
    assert saved.status_code == 302
    page = client.get(f"/surveys/manage/{survey.pk}/").content.decode()
    assert "Pakai kurir apa?" in page and "JNE Biasa" in page and "SiCepat" not in page
    answer_page = Client().get(f"/portal/s/{send_to(survey)}/").content.decode()
    assert "Pakai kurir apa?" in answer_page and "JNE Reguler" in answer_page

    saran = q(survey, "saran")
    assert client.post(f"/surveys/manage/{survey.pk}/", {
        "action": "edit", "question_id": saran.pk, "text_id": "Ada saran?", "text_ms": "Ada cadangan?",
        "text_en": "Any suggestion?"}).status_code == 302
    assert q(survey, "saran").text["en"] == "Any suggestion?"

    # refused: shown again with what was typed, the question's form open, nothing saved
    assert Client().post(f"/portal/s/{send_to(survey)}/", {"kurir": "jnt"}).status_code == 302
    refused = client.post(f"/surveys/manage/{survey.pk}/", {
        "action": "edit", "question_id": kurir.pk, "text_id": "Kurir pilihan?", "text_ms": "Kurier pilihan?",
        "text_en": "Chosen courier?", "choices": "jne | JNE | JNE | JNE\npos | Pos | Pos | Post"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "jnt" in page and 'value="Kurir pilihan?"' in page and f'id="question-{kurir.pk}"' in page
    assert '<details class="q-edit" open>' in page
    assert q(survey, "kurir").text["id"] == "Pakai kurir apa?"

    client.force_login(agent)
    assert client.post(f"/surveys/manage/{survey.pk}/", {
        "action": "edit", "question_id": kurir.pk, "text_id": "x", "text_ms": "x", "text_en": "x"}).status_code == 403
    assert q(survey, "kurir").text["id"] == "Pakai kurir apa?"


@pytest.mark.parametrize(("language", "summary", "save"), [
    ("id", "Ubah kata-kata", "Simpan pertanyaan"),
    ("ms", "Ubah kata-kata", "Simpan soalan"),
    ("en", "Edit the wording", "Save question"),
])
def test_edit_form_is_labelled_in_the_managers_language(survey, lead, language, summary, save):
    client = Client()
    client.force_login(lead)
    client.cookies["django_language"] = language
    page = client.get(f"/surveys/manage/{survey.pk}/", headers={"Accept-Language": language}).content.decode()
    assert f"<summary>{summary}</summary>" in page and save in page


def test_api_patch(survey, send_to, lead, agent, api_client_for):
    api = api_client_for(lead)
    kurir = q(survey, "kurir")
    url = f"/api/v1/surveys/{survey.pk}/questions/{kurir.pk}"

    def patch(body, client=api, path=url):
        return client.patch(path, json.dumps(body), content_type="application/json")

    changed = patch({"text": {"id": "Kurir apa?", "ms": "Kurier apa?", "en": "What courier?"}})
    assert changed.status_code == 200, changed.content
    assert changed.json()["text"] == {"id": "Kurir apa?", "ms": "Kurier apa?", "en": "What courier?"}
    assert changed.json()["choices"] == COURIERS and changed.json()["key"] == "kurir"
    assert api.get(f"/api/v1/surveys/{survey.pk}").json()["questions"][0]["text"]["en"] == "What courier?"

    assert Client().post(f"/portal/s/{send_to(survey)}/", {"kurir": "sicepat"}).status_code == 302
    in_use = patch({"choices": COURIERS[:2]})
    assert in_use.status_code == 422 and in_use.json()["error"]["code"] == "choice_in_use"
    ok = patch({"choices": [COURIERS[2], {**COURIERS[0], "en": "JNE Express"}]})
    assert ok.status_code == 200 and [c["value"] for c in ok.json()["choices"]] == ["sicepat", "jne"]

    missing = patch({"text": {"id": "Kurir?"}})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "missing_translation"
    retype = patch({"type": "text", "text": {"id": "a", "ms": "b", "en": "c"}})
    assert retype.status_code == 422 and retype.json()["error"]["code"] == "invalid_input"
    assert (q(survey, "kurir").type, q(survey, "kurir").text["id"]) == ("single", "Kurir apa?")

    assert patch({"text": {"id": "x", "ms": "x", "en": "x"}}, client=api_client_for(agent)).status_code == 403
    other = services.survey_save(key="lain", name={"id": "Lain", "ms": "Lain", "en": "Other"})
    wrong = patch({"text": {"id": "x", "ms": "x", "en": "x"}}, path=f"/api/v1/surveys/{other.pk}/questions/{kurir.pk}")
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "question_not_found"
    assert q(survey, "kurir").text["id"] == "Kurir apa?"
