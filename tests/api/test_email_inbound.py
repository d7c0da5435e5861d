"""Raw email through the real endpoint: every file of the shared corpus is stored, or
rejected with a recorded reason — never dropped, never a 500."""

from pathlib import Path

import pytest

from tanggap.channels.models import InboundRaw
from tanggap.conversations.models import Message, Ticket
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db
CORPUS = SHARED / "corpora" / "email"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".md", ".yml")) if CORPUS.exists() else []


def post_email(api, raw: bytes):
    return api.post("/channels/email/inbound", raw, content_type="message/rfc822")


@pytest.mark.skipif(not FILES, reason="../shared/corpora/email is not beside the repo")
@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_email_is_stored_or_rejected_with_a_reason(api, path: Path):
    r = post_email(api, path.read_bytes())
    raw = InboundRaw.objects.get()
    assert bytes(raw.body) == path.read_bytes()
    if r.status_code == 201:
        assert raw.status == "processed"
        assert r.body["created"] == r.body["received"] == 1
        message = Message.objects.get(pk=r.body["messages"][0]["message_id"])
        assert message.external_id
        assert message.customer.identities.exists()
        assert message.body_text or message.attachments.exists() or message.subject is not None
    else:
        assert r.status_code == 422, r.content
        assert r.body["error"]["code"] == raw.reason_code
        assert raw.status == "rejected"
        assert raw.reason
        assert Message.objects.count() == 0


def test_a_repeat_of_the_same_message_id_is_stored_once(api):
    raw = b"From: Tono <tono@example.id>\r\nTo: cs@toko.test\r\nSubject: Retur\r\nMessage-ID: <r1@example.id>\r\n\r\nMau retur.\r\n"
    assert post_email(api, raw).status_code == 201
    again = post_email(api, raw)
    assert (again.status_code, again.body["created"]) == (200, 0)
    assert Message.objects.count() == 1


def test_html_is_sanitised_and_a_plain_text_version_kept(api):
    raw = (b"From: a@example.id\r\nTo: cs@toko.test\r\nSubject: Foto\r\nMessage-ID: <h1@example.id>\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           b"<p>Barang <b>rusak</b></p><script>alert(1)</script><img src=x onerror=alert(2)>\r\n")
    message = Message.objects.get(pk=post_email(api, raw).body["messages"][0]["message_id"])
    assert "<script" not in message.body_html and "onerror" not in message.body_html
    assert "<b>rusak</b>" in message.body_html
    assert "Barang rusak" in message.body_text


def test_an_auto_reply_is_stored_but_marked_never_to_be_answered(api):
    raw = (b"From: b@example.id\r\nTo: cs@toko.test\r\nSubject: Out of office\r\nMessage-ID: <oo@example.id>\r\n"
           b"Auto-Submitted: auto-replied\r\n\r\nSaya sedang cuti.\r\n")
    body = post_email(api, raw).body
    message = Message.objects.get(pk=body["messages"][0]["message_id"])
    assert (message.automated, message.automated_reason) == (True, "auto_reply")
    assert Ticket.objects.get().waiting_since is None  # nobody is waiting for an answer


def test_an_attachment_over_the_limit_is_recorded_not_silently_dropped(api, settings):
    settings.TANGGAP_MAX_ATTACHMENT_BYTES = 1000
    big = b"A" * 3000
    import base64

    raw = (b"From: c@example.id\r\nTo: cs@toko.test\r\nSubject: Foto\r\nMessage-ID: <att@example.id>\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
           b"Content-Type: text/plain\r\n\r\nLihat lampiran.\r\n--XX\r\nContent-Type: image/jpeg; name=kecil.jpg\r\n"
           b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=kecil.jpg\r\n\r\n"
           + base64.b64encode(b"B" * 500) + b"\r\n--XX\r\nContent-Type: image/jpeg; name=besar.jpg\r\n"
           b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=besar.jpg\r\n\r\n"
           + base64.b64encode(big) + b"\r\n--XX--\r\n")
    message = Message.objects.get(pk=post_email(api, raw).body["messages"][0]["message_id"])
    assert [(a.filename, a.size) for a in message.attachments.all()] == [("kecil.jpg", 500)]
    assert message.attachments.get().file.read() == b"B" * 500
    assert message.meta["skipped_attachments"][0]["filename"] == "besar.jpg"
    assert message.meta["skipped_attachments"][0]["reason"] == "attachment_too_large"


def test_mail_without_any_sender_is_kept_raw_and_rejected(api):
    r = post_email(api, b"Subject: siapa?\r\n\r\ntanpa pengirim\r\n")
    assert r.status_code == 422
    raw = InboundRaw.objects.get()
    assert raw.status == "rejected" and raw.reason


def test_raw_email_needs_a_token(api_for):
    r = api_for(None).post("/channels/email/inbound", b"From: a@b.id\r\n\r\nx", content_type="message/rfc822")
    assert r.status_code == 401
    assert InboundRaw.objects.count() == 0
