"""The tokenized answer page: answered once with the right token, in the customer's language;
wrong and expired tokens refused; answering records the journey event and publishes the event;
a low score opens a service-recovery task with a working-hours deadline."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client

from tanggap.conversations.models import Ticket
from tanggap.events import names
from tanggap.events.bus import subscribe
from tanggap.journeys.models import JourneyEvent
from tanggap.notifications.models import Notification
from tanggap.surveys.models import RecoveryTask, SurveyResponse, SurveySend
from tests.surveys.conftest import activate, only

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def sent(builtins, make_ticket, solve, tick):
    """Send a built-in survey about a solved ticket; returns the send."""

    def make(key="csat", **ticket_kwargs):
        if key != "csat":
            activate("csat", active=False)
            activate(key, trigger="ticket_solved")
        solve(make_ticket(**ticket_kwargs))
        tick()
        return only(key, status="sent").get()

    return make


def test_customer_answers_once_then_sees_thanks(sent, django_capture_on_commit_callbacks):
    send = sent()
    client = Client()
    page = client.get(f"/portal/s/{send.token}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Seberapa puas Anda dengan layanan kami?" in body and 'lang="id"' in body.lower() or "Seberapa puas" in body
    published = []
    subscribe(names.SURVEY_ANSWERED)(lambda e: published.append(e.data))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/portal/s/{send.token}/", {"score": "5", "comment": "Cepat sekali, terima kasih!"})
    assert answer.status_code == 302
    thanks = client.get(answer["Location"])
    assert "Terima kasih" in thanks.content.decode()
    response = SurveyResponse.objects.get(send=send)
    assert (response.score, response.low, response.answers["comment"]) == (5, False, "Cepat sekali, terima kasih!")
    assert SurveySend.objects.get(pk=send.pk).status == "answered"
    event = JourneyEvent.objects.get(kind="survey_answered")
    assert event.customer_id == send.customer_id and event.data["score"] == 5
    assert any(d["survey_response_id"] == response.pk and d["score"] == 5 for d in published)
    # A second answer changes nothing.
    again = client.post(f"/portal/s/{send.token}/", {"score": "1"})
    assert again.status_code == 200 and "Terima kasih" in again.content.decode()
    assert SurveyResponse.objects.get(send=send).score == 5
    assert not RecoveryTask.objects.exists()


def test_page_in_malay_for_a_malay_customer(sent):
    send = sent(email="aminah@contoh.my", language="ms")
    body = Client().get(f"/portal/s/{send.token}/").content.decode()
    assert "Sejauh manakah anda berpuas hati dengan perkhidmatan kami?" in body


def test_wrong_token_is_404_and_expired_token_says_so(sent):
    send = sent()
    client = Client()
    assert client.get("/portal/s/not-a-real-token-at-all/").status_code == 404
    assert client.post("/portal/s/not-a-real-token-at-all/", {"score": "5"}).status_code == 404
    with time_machine.travel(send.expires_at + dt.timedelta(minutes=1), tick=False):
        page = client.get(f"/portal/s/{send.token}/")
        assert page.status_code == 410 and "kedaluwarsa" in page.content.decode()
        assert client.post(f"/portal/s/{send.token}/", {"score": "5"}).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_scheduled_survey_token_does_not_work_yet(builtins, make_ticket, solve):
    solve(make_ticket())
    send = only("csat").get()  # scheduled, not sent
    assert Client().get(f"/portal/s/{send.token}/").status_code == 404


def test_invalid_answers_are_refused_and_nothing_is_stored(sent):
    send = sent()
    client = Client()
    missing = client.post(f"/portal/s/{send.token}/", {"comment": "tanpa nilai"})
    assert missing.status_code == 422 and "survey-error" in missing.content.decode()
    out_of_range = client.post(f"/portal/s/{send.token}/", {"score": "9"})
    assert out_of_range.status_code == 422
    assert not SurveyResponse.objects.exists() and SurveySend.objects.get(pk=send.pk).status == "sent"


def test_outcome_survey_maps_two_answers_to_an_outcome(sent):
    send = sent("outcome")
    client = Client()
    body = client.get(f"/portal/s/{send.token}/").content.decode()
    assert "Bagaimana perasaan Anda terhadap petugas yang menanggapi Anda?" in body
    client.post(f"/portal/s/{send.token}/", {"satisfaction": "fully", "feeling": "neutral"})
    assert SurveyResponse.objects.get(send=send).outcome == 2


def test_low_score_opens_recovery_task_due_in_four_working_hours(sent, agent, django_capture_on_commit_callbacks):
    send = sent()
    ticket = Ticket.objects.get(pk=send.ticket_id)
    assert ticket.status == "solved"
    monday_3pm = dt.datetime(2026, 11, 23, 15, 0, tzinfo=JKT)
    with time_machine.travel(monday_3pm, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(f"/portal/s/{send.token}/", {"score": "2", "comment": "<script>alert(1)</script> lambat"})
    task = RecoveryTask.objects.get()
    # 15:00-17:00 Monday, then 08:00-10:00 Tuesday (calendar Mon-Fri 08-12, 13-17).
    assert task.due_at == dt.datetime(2026, 11, 24, 10, 0, tzinfo=JKT)
    assert task.assignee == agent and task.ticket_id == ticket.pk
    assert Ticket.objects.get(pk=ticket.pk).status == "open"  # reopened
    note = Notification.objects.get(user=agent, kind="survey_low")
    assert f"TG-{ticket.pk:06d}" in note.text
    # Shown on the ticket, the comment as text, never as HTML.
    client = Client()
    client.force_login(agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "survey-panel" in page and "CSAT 2/5" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; lambat" in page


def test_overdue_recovery_visible_to_the_lead_and_done_by_the_agent(sent, agent, lead, make_staff):
    send = sent()
    Client().post(f"/portal/s/{send.token}/", {"score": "1"})
    task = RecoveryTask.objects.get()
    client = Client()
    client.force_login(lead)
    with time_machine.travel(task.due_at + dt.timedelta(hours=1)):
        page = client.get("/surveys/recovery/").content.decode()
        assert f"task-{task.pk}" in page and "Terlambat" in page
    other = make_staff("tono", "agent", [])
    client.force_login(other)
    assert client.post(f"/surveys/recovery/{task.pk}/done/").status_code == 404
    client.force_login(agent)
    assert client.post(f"/surveys/recovery/{task.pk}/done/").status_code == 302
    assert RecoveryTask.objects.get().done_by == agent
