"""parse_email against the shared corpus of real mail (../shared/corpora/email) and small
hand-written cases.

Every corpus file must either parse into a usable message or be rejected with a
stated reason, within a time limit. ``python -m tests.channels.test_email_parse``
prints the parsed/rejected counts and every rejection reason.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from tanggap.channels.adapters.base import get_adapter
from tanggap.channels.adapters.email.parse import parse_email
from tanggap.channels.normalized import NormalizedMessage
from tanggap.common.errors import DomainError, ParseError

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "email"
NO_CORPUS = f"the shared email corpus is not at {CORPUS.resolve()} (it lives in ../shared next to the repo)"
AUTOMATED_REASONS = {"", "auto_reply", "bounce", "bulk", "list"}

# The corpus files that are not usable email, and why. Anything else must parse.
EXPECTED_REJECTIONS = {
    "cpython-test_email/msg_18.txt": "no_sender",  # headers X-Foo-Bar and To only
    "cpython-test_email/msg_19.txt": "unparseable_email",  # a digest body without any header
    "cpython-test_email/msg_37.txt": "no_sender",  # MIME headers only
    "cpython-test_email/msg_38.txt": "no_sender",
    "cpython-test_email/msg_39.txt": "no_sender",
    "cpython-test_email/msg_40.txt": "no_sender",
    "mailgun-flanker/attached-pdf.eml": "no_sender",  # Date/Subject but no From
    "ruby-mail-gem/error_emails/bad_encoded_subject.eml": "no_sender",  # a Subject and nothing else
    "spamscope-mail-parser/mail_outlook_1": "unparseable_email",  # an Outlook .msg (OLE2) file
}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCE.md" and p.suffix != ".yml")


def _rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@functools.lru_cache(maxsize=None)
def outcome(path: Path) -> NormalizedMessage | ParseError:
    """Parse once per test session; later tests reuse the result."""
    try:
        return parse_email(path.read_bytes())
    except ParseError as exc:
        return exc


def summarize_corpus(out=print) -> dict:
    """Parse the whole corpus; report how many parsed and every rejection with its reason."""
    files = corpus_files()
    rejected = {_rel(p): r for p in files if isinstance(r := outcome(p), ParseError)}
    summary = {
        "files": len(files),
        "parsed": len(files) - len(rejected),
        "rejected": {name: f"{exc.code}: {exc.message}" for name, exc in rejected.items()},
        "automated": dict(Counter(m.automated_reason for p in files if isinstance(m := outcome(p), NormalizedMessage))),
    }
    out(f"email corpus {CORPUS.resolve()}: {summary['files']} files, {summary['parsed']} parsed, "
        f"{len(rejected)} rejected")
    for reason, count in Counter(summary["rejected"].values()).most_common():
        out(f"  {count:3d} x {reason}")
    for name, reason in summary["rejected"].items():
        out(f"      {name}: {reason}")
    out(f"  automated among parsed: {summary['automated']}")
    return summary


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _storable(text: str) -> bool:
    """PostgreSQL text rejects NUL, and lone surrogates cannot be encoded at all."""
    return "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


CASES = corpus_files() or [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS))]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("path", CASES, ids=lambda p: _rel(p) if isinstance(p, Path) else "no-corpus")
def test_corpus_file_parses_or_is_rejected_with_a_reason(path):
    result = outcome(path)

    if isinstance(result, ParseError):
        assert result.code in ("unparseable_email", "no_sender")
        assert result.message.strip()
        assert EXPECTED_REJECTIONS.get(_rel(path)) == result.code
        return
    msg = result
    assert msg.channel == "email"
    assert msg.external_id.startswith("<") and msg.external_id.endswith(">") and len(msg.external_id) > 2
    assert not any(ch.isspace() for ch in msg.external_id)
    assert msg.sender.kind == "email"
    assert "@" in msg.sender.value and msg.sender.value == msg.sender.value.lower()
    assert msg.automated_reason in AUTOMATED_REASONS and msg.automated == bool(msg.automated_reason)
    assert msg.sent_at is None or msg.sent_at.utcoffset() == dt.timedelta(0)
    assert all(ref.startswith("<") and ref.endswith(">") for ref in msg.references)
    assert "<script" not in msg.body_html.lower()
    texts = [msg.subject, msg.body_text, msg.body_html, msg.sender.value, msg.sender.name, msg.in_reply_to,
             *msg.references, *(a.filename for a in msg.attachments), *_strings(msg.meta)]
    assert all(_storable(t) for t in texts)
    assert all(a.filename and "/" not in a.filename and "\\" not in a.filename for a in msg.attachments)
    json.dumps(msg.meta)  # meta is stored in a JSON column
    assert {"headers", "defects"} <= msg.meta.keys()


@pytest.mark.skipif(not CORPUS.is_dir(), reason=NO_CORPUS)
def test_corpus_summary_rejects_exactly_the_known_non_emails():
    summary = summarize_corpus(out=lambda line: None)

    assert summary["files"] == 305
    assert summary["parsed"] == 296
    assert {name: reason.split(":")[0] for name, reason in summary["rejected"].items()} == EXPECTED_REJECTIONS


@pytest.mark.skipif(not CORPUS.is_dir(), reason=NO_CORPUS)
def test_parsing_is_deterministic_so_derived_ids_deduplicate():
    raw = (CORPUS / "cpython-test_email/msg_32.txt").read_bytes()  # has no Message-ID

    first, second = parse_email(raw), parse_email(raw)

    assert first.external_id == second.external_id
    assert first.external_id == "<sha256-" + hashlib.sha256(raw).hexdigest()[:32] + "@tanggap.invalid>"
    assert first.meta["message_id_derived"] is True


# --- Zammad oracles: each mailNNN.box has a mailNNN.yml with the expected parse ------

# Where we deliberately differ from Zammad's parser, the value we produce instead.
ORACLE_FROM_OVERRIDES = {
    "mail053": "mailer-daemon@smtp30.relay.dfw1a.example.com",  # From: MAILER-DAEMON (no domain); a bounce
    "mail076": '"millions lottery spain transfer"@example.com',  # Zammad keeps the trailing ">" junk
    "mail087": "test@example.com",  # "From: Test test@example.com": Zammad keeps the whole string
}
ORACLE_NAME_OVERRIDES = {
    "mail046": "武兰成",  # raw 8-bit GB2312 name; Zammad shows it as latin-2 mojibake
    "mail065": "Bürling, Andreas",  # a comma inside an encoded word; Zammad splits there
    "mail076": "",
    "mail087": "",
}


def _zammad_oracles() -> list:
    if not (CORPUS / "zammad").is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS))]
    return sorted((CORPUS / "zammad").glob("*.yml"))


def _load_oracle(path: Path) -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read the Zammad oracles")

    class RubyLoader(yaml.SafeLoader):  # the oracles use !ruby/hash:... and !binary tags
        pass

    def construct_any(loader, tag, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        value = loader.construct_scalar(node)
        return base64.b64decode(value) if tag == "binary" else value

    RubyLoader.add_multi_constructor("!", construct_any)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=RubyLoader)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("oracle_path", _zammad_oracles(), ids=lambda p: p.stem if isinstance(p, Path) else "none")
def test_zammad_oracle_subject_and_sender_match(oracle_path):
    oracle = _load_oracle(oracle_path)
    key = oracle_path.stem.split("-")[0]

    msg = parse_email(oracle_path.with_suffix(".box").read_bytes())

    if oracle.get("subject") is not None:
        assert msg.subject == str(oracle["subject"]).strip()  # we trim surrounding whitespace
    if oracle.get("from_email"):
        assert msg.sender.value == ORACLE_FROM_OVERRIDES.get(key, str(oracle["from_email"]).lower())
    if oracle.get("from_display_name") is not None and key != "mail053":
        assert msg.sender.name == ORACLE_NAME_OVERRIDES.get(key, str(oracle["from_display_name"]))


# --- Specific corpus files -------------------------------------------------------------


def _corpus(name: str) -> NormalizedMessage:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(NO_CORPUS)
    result = outcome(path)
    assert isinstance(result, NormalizedMessage), result
    return result


def test_auto_reply_is_automated():
    msg = _corpus("chatwoot/auto_reply.eml")  # X-Autoreply: yes

    assert (msg.automated, msg.automated_reason) == (True, "auto_reply")


@pytest.mark.parametrize(
    ("name", "sender"),
    [
        ("mailgun-flanker/bounce/mailbox-full.eml", "mailer-daemon@aol.com"),
        ("mailgun-flanker/bounce/office365.eml", "postmaster@example.no"),
        ("chatwoot/bounced_with_no_from.eml", "mailer-daemon@smtp5.relay.example.com"),  # From: "" (Mail ...)
    ],
)
def test_bounces_are_automated_and_kept(name, sender):
    msg = _corpus(name)

    assert (msg.automated, msg.automated_reason, msg.sender.value) == (True, "bounce", sender)


def test_bounce_without_sender_domain_gets_a_synthesised_sender():
    msg = _corpus("chatwoot/bounced_with_no_from.eml")

    assert msg.sender.name == "Mail Delivery System"
    assert msg.meta["sender_synthesized"] is True


@pytest.mark.parametrize(
    ("name", "reason"),
    [("spamscope-mail-parser/mail_test_13", "list"), ("cpython-test_email/msg_32.txt", "bulk")],
)
def test_list_and_bulk_mail_is_automated(name, reason):
    assert _corpus(name).automated_reason == reason


def test_postmaster_sender_without_failure_subject_is_a_person():
    msg = _corpus("mailgun-flanker/long-links.eml")  # From: Bob <postmaster@example.com>

    assert (msg.sender.value, msg.automated) == ("postmaster@example.com", False)


def test_iso_8859_15_quoted_printable_message_decodes():
    msg = _corpus("request-tracker/8859-15-message-series/msg2")

    assert msg.subject == "test äöüßÄÖÜß€"
    assert msg.body_text == "test nochmal in anderer Queue\ntest äöüßÄÖÜß€"


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        ("ruby-mail-gem/multi_charset/japanese_iso_2022.eml", "subject", "まみむめも"),
        ("ruby-mail-gem/multi_charset/japanese_iso_2022.eml", "body_text", "すみません。"),
        ("ruby-mail-gem/multi_charset/ks_c_5601-1987.eml", "body_text", "스티해"),
        ("zammad/mail093.box", "subject", "ツール"),  # raw Shift_JIS bytes in the header
        ("mailgun-flanker/mailformed-headers.eml", "sender_name", "Юникод запрещен\ufffd"),  # truncated UTF-8
        ("ruby-mail-gem/rfc6532/utf8_headers.eml", "sender", "jdöe@mächine.example"),
    ],
)
def test_non_utf8_and_mislabelled_charsets_decode(name, field, expected):
    msg = _corpus(name)
    values = {"subject": msg.subject, "body_text": msg.body_text, "sender_name": msg.sender.name,
              "sender": msg.sender.value}

    assert values[field] == expected


def test_event_handlers_are_stripped_from_corpus_html():
    raw = (CORPUS / "zammad/mail019.box").read_bytes() if CORPUS.is_dir() else b""
    msg = _corpus("zammad/mail019.box")

    assert b"b25jbGljaz0iZ2V0VG9wKCkucHJlU3dhcExpbmsoZXZlbnQs" in raw  # base64 of onclick="getTop()...
    assert "onclick" not in msg.body_html.lower()
    assert msg.body_text.startswith("《欧美简讯》\n\n投资移民简讯：")


def test_attachments_have_their_names_types_and_sizes():
    msg = _corpus("ruby-mail-gem/attachment_emails/attachment_pdf.eml")

    assert [(a.filename, a.content_type, len(a.content), a.inline) for a in msg.attachments] == [
        ("broken.pdf", "application/pdf", 1026, False)
    ]
    assert msg.attachments[0].content.startswith(b"%PDF-1.4")


def test_inline_images_and_rfc2231_names():
    inline = _corpus("chatwoot/auto_reply.eml")
    long_name = _corpus("ruby-mail-gem/multi_charset/japanese_attachment_long_name.eml")

    assert [(a.filename, len(a.content), a.inline) for a in inline.attachments] == [
        ("avatar1.jpeg", 20535, True),
        ("avatar2.jpg", 12686, True),
    ]
    assert inline.meta["content_ids"] == {
        "7AAEB353-2341-4D46-A054-5CA5CB2363B7": "avatar1.jpeg",
        "4594E827-6E69-4329-8691-6BC35E3E73A0": "avatar2.jpg",
    }
    assert [a.filename for a in long_name.attachments] == ["かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"]


def test_oversize_attachment_is_recorded_not_dropped():
    if not CORPUS.is_dir():
        pytest.skip(NO_CORPUS)

    msg = parse_email((CORPUS / "chatwoot/auto_reply.eml").read_bytes(), max_attachment_bytes=15_000)

    assert [a.filename for a in msg.attachments] == ["avatar2.jpg"]
    assert msg.meta["skipped_attachments"] == [
        {"filename": "avatar1.jpeg", "size": 20535, "reason": "attachment_too_large"}
    ]


def test_forwarded_message_is_kept_as_an_eml_attachment():
    msg = _corpus("ruby-mail-gem/attachment_emails/attachment_message_rfc822.eml")

    assert msg.body_text == "This is the first part."
    assert [(a.filename, a.content_type) for a in msg.attachments] == [("ForwardedMessage.eml", "message/rfc822")]


@pytest.mark.timeout(10)
def test_endless_nesting_is_cut_off_and_noted():
    msg = _corpus("mailgun-flanker/enclosed-endless.eml")

    assert msg.body_text == "Hello"
    assert msg.meta["truncated"] == "more than 500 MIME parts; the rest were not read"


def test_threading_headers():
    msg = _corpus("chatwoot/auto_reply.eml")

    assert msg.in_reply_to == "<4e6e35f5a38b4_479f13bb90078178@small-app-01.mail>"
    assert msg.references == ["<4e6e35f5a38b4_479f13bb90078178@small-app-01.mail>"]
    assert msg.sent_at == dt.datetime(2020, 4, 20, 8, 20, 20, tzinfo=dt.timezone.utc)


# --- Hand-written cases ------------------------------------------------------------------


def _mail(headers: str, body: str = "Halo.", *, extra: bytes = b"") -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body).encode("utf-8") + extra


@pytest.mark.parametrize(
    ("raw", "code", "reason"),
    [
        (b"", "unparseable_email", "The payload is empty."),
        (b" \r\n\r\n", "unparseable_email", "The payload is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "unparseable_email",
         "The payload is an Outlook .msg (OLE2 compound) file, not an RFC 5322 email; save it as .eml."),
        (b"%PDF-1.7\n...", "unparseable_email", "The payload is a PDF document, not an email."),
        (b"\x00\x01\x02garbage\xff\xfe", "unparseable_email",
         "The payload has binary data (NUL bytes) where email headers should be."),
        (b"just some text\nwithout headers\n", "unparseable_email",
         "No header fields were found at the start of the payload."),
        (b"X-Custom: 1\r\n\r\nbody", "unparseable_email",
         "None of the usual email headers (From, Date, Message-ID, Subject...) were found."),
        (b"Subject: hi\r\nFrom: nobody\r\n\r\nbody", "no_sender",
         "No sender address was found in From, Reply-To, Sender or Return-Path."),
    ],
)
def test_non_email_is_rejected_with_a_reason(raw, code, reason):
    with pytest.raises(ParseError) as caught:
        parse_email(raw)

    assert (caught.value.code, caught.value.message) == (code, reason)


def test_headers_ids_and_date_are_normalised():
    raw = _mail("""
