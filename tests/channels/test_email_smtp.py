"""send_email against a real SMTP server (aiosmtpd, fixture ``smtp_sink``) and real sockets."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

import pytest

from tanggap.channels.adapters.base import OutboundEnvelope, SendError, SendResult, get_adapter
from tanggap.channels.adapters.email import EmailAdapter, smtp
from tanggap.channels.adapters.email.parse import parse_email
from tests.fixtures.net import free_port

pytestmark = pytest.mark.servers


@dataclass
class EmailChannel:
    kind: str = "email"
    slug: str = "email"
    secret: str = ""
    verify_token: str = ""
    send_url: str = ""
    send_token: str = ""
    from_address: str = "cs@tanggap.test"
    config: dict = field(default_factory=dict)


CHANNEL = EmailChannel()


@pytest.fixture
def sink(smtp_sink, settings):
    for name, value in smtp_sink.django_settings().items():
        setattr(settings, name, value)
    return smtp_sink


def _envelope(**overrides) -> OutboundEnvelope:
    values = {
        "to": "customer@example.com",
        "subject": "Re: [TG-000042] Pesanan belum sampai",
        "body_text": "Halo Kak, paket sudah dikirim ulang.",
        "message_id": "<tg.42.abc@tanggap.test>",
    }
    return OutboundEnvelope(**{**values, **overrides})


def test_reply_arrives_with_threading_headers_and_attachment(sink):
    envelope = _envelope(
        body_html="<p>Halo Kak, paket sudah <b>dikirim ulang</b>.</p>",
        in_reply_to="<cust-2@example.com>",
        references=["<cust-1@example.com>", "<cust-2@example.com>"],
        attachments=[("resi.pdf", "application/pdf", b"%PDF-1.4 resi 123")],
    )

    result = smtp.send_email(CHANNEL, envelope)

    assert result == SendResult(provider_id="<tg.42.abc@tanggap.test>")
    [mail] = sink.messages
    assert (mail.mail_from, mail.rcpt_tos) == ("cs@tanggap.test", ["customer@example.com"])
    message = mail.message
    assert message["Message-ID"] == "<tg.42.abc@tanggap.test>"
    assert message["In-Reply-To"] == "<cust-2@example.com>"
    assert message["References"] == "<cust-1@example.com> <cust-2@example.com>"
    assert message["Subject"] == "Re: [TG-000042] Pesanan belum sampai"
    assert message["From"] == "cs@tanggap.test"
    plain, html = message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
    assert plain.rstrip("\n") == "Halo Kak, paket sudah dikirim ulang."
    assert html.rstrip("\n") == "<p>Halo Kak, paket sudah <b>dikirim ulang</b>.</p>"
    [attachment] = list(message.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("resi.pdf", b"%PDF-1.4 resi 123")


def test_sent_mail_parses_back_as_a_threaded_message(sink):
    smtp.send_email(CHANNEL, _envelope(in_reply_to="<cust-2@example.com>", references=["<cust-1@example.com>"]))

    parsed = parse_email(sink.messages[0].raw)

    assert parsed.external_id == "<tg.42.abc@tanggap.test>"
    assert parsed.in_reply_to == "<cust-2@example.com>"
    assert parsed.references == ["<cust-1@example.com>", "<cust-2@example.com>"]  # In-Reply-To joins References
    assert parsed.body_text == "Halo Kak, paket sudah dikirim ulang."


def test_message_id_is_generated_on_the_from_domain_when_missing(sink):
    result = smtp.send_email(CHANNEL, _envelope(message_id=""))

    assert result.provider_id.startswith("<") and result.provider_id.endswith("@tanggap.test>")
    assert sink.messages[0].message["Message-ID"] == result.provider_id


def test_newlines_in_the_subject_cannot_inject_headers(sink):
    smtp.send_email(CHANNEL, _envelope(subject="Halo\r\nBcc: victim@example.com"))

    [mail] = sink.messages
    assert mail.rcpt_tos == ["customer@example.com"]
    assert mail.message["Subject"] == "Halo Bcc: victim@example.com"
    assert mail.message["Bcc"] is None


def test_permanent_recipient_refusal_is_not_retryable(sink):
    sink.refuse("gone@example.com", "550 5.1.1 No such user here")

    with pytest.raises(SendError) as caught:
        smtp.send_email(CHANNEL, _envelope(to="gone@example.com"))

    assert caught.value.retryable is False
    assert str(caught.value) == "Recipient refused: gone@example.com: 550 5.1.1 No such user here"
    assert sink.messages == []


def test_temporary_recipient_refusal_is_retryable(sink):
    sink.refuse("busy@example.com", "450 4.2.1 Mailbox busy, try later")

    with pytest.raises(SendError) as caught:
        smtp.send_email(CHANNEL, _envelope(to="busy@example.com"))

    assert caught.value.retryable is True


def test_closed_port_is_retryable(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    with pytest.raises(SendError) as caught:
        smtp.send_email(CHANNEL, _envelope())

    assert caught.value.retryable is True
    assert str(caught.value).startswith("SMTP connection failed: ConnectionRefusedError")


@pytest.mark.timeout(20)
def test_silent_server_times_out_and_is_retryable(settings):
    with socket.socket() as silent:  # accepts the TCP connection, never sends a greeting
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        started = time.monotonic()

        with pytest.raises(SendError) as caught:
            smtp.send_email(CHANNEL, _envelope())

    assert caught.value.retryable is True
    assert time.monotonic() - started < 10


def test_a_timeout_is_always_set(settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    settings.EMAIL_TIMEOUT = None
    seen = {}

    def recording_backend(**kwargs):
        seen.update(kwargs)
        return EmailBackend(**kwargs)

    monkeypatch.setattr(smtp, "SmtpBackend", recording_backend)

    smtp.send_email(CHANNEL, _envelope())

    assert seen == {"fail_silently": False, "timeout": 15}


def test_smtp_is_used_even_when_the_default_backend_is_locmem(smtp_sink, settings):
    for name, value in smtp_sink.django_settings().items():
        setattr(settings, name, value)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # what the test runner sets

    smtp.send_email(CHANNEL, _envelope())

    assert [m.rcpt_tos for m in smtp_sink.messages] == [["customer@example.com"]]


@pytest.mark.parametrize(
    "to", ["", "not-an-address", "a@example.com\r\nBcc: b@example.com", "a@example.com, b@example.com"]
)
def test_malformed_recipient_is_not_retryable(sink, to):
    with pytest.raises(SendError) as caught:
        smtp.send_email(CHANNEL, _envelope(to=to))

    assert caught.value.retryable is False
    assert sink.messages == []


def test_email_adapter_is_registered_and_sends(sink):
    adapter = get_adapter("email")

    result = adapter.send(CHANNEL, _envelope())

    assert isinstance(adapter, EmailAdapter)
    assert result.provider_id == "<tg.42.abc@tanggap.test>"
    assert len(sink.messages) == 1
