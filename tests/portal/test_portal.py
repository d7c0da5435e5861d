"""The customer portal: the contact form and the ticket page both go through channel intake
(moved from tests/web with the portal)."""

from __future__ import annotations

import json

import pytest

from tanggap.channels.models import InboundRaw
from tanggap.conversations.models import Message, Ticket
from tests.web.support import receive

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Siti Aminah", "email": "Siti@Example.com", "subject": "Barang rusak",
           "message": "Botolnya pecah saat diterima.", "website": ""}


def test_the_contact_form_stores_the_message_through_intake(client):
    response = client.post("/portal/contact/", CONTACT)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/t/{ticket.access_key}/"
    assert (ticket.subject, ticket.channel.kind, ticket.initiated_by) == ("Barang rusak", "web", "customer")
    assert (ticket.customer.name, ticket.customer.language) == ("Siti Aminah", "id")
    assert list(ticket.customer.identities.values_list("kind", "value")) == [("email", "siti@example.com")]
    raw = InboundRaw.objects.get()
    payload = json.loads(bytes(raw.body))
    assert (raw.status, raw.source, raw.channel.kind) == ("processed", "api", "web")
    assert {k: payload[k] for k in ("channel", "from", "subject", "body")} == {
        "channel": "web", "from": {"email": "Siti@Example.com", "name": "Siti Aminah"},
        "subject": "Barang rusak", "body": "Botolnya pecah saat diterima."}
    assert len(payload["external_id"]) == 36
    page = client.get(response["Location"]).content.decode()
    assert "Botolnya pecah saat diterima." in page
    assert f'<span class="ref">{ticket.reference}</span>' in page


def test_the_contact_form_records_the_portal_language_for_the_customer(client):
    client.post("/i18n/setlang/", {"language": "ms", "next": "/portal/contact/"})
    client.post("/portal/contact/", CONTACT)
    assert Ticket.objects.get().customer.language == "ms"


def test_the_contact_form_needs_a_valid_email(client):
    response = client.post("/portal/contact/", {**CONTACT, "email": "bukan-email"})
    assert response.status_code == 400
    assert "Masukkan alamat email yang valid." in response.content.decode()
    assert not InboundRaw.objects.exists()


def test_the_honeypot_stops_bots_without_storing_anything(client):
    response = client.post("/portal/contact/", {**CONTACT, "website": "http://spam.example"})
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    assert not InboundRaw.objects.exists()
    assert not Ticket.objects.exists()


def test_the_contact_form_is_csrf_protected(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/portal/contact/", CONTACT).status_code == 403
    assert not Ticket.objects.exists()


def test_a_customer_message_on_the_portal_threads_into_the_same_ticket(client, agent):
    ticket = receive(channel="web", subject="Refund belum masuk", email="siti@example.com")
    response = client.post(f"/portal/t/{ticket.access_key}/", {"message": "Sudah 5 hari.", "website": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/portal/t/{ticket.access_key}/"
    added = Message.objects.filter(ticket=ticket).latest("id")
    assert (added.body_text, added.direction, added.channel_kind, added.subject) == (
        "Sudah 5 hari.", "in", "web", f"[{ticket.reference}] Refund belum masuk")
    assert Ticket.objects.count() == 1
    assert "Sudah 5 hari." in client.get(response["Location"]).content.decode()


def test_a_portal_message_reopens_a_solved_ticket(client, agent):
    from tanggap.conversations import services

    ticket = receive(channel="web", email="siti@example.com")
    services.ticket_update(ticket=ticket, actor=agent, status="solved")
    client.post(f"/portal/t/{ticket.access_key}/", {"message": "Masih belum beres.", "website": ""})
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


def test_an_empty_portal_message_is_a_form_error(client):
    ticket = receive(channel="web")
    response = client.post(f"/portal/t/{ticket.access_key}/", {"message": "  ", "website": ""})
    assert response.status_code == 400
    assert ticket.messages.count() == 1


@pytest.mark.parametrize("language, button", [("id", "Kirim pesan"), ("ms", "Hantar mesej"), ("en", "Send message")])
def test_the_portal_speaks_three_languages(client, language, button):
    client.post("/i18n/setlang/", {"language": language, "next": "/portal/contact/"})
    body = client.get("/portal/contact/").content.decode()
    assert f'<button type="submit" class="btn btn-primary">{button}</button>' in body
    assert f'<html lang="{language}">' in body
