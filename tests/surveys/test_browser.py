"""In Chromium: a customer answers a CSAT survey in Indonesian from the link in the message we
sent, then sees thanks (and only thanks on a second visit); a lead looks at the results page
(screenshots in test-results/, a reviewed copy in docs/img/surveys-results.png)."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from playwright.sync_api import expect

from tanggap.common.clock import now
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import ticket_update
from tanggap.surveys import scoring
from tanggap.surveys.builtins import builtins_ensure
from tanggap.surveys.models import SurveyResponse, SurveySend
from tanggap.surveys.services import surveys_tick
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, screenshot_path  # noqa: F401
from tests.surveys.conftest import token_in
from tests.web.support import receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_customer_answers_a_survey_in_indonesian(page, live_server, agent, team, screenshot_path):
    builtins_ensure()
    ticket = receive(email="rina@example.id", name="Rina", subject="Paket belum sampai")
    ticket_update(ticket=ticket, actor=agent, team=team, assignee=agent)
    ticket_update(ticket=ticket, actor=agent, status="solved")  # after commit: the CSAT survey is scheduled
    assert surveys_tick()["sent"] == 1
    send = SurveySend.objects.get()
    link = f"{live_server.url}/portal/s/{token_in(Message.objects.get(pk=send.message_id))}/"

    page.goto(link)
    expect(page.get_by_role("heading", name="Kepuasan pelanggan (CSAT)")).to_be_visible()
    expect(page.get_by_text("Seberapa puas Anda dengan layanan kami?")).to_be_visible()
    page.get_by_label("4").check()
    page.fill("textarea[name=comment]", "Cepat dibalas, <b>terima kasih</b>!")
    page.screenshot(path=screenshot_path("surveys-answer.png"), full_page=True)
    page.get_by_role("button", name="Kirim jawaban saya").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    response = SurveyResponse.objects.get()
    assert (response.score, response.answers["comment"]) == (4, "Cepat dibalas, <b>terima kasih</b>!")
    page.goto(link)  # answered once: the page only thanks
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    expect(page.locator("form#survey-answer")).to_have_count(0)


def test_lead_reads_the_results_page(page, live_server, make_staff, team, screenshot_path):
    csat = builtins_ensure()["csat"]
    lead = make_staff("lina", "lead", [team])
    team.lead = lead
    team.save()
    agents = [make_staff(name, "agent", [team]) for name in ("sari", "joko", "dewi")]
    rng = random.Random(6)
    at = now()
    tickets = [receive(email=f"c{i}@example.id", name=f"Pelanggan {i}", subject="Tanya") for i in range(3)]
    answered = 0
    for i in range(120):
        agent = agents[i % 3]
        sent_at = at - dt.timedelta(days=rng.randint(1, 70), hours=rng.randint(0, 20))
        channel = ("email", "whatsapp", "instagram")[rng.randint(0, 2)]
        send = SurveySend.objects.create(
            survey=csat, customer_id=tickets[i % 3].customer_id, ticket=tickets[i % 3], trigger_key=f"shot:{i}",
            status="sent", sent_at=sent_at, expires_at=sent_at + dt.timedelta(days=14), agent=agent, team=team,
            channel_kind=channel, category=("delivery", "defect", "billing")[i % 3])
        if rng.random() < 0.6:
            bias = (0.8, 0.3, -0.5)[i % 3]
            score = max(1, min(5, round(rng.gauss(3.9 + bias, 0.9))))
            SurveySend.objects.filter(pk=send.pk).update(status="answered")
            SurveyResponse.objects.create(send=send, survey=csat, kind="csat", score=score, answers={"score": score},
                                          low=scoring.is_low("csat", score, None),
                                          answered_at=sent_at + dt.timedelta(hours=3))
            answered += 1
    page.goto(f"{live_server.url}/surveys/")
    page.fill("#id_username", "lina")
    page.fill("#id_password", "rahasia-123")
    page.get_by_role("button", name=re.compile("Masuk")).click()
    expect(page.get_by_role("heading", name="Hasil survei")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_role("heading", name="Per agen")).to_be_visible()
    scores = list(SurveyResponse.objects.values_list("score", flat=True))
    expect(page.locator("#survey-score")).to_have_text(f"{scoring.csat(scores):.0%}")
    page.screenshot(path=screenshot_path("surveys-results.png"), full_page=True)
    assert answered > 50
