"""One-time email sign-in, with a real SMTP server: the link arrives, signs in once, expires
after 15 minutes, and an unknown address gets the same answer and no email."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tanggap.channels.lookup import channel_for
from tanggap.portal.models import LoginLink
from tanggap.portal.services import token_hash
from tests.web.support import receive

pytestmark = [pytest.mark.django_db, pytest.mark.servers]

T0 = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)
LINK = re.compile(r"https?://[^\s/]+(/portal/login/[A-Za-z0-9_-]{43}/)")


@pytest.fixture
def mail(smtp_sink, settings):
    """The email channel pointed at the SMTP sink, as the email tests configure it."""
    for name, value in smtp_sink.django_settings().items():
        setattr(settings, name, value)
    channel = channel_for(kind="email")
    channel.from_address = "cs@toko.test"
    channel.save()
    return smtp_sink


@pytest.fixture
def siti(db):
    return receive(subject="Blender mati", email="siti@example.com", name="Siti Aminah", body="Blender saya mati.")


def ask(client, address: str, django_capture_on_commit_callbacks):
    """Post the sign-in form, then let the worker run what it enqueued (the real task path)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/login/", {"email": address, "website": ""})
    call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)
    return response


def link_in(message) -> str:
    text = message.message.get_body(("plain",)).get_content()
    match = LINK.search(text)
    assert match, text
    return match.group(1)


def test_a_known_address_gets_a_link_that_signs_in_once(client, mail, siti, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        response = ask(client, "  Siti@Example.COM ", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Periksa kotak masuk Anda" in response.content.decode()
    assert len(mail.messages) == 1
    sent = mail.messages[0]
    assert sent.rcpt_tos == ["siti@example.com"]
    assert sent.mail_from == "cs@toko.test"
    assert sent.message["Subject"] == "Tautan masuk Anda"
    body = sent.message.get_body(("plain",)).get_content()
    assert "Halo Siti Aminah," in body
    assert "15 menit" in body
    path = link_in(sent)
    token = path.split("/")[-2]
    link = LoginLink.objects.get()
    assert (link.status, link.token_hash, link.customer_id) == ("sent", token_hash(token), siti.customer_id)
    assert token not in str(LoginLink.objects.values().get())  # only the hash is stored

    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        # following the link only shows a button: a mail scanner's GET uses nothing up
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200
        planted = client.session.session_key  # e.g. a session id an attacker fixed in this browser
        response = client.post(path)
        assert response.status_code == 302
        assert response["Location"] == "/portal/tickets/"
        assert client.cookies["sessionid"].value != planted  # the session key was cycled
        listing = client.get("/portal/tickets/").content.decode()
        assert "Blender mati" in listing
        assert f"/portal/t/{siti.access_key}/" in listing

        other = Client()
        assert other.get(path).status_code == 410
        again = other.post(path)
        assert again.status_code == 410
        assert "Tautan ini sudah tidak berlaku" in again.content.decode()
        assert other.get("/portal/tickets/")["Location"] == "/portal/login/"


def test_the_link_expires_after_15_minutes(client, mail, siti, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    path = link_in(mail.messages[0])
    with time_machine.travel(T0 + dt.timedelta(minutes=14, seconds=59), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(T0 + dt.timedelta(minutes=15, seconds=1), tick=False):
        assert client.get(path).status_code == 410
        assert client.post(path).status_code == 410
        assert client.get("/portal/tickets/")["Location"] == "/portal/login/"


def test_an_unknown_address_gets_the_same_page_and_no_email(client, mail, siti, django_capture_on_commit_callbacks):
    known = ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    unknown = ask(Client(), "nobody@example.com", django_capture_on_commit_callbacks)
    assert (known.status_code, unknown.status_code) == (200, 200)

    def visible(response) -> str:
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return text.replace("siti@example.com", "ADDRESS").replace("nobody@example.com", "ADDRESS")

    assert visible(known) == visible(unknown)
    assert [m.rcpt_tos for m in mail.messages] == [["siti@example.com"]]
    assert sorted(LoginLink.objects.values_list("status", flat=True)) == ["sent", "unknown"]
    assert LoginLink.objects.get(status="unknown").token_hash is None


def test_an_address_may_ask_five_times_an_hour(client, mail, siti, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        pages = [ask(client, "siti@example.com", django_capture_on_commit_callbacks) for _ in range(7)]
    assert {p.status_code for p in pages} == {200}
    assert len(mail.messages) == 5
    with time_machine.travel(T0 + dt.timedelta(minutes=61), tick=False):
        ask(client, "SITI@example.com", django_capture_on_commit_callbacks)
    assert len(mail.messages) == 6


def test_the_email_speaks_the_portal_language(client, mail, siti, django_capture_on_commit_callbacks):
    client.post("/i18n/setlang/", {"language": "ms", "next": "/portal/login/"})
    response = ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    assert "Semak peti masuk anda" in response.content.decode()
    sent = mail.messages[0].message
    assert sent["Subject"] == "Pautan log masuk anda"
    assert "15 minit" in sent.get_body(("plain",)).get_content()


def test_signing_in_with_one_link_retires_the_older_ones(client, mail, siti, django_capture_on_commit_callbacks):
    ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    first, second = (link_in(m) for m in mail.messages)
    assert client.post(second).status_code == 302
    assert Client().post(first).status_code == 410


def test_a_bad_address_is_a_form_error_and_sends_nothing(client, mail, django_capture_on_commit_callbacks):
    response = ask(client, "bukan-email", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Masukkan alamat email yang valid." in response.content.decode()
    assert not LoginLink.objects.exists()
    assert mail.messages == []


def test_a_portal_session_is_not_a_staff_login(client, mail, siti, django_capture_on_commit_callbacks):
    ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    client.post(link_in(mail.messages[0]))
    assert client.get("/inbox/").status_code == 302
    assert client.get("/inbox/")["Location"].startswith("/login/")
    assert client.get(f"/tickets/{siti.pk}/").status_code == 302


def test_signing_out_ends_the_portal_session(client, mail, siti, django_capture_on_commit_callbacks):
    ask(client, "siti@example.com", django_capture_on_commit_callbacks)
    client.post(link_in(mail.messages[0]))
    assert client.get("/portal/tickets/").status_code == 200
    assert "Keluar" in client.get("/portal/tickets/").content.decode()
    response = client.post("/portal/logout/")
    assert response["Location"] == "/portal/login/"
    assert client.get("/portal/tickets/")["Location"] == "/portal/login/"
    assert client.get("/portal/logout/").status_code == 405


def test_the_login_forms_are_csrf_protected(siti):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/portal/login/", {"email": "siti@example.com"}).status_code == 403
    assert not LoginLink.objects.exists()
