"""Email end to end with real servers: the worker's IMAP job, and replies over SMTP that
the customer's mail client threads."""

import email
import email.policy
import imaplib

import pytest

from tanggap.channels.services import channel_for, inbound_receive
from tanggap.channels.tasks import poll_imap
from tanggap.conversations import delivery
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import reply_send

pytestmark = [pytest.mark.django_db, pytest.mark.servers]


def mail(n: int, frm: str = "wati@example.id") -> bytes:
    return (f"From: Wati <{frm}>\r\nTo: cs@toko.test\r\nSubject: Pesanan #{n} belum datang\r\n"
            f"Message-ID: <imap-{n}@example.id>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0700\r\n\r\n"
            f"Halo, pesanan {n} belum datang.\r\n").encode()


@pytest.fixture
def imap_settings(imap_server, settings):
    host, port, user, password = imap_server
    settings.TANGGAP_IMAP = {"host": host, "port": port, "use_tls": False, "user": user, "password": password,
                             "folder": "INBOX", "processed_folder": "", "interval_seconds": 60}
    return imap_server


def test_the_imap_job_stores_new_mail_once_and_flags_it(imap_settings):
    host, port, user, password = imap_settings
    with imaplib.IMAP4(host, port) as m:
        m.login(user, password)
        for n in (1, 2):
            m.append("INBOX", None, None, mail(n, frm=f"c{n}@example.id"))
    assert poll_imap.call() == {"fetched": 2, "stored": 2, "failed": 0}
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Pesanan #1 belum datang", "Pesanan #2 belum datang"]
    with imaplib.IMAP4(host, port) as m:
        m.login(user, password)
        m.select("INBOX")
        assert len(m.search(None, "FLAGGED")[1][0].split()) == 2
    assert poll_imap.call()["stored"] == 0
    assert Message.objects.count() == 2


def test_a_reply_goes_out_by_smtp_with_threading_headers(smtp_sink, settings, agent):
    sink, port = smtp_sink
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    channel = channel_for(kind="email")
    channel.from_address = "cs@toko.test"
    channel.save()
    ticket = inbound_receive(channel=channel, body=mail(7), source="api-email")[0].ticket
    reply = reply_send(ticket=ticket, author=agent, body_text="Mohon maaf, paket Ibu kami lacak sekarang.")
    assert delivery.message_deliver(message_id=reply.pk) == "sent"
    mail_from, rcpts, sent = sink.messages[0]
    assert rcpts == ["wati@example.id"]
    assert sent["In-Reply-To"] == "<imap-7@example.id>"
    assert "<imap-7@example.id>" in sent["References"]
    assert sent["Message-ID"] == reply.message_id_header
    assert sent["Subject"] == f"Re: [{ticket.reference}] Pesanan #7 belum datang"
    # the customer answers the reply: it lands on the same ticket
    answer = (f"From: Wati <wati@example.id>\r\nTo: cs@toko.test\r\nSubject: {sent['Subject']}\r\n"
              f"Message-ID: <imap-8@example.id>\r\nIn-Reply-To: {reply.message_id_header}\r\n\r\nTerima kasih!\r\n").encode()
    assert inbound_receive(channel=channel, body=answer, source="api-email")[0].ticket.pk == ticket.pk