From: =?UTF-8?Q?Sit=C3=AC_Rahayu?= <Siti@Example.CO.ID>
To: cs@tanggap.local
Cc: a@example.com, b@example.com
Subject: =?UTF-8?B?UGVzYW5hbiBiZWx1bSBzYW1wYWk=?= [TG-000042]
Message-ID:  < abc.123@mail.example >
In-Reply-To: <tg.42.aa@tanggap.local>
References: <first@example.com>
 <tg.42.aa@tanggap.local>
Date: Tue, 03 Mar 2026 09:15:00 +0700
""")

    msg = parse_email(raw)

    assert (msg.sender.value, msg.sender.name) == ("siti@example.co.id", "Sitì Rahayu")
    assert msg.subject == "Pesanan belum sampai [TG-000042]"
    assert msg.external_id == "<abc.123@mail.example>"
    assert msg.in_reply_to == "<tg.42.aa@tanggap.local>"
    assert msg.references == ["<first@example.com>", "<tg.42.aa@tanggap.local>"]
    assert msg.sent_at == dt.datetime(2026, 3, 3, 2, 15, tzinfo=dt.timezone.utc)
    assert msg.meta["headers"] == {"to": "cs@tanggap.local", "cc": "a@example.com, b@example.com", "reply_to": ""}
    assert msg.automated is False


@pytest.mark.parametrize("header", ["Reply-To", "Sender", "Return-Path"])
def test_sender_falls_back_to_other_headers(header):
    raw = _mail(f"From: undisclosed\n{header}: <Budi@Example.com>\nSubject: x")

    assert parse_email(raw).sender.value == "budi@example.com"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-replied", "auto_reply"),
        ("Auto-Submitted: no", ""),
        ("X-Autorespond: Out of office", "auto_reply"),
        ("Precedence: junk", "bulk"),
        ("Precedence: list", "list"),
        ("List-Id: <support.lists.example.com>", "list"),
    ],
)
def test_automated_mail_headers(headers, reason):
    msg = parse_email(_mail(f"From: a@example.com\nSubject: x\n{headers}"))

    assert (msg.automated, msg.automated_reason) == (bool(reason), reason)


def test_html_only_mail_is_sanitised_and_gets_a_text_version():
    html = ('<html><head><title>T</title><style>p{}</style></head><body><p>Halo&nbsp;Kak,</p>'
            '<script>alert("x")</script><p onclick="steal()">Pesanan <b>#123</b> &amp; retur<br>baris dua</p>'
            '<a href="javascript:alert(1)">klik</a></body></html>')
    raw = _mail("From: a@example.com\nSubject: x\nContent-Type: text/html; charset=utf-8", html)

    msg = parse_email(raw)

    assert msg.body_text == "Halo Kak,\n\nPesanan #123 & retur\nbaris dua\nklik"
    assert "script" not in msg.body_html and "alert" not in msg.body_html and "onclick" not in msg.body_html
    assert "<b>#123</b>" in msg.body_html


@pytest.mark.parametrize(
    ("charset", "encoding", "payload", "expected"),
    [
        ("x-unknown-charset", "8bit", "Café".encode("utf-8"), "Café"),
        ("us-ascii", "8bit", "Café".encode("cp1252"), "Café"),
        ("utf-8", "8bit", b"caf\xe9 ok", "café ok"),  # declared UTF-8, really latin-1
        ("iso-8859-1", "quoted-printable", b"Gr=FC=DF =\r\nGott", "Grüß Gott"),
        ("windows-1252", "base64", base64.b64encode("“quoted” €".encode("cp1252")), "“quoted” €"),
    ],
)
def test_body_charsets_and_transfer_encodings(charset, encoding, payload, expected):
    headers = _mail(f"From: a@example.com\nContent-Type: text/plain; charset={charset}\n"
                    f"Content-Transfer-Encoding: {encoding}", "")

    assert parse_email(headers + payload).body_text == expected


def test_parse_result_is_a_plain_dataclass():
    msg = parse_email(_mail("From: a@example.com\nSubject: x"))

    assert dataclasses.asdict(msg)["sender"] == {"kind": "email", "value": "a@example.com", "name": "",
                                                  "namespace": ""}



def test_email_adapter_parses_and_has_no_handshake():
    adapter = get_adapter("email")
    raw = b"From: Budi <budi@example.com>\r\nSubject: Halo\r\nMessage-ID: <b-1@example.com>\r\n\r\nIsi.\r\n"

    [message] = adapter.parse(None, raw)

    assert (message.external_id, message.sender.value, message.body_text) == ("<b-1@example.com>", "budi@example.com",
                                                                            "Isi.")
    assert adapter.verify(None, None) is None
    with pytest.raises(DomainError) as caught:
        adapter.handshake(None, {})
    assert (caught.value.code, caught.value.status) == ("not_supported", 405)


if __name__ == "__main__":
    if not CORPUS.is_dir():
        sys.exit(NO_CORPUS)
    summarize_corpus()
