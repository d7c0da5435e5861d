"""Reply templates fitted to the customer's mood and the ticket's situation, and similar solved
tickets beside the reply box (issue 7)."""

from __future__ import annotations

import pytest
from django.test import Client

from tanggap.conversations.models import Message
from tanggap.conversations.services import reply_send, ticket_update
from tanggap.replies import selectors
from tanggap.replies.demo import TEMPLATES
from tanggap.replies.models import Mood, ReplyTemplate
from tanggap.triage.models import MessageTriage
from tests.web.support import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):
    return {t["title"]: ReplyTemplate.objects.create(**t) for t in TEMPLATES}


def read_as(ticket, *, sentiment, score=0.0, urgency="normal", language="id"):
    """The triage reading of the ticket's latest inbound message (what the worker stores)."""
    message = ticket.messages.filter(direction="in").order_by("-created_at").first()
    MessageTriage.objects.update_or_create(message=message, defaults={
        "ticket": ticket, "sentiment": sentiment, "sentiment_score": score, "urgency": urgency,
        "language": language})
    ticket.refresh_from_db()


@pytest.mark.parametrize("sentiment,score,urgency,mood", [
    ("negative", -0.3, "urgent", Mood.ANGRY),
    ("negative", -0.8, "normal", Mood.ANGRY),
    ("negative", -0.3, "normal", Mood.WORRIED),
    ("neutral", 0.0, "urgent", Mood.WORRIED),
    ("neutral", 0.0, "normal", Mood.NEUTRAL),
    ("positive", 0.7, "normal", Mood.HAPPY),
    ("", 0.0, "normal", Mood.NEUTRAL),
])
def test_the_customers_mood_is_read_from_triage(sentiment, score, urgency, mood):
    assert selectors.mood_of(sentiment, score, urgency)[0] == mood


def test_an_angry_customer_with_a_late_parcel_gets_the_apology_first(templates, agent):
    ticket = receive(subject="Paket belum sampai!!", body="Sudah seminggu paket saya belum sampai, parah!", name="Budi")
    ticket = ticket_update(ticket=ticket, actor=agent, category="delivery")
    read_as(ticket, sentiment="negative", score=-0.7, urgency="high")
    ticket.refresh_from_db()
    found = selectors.suggestions_for(ticket, agent=agent)
    titles = [s.template.title for s in found]
    assert titles[0] == "Maaf, paket terlambat"
    assert "Tagihan ganda" not in titles and "Jawaban pertama untuk pertanyaan" not in titles  # other categories
    assert titles.index("Maaf, paket terlambat") < titles.index("Status pengiriman")  # written for calm customers
    first = found[0]
    assert first.language == "id" and first.in_customer_language
    assert first.text.startswith("Halo Budi, kami mohon maaf") and ticket.reference in first.text
    assert any("marah" in r or "angry" in r for r in first.reasons) or first.reasons


def test_a_happy_customer_gets_the_thank_you_and_not_the_apology(templates, agent):
    ticket = receive(subject="Paket sudah sampai", body="Terima kasih, paketnya sudah sampai dengan baik!")
    ticket = ticket_update(ticket=ticket, actor=agent, category="delivery")
    read_as(ticket, sentiment="positive", score=0.8)
    titles = [s.template.title for s in selectors.suggestions_for(ticket, agent=agent)]
    assert titles[0] in ("Status pengiriman", "Terima kasih atas kabar baiknya")
    assert titles.index("Status pengiriman") < titles.index("Maaf, paket terlambat")


def test_templates_come_in_the_language_the_customer_wrote_in(templates, agent):
    ticket = receive(subject="Bungkusan belum tiba", body="Bungkusan saya masih belum tiba, tolong semak.")
    ticket = ticket_update(ticket=ticket, actor=agent, category="delivery")
    read_as(ticket, sentiment="negative", score=-0.4, language="ms")
    first = selectors.suggestions_for(ticket, agent=agent)[0]
    assert first.language == "ms" and first.text.startswith("Hai Budi, kami memohon maaf")
    only_english = ReplyTemplate.objects.create(title="English only", categories=["delivery"], moods=["worried"],
                                                body_en="Hi {customer_name}, we are on it.")
    s = next(s for s in selectors.suggestions_for(ticket, agent=agent, limit=20) if s.template == only_english)
    assert (s.language, s.in_customer_language, s.text) == ("en", False, "Hi Budi, we are on it.")


def test_situations_bring_their_templates_and_first_contact_ends_with_the_first_answer(templates, agent, admin_user):
    from tanggap.incidents.services import incident_link_ticket, incident_open

    ticket = receive(subject="Ada pertanyaan", body="Apakah toko buka hari Minggu?")
    ticket = ticket_update(ticket=ticket, actor=agent, category="question")
    titles = [s.template.title for s in selectors.suggestions_for(ticket, agent=agent)]
    assert "Jawaban pertama untuk pertanyaan" in titles
    assert "Kabar gangguan yang sedang kami tangani" not in titles  # no incident: a situation template stays out
    incident = incident_open(title="Gangguan pembayaran", actor=admin_user)
    incident_link_ticket(incident=incident, ticket=ticket, actor=admin_user)
    reply_send(ticket=ticket, author=agent, body_text="Buka, jam 10 sampai 17.")
    situation = selectors.situation_of(ticket)
    assert "incident" in situation.situations and "first_contact" not in situation.situations
    titles = [s.template.title for s in selectors.suggestions_for(ticket, agent=agent, situation=situation)]
    assert titles[0] == "Kabar gangguan yang sedang kami tangani"
    assert "Jawaban pertama untuk pertanyaan" not in titles


