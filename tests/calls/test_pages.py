"""Logging a call in the console: the customer page's and the ticket page's panels, their real
forms posted through the Django test client, and the errors an agent reads (id, ms, en)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tanggap.calls.models import Call
from tanggap.conversations.models import Message, Ticket, TimelineEntry
from tests.calls.conftest import receive_message

pytestmark = pytest.mark.django_db


def login(user, language: str = "") -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def form_fields(html: str, action: str) -> dict:
    """The named fields of the form posting to ``action``, with the values the page put in them."""
    form = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(action), html, re.S)
    assert form, f"no form posting to {action}"
    body = form.group(1)
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body):
        if name not in fields:
            fields[name] = value
    for name, inner in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', inner)
        fields[name] = chosen.group(1) if chosen else ""
    checked = re.findall(r'<input[^>]*name="direction"[^>]*value="([^"]*)"[^>]*checked', body)
    if checked:
        fields["direction"] = checked[0]
    fields.pop("csrfmiddlewaretoken", None)
    return fields


@pytest.fixture
def known(db):
    return receive_message(external_id="sms-1", phone="0812-3456-7890", body="Paket saya belum sampai.")


def test_the_customer_page_offers_the_form_with_the_number_prefilled(agent, known):
    customer = known.ticket.customer
    page = login(agent).get(f"/customers/{customer.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="calls-panel"' in html
    fields = form_fields(html, f"/calls/customers/{customer.pk}/log/")
    assert fields["number"] == "+6281234567890"
    assert fields["ticket"] == str(known.ticket.pk)  # the open ticket is preselected
    assert fields["direction"] == "in" and fields["outcome"] == "answered"


def test_logging_from_the_customer_page_puts_the_call_on_the_chosen_ticket(agent, known):
    customer = known.ticket.customer
    client = login(agent)
    fields = form_fields(client.get(f"/customers/{customer.pk}/").content.decode(),
                         f"/calls/customers/{customer.pk}/log/")
    response = client.post(f"/calls/customers/{customer.pk}/log/",
                           {**fields, "duration": "3:20", "notes": "Menanyakan resi pengiriman."})
    assert response.status_code == 302 and response.url == f"/customers/{customer.pk}/"
    call = Call.objects.get()
    assert (call.ticket_id, call.direction, call.duration_seconds, call.agent_id) == (known.ticket.pk, "in", 200, agent.pk)
    message = call.message
    assert (message.ticket_id, message.direction, message.channel_kind, message.author_id) == (known.ticket.pk, "in", "phone", agent.pk)
    assert "Menanyakan resi pengiriman." in message.body_text
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Menanyakan resi pengiriman." in page and f"Panggilan dicatat di {known.ticket.reference}" in page


def test_a_call_about_a_new_problem_opens_a_ticket_named_by_the_notes(agent, known):
    customer = known.ticket.customer
    client = login(agent)
    fields = form_fields(client.get(f"/customers/{customer.pk}/").content.decode(),
                         f"/calls/customers/{customer.pk}/log/")
    response = client.post(f"/calls/customers/{customer.pk}/log/", {
        **fields, "direction": "out", "outcome": "answered", "duration": "5", "new_ticket": "on",
        "notes": "Voucher ulang tahun tidak bisa dipakai\nPelanggan mencoba dua kali di aplikasi."})
    assert response.status_code == 302
    new = Ticket.objects.exclude(pk=known.ticket.pk).get()
    assert new.subject == "Voucher ulang tahun tidak bisa dipakai"
    assert (new.initiated_by, new.channel.kind, new.customer_id) == ("company", "phone", customer.pk)
    assert Call.objects.get().ticket_id == new.pk and Call.objects.get().duration_seconds == 300
    assert list(TimelineEntry.objects.filter(ticket=new).order_by("id").values_list("kind", "initiated_by"))[:2] == [
        ("ticket.opened", "company"), ("message.out", "company")]


def test_logging_from_the_ticket_page(agent, known):
    client = login(agent)
    ticket = known.ticket
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="calls-panel"' in html
    fields = form_fields(html, f"/calls/tickets/{ticket.pk}/log/")
    assert fields["number"] == "+6281234567890" and "ticket" not in fields and "new_ticket" not in fields
    response = client.post(f"/calls/tickets/{ticket.pk}/log/", {**fields, "direction": "out", "outcome": "missed",
                                                                "duration": "", "notes": "Tidak diangkat."})
    assert response.status_code == 302 and response.url == f"/tickets/{ticket.pk}/"
    message = Message.objects.get(channel_kind="phone")
    assert (message.direction, message.initiated_by, message.ticket_id) == ("out", "company", ticket.pk)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Tidak diangkat." in page  # on the thread and in the panel
    ticket.refresh_from_db()
    assert ticket.waiting_since is not None  # a missed call answers nobody


CASES = [
    ({"number": "bukan nomor"}, "number", "Ini bukan nomor telepon", "Ini bukan nombor telefon", "This is not a phone number"),
    ({"duration": "", "outcome": "answered"}, "duration", "Panggilan yang dijawab perlu durasinya",
     "Panggilan yang dijawab memerlukan tempohnya", "An answered call needs its duration"),
    ({"duration": "2:00", "outcome": "missed"}, "duration", "tidak punya waktu bicara", "tiada masa bercakap",
     "has no talk time"),
    ({"duration": "dua menit"}, "duration", "Tulis durasi", "Tulis tempoh", "Write the duration"),
    ({"new_ticket": "on", "notes": ""}, "notes", "perlu catatan", "memerlukan catatan", "needs notes"),
]


@pytest.mark.parametrize("language", ["id", "ms", "en"])
@pytest.mark.parametrize("change, field, text_id, text_ms, text_en", CASES)
def test_invalid_input_is_shown_beside_the_field_in_the_agents_language(agent, known, language, change, field,
                                                                         text_id, text_ms, text_en):
    customer = known.ticket.customer
    client = login(agent, language)
    fields = form_fields(client.get(f"/customers/{customer.pk}/").content.decode(),
                         f"/calls/customers/{customer.pk}/log/")
    response = client.post(f"/calls/customers/{customer.pk}/log/", {**fields, "duration": "1:00", **change})
    assert response.status_code == 400
    html = response.content.decode()
    expected = {"id": text_id, "ms": text_ms, "en": text_en}[language]
    assert expected in html
    assert re.search(r'field-invalid">\s*<label for="id_%s"' % field, html)
    assert not Call.objects.exists() and not Message.objects.filter(channel_kind="phone").exists()


def test_no_ticket_and_no_new_problem_is_refused(agent, db):
    from tanggap.conversations.services import ticket_update

    known = receive_message(external_id="sms-2", phone="0812-1111-2222")
    ticket_update(ticket=known.ticket, actor=agent, status="solved")
    customer = known.ticket.customer
    response = login(agent).post(f"/calls/customers/{customer.pk}/log/", {
        "direction": "in", "number": "0812-1111-2222", "outcome": "answered", "duration": "1:00", "ticket": ""})
    assert response.status_code == 400
    assert "Pilih tiket yang dibicarakan" in response.content.decode()
    assert not Call.objects.exists()


def test_an_agent_cannot_log_on_another_teams_ticket(agent, make_staff, known):
    from tanggap.accounts.services import team_get_or_create
    from tanggap.conversations.services import ticket_update

    other = team_get_or_create(name="Pembayaran")
    ticket_update(ticket=known.ticket, actor=None, team=other)
    client = login(agent)
    data = {"direction": "in", "number": "08123456789", "outcome": "answered", "duration": "1:00"}
    assert client.post(f"/calls/tickets/{known.ticket.pk}/log/", data).status_code == 404
    # nor by naming it on the customer page's form
    customer = known.ticket.customer
    response = client.post(f"/calls/customers/{customer.pk}/log/", {**data, "ticket": str(known.ticket.pk)})
    assert response.status_code == 400 and not Call.objects.exists()
    # the admin may; the customer page then lists that call to the admin, not to the agent
    admin = make_staff("bos", "admin")
    assert login(admin).post(f"/calls/tickets/{known.ticket.pk}/log/", data).status_code == 302
    call = Call.objects.get()
    assert f'id="call-{call.pk}"' in login(admin).get(f"/customers/{customer.pk}/").content.decode()
    assert f'id="call-{call.pk}"' not in client.get(f"/customers/{customer.pk}/").content.decode()


def test_not_staff_cannot_log_calls(known, django_user_model):
    user = django_user_model.objects.create_user("tamu", password="x")
    assert login(user).post(f"/calls/tickets/{known.ticket.pk}/log/", {}).status_code == 403
    assert Client().get(f"/calls/customers/{known.ticket.customer_id}/log/").status_code == 302


def test_a_ticket_a_call_opened_is_answered_in_writing_on_whatsapp(agent):
    """A call about a new problem opens a phone ticket; the agent's written reply goes out on
    WhatsApp to the caller's number (a phone ticket has no written channel of its own)."""
    from tanggap.calls.services import call_log
    from tanggap.conversations.services import reply_send

    t = receive_message(external_id="wa-call-1", phone="+6281234567890")
    call = call_log(actor=agent, customer=t.ticket.customer, direction="in", number="0812-3456-7890",
                    outcome="answered", duration_seconds=95, notes="Kompor tidak menyala setelah dipasang",
                    new_ticket=True)
    reply = reply_send(ticket=call.ticket, author=agent, body_text="Teknisi kami datang besok pukul 10.")
    assert (reply.channel_kind, reply.recipient) == ("whatsapp", "+6281234567890")