def test_similar_solved_tickets_show_with_their_answer_and_only_those_the_agent_may_see(agent, admin_user, make_staff):
    from tanggap.accounts.services import team_get_or_create

    solved = receive(email="a@example.co.id", subject="Refund belum masuk",
                     body="Dana refund pesanan saya belum masuk ke rekening setelah seminggu.")
    reply_send(ticket=solved, author=agent, body_text="Refund diproses 3 hari kerja; sudah kami percepat.")
    ticket_update(ticket=solved, actor=agent, status="solved")
    other_team = team_get_or_create(name="Keuangan")
    hidden = receive(email="b@example.co.id", subject="Refund belum masuk ke rekening",
                     body="Dana refund belum masuk ke rekening saya setelah seminggu.")
    ticket_update(ticket=hidden, actor=admin_user, status="solved", team=other_team)
    unrelated = receive(email="c@example.co.id", subject="Ganti alamat", body="Saya mau ganti alamat pengiriman.")
    ticket_update(ticket=unrelated, actor=agent, status="solved")

    current = receive(email="d@example.co.id", subject="Refund", body="Refund saya belum masuk ke rekening, sudah seminggu.")
    found = selectors.similar_solved(user=agent, ticket=current)
    assert [s.ticket for s in found] == [solved]
    assert found[0].answer.startswith("Refund diproses 3 hari kerja")
    assert hidden in [s.ticket for s in selectors.similar_solved(user=admin_user, ticket=current)]


def test_the_reply_box_shows_the_templates_and_one_click_text(templates, agent):
    ticket = receive(subject="Paket belum sampai", body="Paket saya belum sampai juga.", name="Budi")
    ticket = ticket_update(ticket=ticket, actor=agent, category="delivery")
    read_as(ticket, sentiment="negative", score=-0.9)
    client = Client()
    client.force_login(agent)
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="reply-suggestions"' in html and "Maaf, paket terlambat" in html
    assert "reply-insert" in html and "Halo Budi, kami mohon maaf" in html


def test_customer_text_in_a_template_is_escaped(agent):
    ReplyTemplate.objects.create(title="Sapaan", body_id="Halo {customer_name}!")
    ticket = receive(name="<script>alert(1)</script>", subject="Halo", body="Halo")
    client = Client()
    client.force_login(agent)
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Halo &lt;script&gt;alert(1)&lt;/script&gt;!" in html and "<script>alert(1)" not in html


def test_managers_write_templates_and_agents_only_read_them(agent, make_staff, team):
    lead = make_staff("lina", "lead", [team])
    client = Client()
    client.force_login(lead)
    r = client.post("/replies/new/", {"title": "Sapaan", "body_id": "Halo {customer_name}", "moods": ["happy"],
                                      "active": "on"})
    assert r.status_code == 302
    t = ReplyTemplate.objects.get(title="Sapaan")
    assert t.moods == ["happy"] and t.body_id == "Halo {customer_name}"
    r = client.post("/replies/new/", {"title": "Kosong", "active": "on"})
    assert r.status_code == 200 and "at least one language" in r.content.decode().lower() or \
        "setidaknya" in r.content.decode().lower()
    assert not ReplyTemplate.objects.filter(title="Kosong").exists()
    r = client.post(f"/replies/{t.pk}/", {"title": "Sapaan hangat", "body_id": "Halo!", "active": ""})
    t.refresh_from_db()
    assert (t.title, t.active) == ("Sapaan hangat", False)

    agent_client = Client()
    agent_client.force_login(agent)
    assert agent_client.get("/replies/").status_code == 200
    assert agent_client.get("/replies/new/").status_code == 403
    assert agent_client.post(f"/replies/{t.pk}/delete/").status_code == 403
    assert client.post(f"/replies/{t.pk}/delete/").status_code == 302
    assert not ReplyTemplate.objects.exists()


def test_the_api_gives_suggestions_for_tickets_the_caller_may_see(templates, api_for, agent, make_staff, admin_user):
    from tanggap.accounts.services import team_get_or_create

    ticket = receive(subject="Paket belum sampai", body="Paket saya belum sampai.")
    ticket = ticket_update(ticket=ticket, actor=admin_user, category="delivery")
    read_as(ticket, sentiment="negative", score=-0.9)
    r = api_for(agent).get(f"/tickets/{ticket.pk}/reply-suggestions")
    assert r.status_code == 200
    assert r.body["mood"] == "angry" and r.body["language"] == "id" and "first_contact" in r.body["situations"]
    assert r.body["templates"][0]["title"] == "Maaf, paket terlambat"
    ticket = ticket_update(ticket=ticket, actor=admin_user, team=team_get_or_create(name="Keuangan"))
    assert api_for(agent).get(f"/tickets/{ticket.pk}/reply-suggestions").status_code == 404


def test_the_api_writes_templates_for_managers_only(api_for, agent, admin_user):
    body = {"title": "Sapaan", "body_en": "Hello {customer_name}", "moods": ["happy"], "situations": ["remedy"]}
    assert api_for(agent).post("/reply-templates", body).status_code == 403
    r = api_for(admin_user).post("/reply-templates", body)
    assert r.status_code == 201 and r.body["moods"] == ["happy"]
    bad = api_for(admin_user).post("/reply-templates", {**body, "moods": ["furious"]})
    assert bad.status_code == 422 and "furious" in bad.body["error"]["message"]
    r = api_for(admin_user).patch(f"/reply-templates/{r.body['id']}", {"active": False})
    assert r.status_code == 200 and r.body["active"] is False
    assert [t["title"] for t in api_for(agent).get("/reply-templates").body] == ["Sapaan"]
    assert api_for(admin_user).patch("/reply-templates/999999", {"active": True}).status_code == 404
