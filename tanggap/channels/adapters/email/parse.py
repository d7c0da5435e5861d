"""Raw RFC 5322 bytes → ``NormalizedMessage``.

Everything here is built to accept the mail that real customers' clients send,
which is often broken: the stdlib ``email`` package (``policy.default``) does the
MIME structure, and each header is re-read from its raw form when the default
policy mangles or rejects it (see ``headers.header_text``). The only failures are
payloads that are not email at all or that name no sender; both raise ``ParseError``
with a reason a person can act on, so the raw payload is kept and the reason shown.

Module map: ``decode`` (charsets, RFC 2047), ``headers`` (dates, ids), ``addresses``
(the sender), ``mime`` (the bounded part walk), ``htmltext`` (sanitising, HTML → text).
"""

from __future__ import annotations

import hashlib
import logging
import re
from email import policy
from email.message import Message
from email.parser import BytesParser

from tanggap.channels.adapters.email import mime
from tanggap.channels.adapters.email.addresses import bounce_sender, find_sender
from tanggap.channels.adapters.email.decode import Hints, clean_header_text, fix_surrogates
from tanggap.channels.adapters.email.headers import charset_hints, header_text, message_ids, raw_header, sent_at
from tanggap.channels.adapters.email.htmltext import html_to_text, sanitize_html
from tanggap.channels.normalized import NormalizedAttachment, NormalizedMessage
from tanggap.common.errors import ParseError

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
_MAX_REFERENCES = 100
_MAIL_HEADERS = {
    "from", "sender", "reply-to", "return-path", "to", "cc", "date", "message-id",
    "subject", "received", "mime-version", "content-type", "in-reply-to", "references",
}  # fmt: skip
_META_HEADERS = (("to", "To"), ("cc", "Cc"), ("reply_to", "Reply-To"))
_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an Outlook .msg (OLE2 compound) file, not an RFC 5322 email; save it as .eml",
    b"%PDF-": "a PDF document, not an email",
    b"PK\x03\x04": "a ZIP archive, not an email",
    b"\x1f\x8b": "gzip-compressed data, not an email; decompress it first",
}
_OBSOLETE_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]+:", re.MULTILINE)
_CONTENT_TYPE_LINE = re.compile(rb"^content-type:", re.IGNORECASE | re.MULTILINE)
_FIELD_LINE = re.compile(rb"^(?:[!-9;-~]+:|[ \t]|From )")
# A person may write from postmaster@; only a failure-notice subject makes it a bounce.
_BOUNCE_SUBJECT = re.compile(r"undeliver|deliver(y|ed)|returned|fail|delay|unzustellbar|non remis", re.IGNORECASE)


def parse_email(raw: bytes, *, max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES) -> NormalizedMessage:
    """Parse one raw message; raise ``ParseError`` only for non-email or sender-less input."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise ParseError("unparseable_email", "The payload is not bytes.")
    raw = bytes(raw)
    _reject_non_email(raw)
    try:
        return _parse(raw, max_attachment_bytes)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not take the intake worker down
        logger.exception("email parse failed unexpectedly")
        raise ParseError("unparseable_email", f"The email could not be read ({type(exc).__name__}).") from exc


def _reject_non_email(raw: bytes) -> None:
    if not raw.strip():
        raise ParseError("unparseable_email", "The payload is empty.")
    for magic, what in _BINARY_MAGIC.items():
        if raw.lstrip().startswith(magic):
            raise ParseError("unparseable_email", f"The payload is {what}.")
    head = raw[:65536]
    end = re.search(rb"\r?\n\r?\n", head)
    if b"\x00" in (head[: end.start()] if end else head):
        raise ParseError("unparseable_email", "The payload has binary data (NUL bytes) where email headers should be.")


def _parse(raw: bytes, max_attachment_bytes: int) -> NormalizedMessage:
    # policy.default re-parses every Content-Type header several times while parsing; on
    # a mail with thousands of parts (enclosed-endless.eml) that alone takes seconds.
    # Past what the walk would read anyway, parse with compat32, which this module
    # tolerates (headers then go through the raw-value decoding).
    many_parts = len(_CONTENT_TYPE_LINE.findall(raw)) > 2 * mime.MAX_PARTS
    msg = BytesParser(policy=policy.compat32 if many_parts else policy.default).parsebytes(
        _normalise_header_block(raw)
    )
    names = {name.lower() for name in msg.keys()}
    if not names:
        raise ParseError("unparseable_email", "No header fields were found at the start of the payload.")
    if not names & _MAIL_HEADERS:
        raise ParseError(
            "unparseable_email", "None of the usual email headers (From, Date, Message-ID, Subject...) were found."
        )
    walked = mime.walk(msg)
    hints = charset_hints(msg, walked)
    meta: dict = {
        "headers": {key: header_text(msg, name, hints) for key, name in _META_HEADERS},
        "defects": walked.defects,
    }
    if walked.truncated:
        meta["truncated"] = walked.truncated
    if many_parts:
        meta["parser"] = "compat32"
    external_id = _external_id(msg, raw, meta)
    sender = find_sender(msg, hints)
    reason = _automated_reason(msg, walked, sender.value if sender else "", hints)
    if sender is None and reason == "bounce":
        sender = bounce_sender(external_id)
        meta["sender_synthesized"] = True
    if sender is None:
        raise ParseError("no_sender", "No sender address was found in From, Reply-To, Sender or Return-Path.")
    body_text, body_html, attachments = _body_and_attachments(walked, hints, max_attachment_bytes, meta)
    in_reply_to = message_ids(header_text(msg, "In-Reply-To", hints))
    return NormalizedMessage(
        channel="email",
        external_id=external_id,
        sender=sender,
        subject=header_text(msg, "Subject", hints),
        body_text=body_text,
        body_html=body_html,
        sent_at=sent_at(msg),
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=message_ids(header_text(msg, "References", hints))[-_MAX_REFERENCES:],
        attachments=attachments,
        automated=bool(reason),
        automated_reason=reason,
        meta=meta,
    )


def _normalise_header_block(raw: bytes) -> bytes:
    """Repair the header block where the stdlib would otherwise stop reading headers.

    Drops leading blank lines, accepts RFC 822's obsolete ``Name  : value`` fields,
    and removes a junk line sitting *between* two header fields (a relay bug seen in
    the corpus); a junk line followed by text is left alone, as it starts the body.
    """
    raw = raw.lstrip(b"\r\n")
    end = re.search(rb"\r?\n\r?\n", raw)
    head, rest = (raw[: end.start()], raw[end.start() :]) if end else (raw, b"")
    if _OBSOLETE_FIELD.search(head):
        head = _OBSOLETE_FIELD.sub(rb"\1:", head)
    lines = head.split(b"\n")

    def junk_between_fields(i: int) -> bool:
        line = lines[i]
        return 0 < i < len(lines) - 1 and bool(line.strip()) and not _FIELD_LINE.match(line) and bool(
            _FIELD_LINE.match(lines[i + 1])
        )

    return b"\n".join(line for i, line in enumerate(lines) if not junk_between_fields(i)) + rest


def _external_id(msg: Message, raw: bytes, meta: dict) -> str:
    """The Message-ID, or a stable id derived from the bytes so a re-upload is still a duplicate."""
    raw_id = raw_header(msg, "Message-ID") or ""
    ids = message_ids(fix_surrogates(raw_id))
    if ids:
        return ids[0]
    if raw_id.strip():
        meta["message_id_unusable"] = clean_header_text(fix_surrogates(raw_id))[:500]
    meta["message_id_derived"] = True
    return "<sha256-" + hashlib.sha256(raw).hexdigest()[:32] + "@tanggap.invalid>"


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _body_and_attachments(
    walked: mime.WalkResult, hints: Hints, max_bytes: int, meta: dict
) -> tuple[str, str, list[NormalizedAttachment]]:
    texts: dict[int, list[str]] = {}
    htmls: dict[int, list[str]] = {}
    attachments: list[NormalizedAttachment] = []
    skipped: list[dict] = []
    content_ids: dict[str, str] = {}
    for leaf in walked.leaves:
        part, ctype = leaf.part, leaf.part.get_content_type()
        disposition = _disposition(part)
        named = _has_filename(part)
        if ctype not in mime.ENCLOSING and disposition != "attachment" and not named:
            if ctype == "text/html":
                htmls.setdefault(leaf.level, []).append(mime.part_text(part))
                continue
            if ctype == "text/plain" or ctype.startswith("multipart/"):  # a multipart without boundary is text
                texts.setdefault(leaf.level, []).append(mime.part_text(part))
                continue
            if ctype in ("text/enriched", "text/richtext"):  # only ever an alternative rendering
                continue
        if leaf.level > 0:
            continue  # inside an enclosed message: that message is kept whole as an .eml
        filename = mime.filename_for(part, leaf.index, hints)
        try:
            content = mime.part_bytes(part)
        except (Exception, RecursionError):
            skipped.append({"filename": filename, "size": 0, "reason": "unreadable_part"})
            continue
        if len(content) > max_bytes:
            skipped.append({"filename": filename, "size": len(content), "reason": "attachment_too_large"})
            continue
        content_id = _content_id(part)
        inline = disposition == "inline" or (not disposition and bool(content_id))
        if inline and content_id:
            content_ids[content_id] = filename
        attachments.append(
            NormalizedAttachment(
                filename=filename, content_type=mime.content_type_for(part, filename), content=content, inline=inline
            )
        )
    if skipped:
        meta["skipped_attachments"] = skipped
    if content_ids:
        meta["content_ids"] = content_ids
    levels = sorted({lvl for lvl, items in [*texts.items(), *htmls.items()] if any(i.strip() for i in items)})
    level = levels[0] if levels else 0
    body_text = "\n\n".join(t.strip("\n") for t in texts.get(level, []) if t.strip())
    html = "\n".join(h for h in htmls.get(level, []) if h.strip())
    if not body_text.strip() and html:
        body_text = html_to_text(html)
    return body_text.strip().replace("\x00", ""), sanitize_html(html.replace("\x00", "")), attachments


def _has_filename(part: Message) -> bool:
    try:
        return bool(part.get_param("name") or part.get_param("filename", header="content-disposition"))
    except Exception:
        return False


def _content_id(part: Message) -> str:
    raw = raw_header(part, "Content-ID") or ""
    return re.sub(r"\s+", "", raw).strip("<>")


def _automated_reason(msg: Message, walked: mime.WalkResult, sender: str, hints: Hints) -> str:
    """Why this mail must be stored but never answered ("" for a person's mail)."""
    ctype = msg.get_content_type()
    report_type = str(msg.get_param("report-type") or "").lower()
    if ctype == "multipart/report" and report_type == "disposition-notification":
        return "auto_reply"  # a read receipt
    raw_from = (raw_header(msg, "From") or "").lower()
    local = sender.rpartition("@")[0]
    if (
        ctype == "multipart/report"
        or any(leaf.level == 0 and leaf.part.get_content_type() == "message/delivery-status" for leaf in walked.leaves)
        or local == "mailer-daemon"
        or (local == "postmaster" and _BOUNCE_SUBJECT.search(header_text(msg, "Subject", hints)))
        or "mailer-daemon" in raw_from
        or "mail delivery s" in raw_from
        or header_text(msg, "X-Failed-Recipients", hints)
    ):
        return "bounce"
    auto_submitted = header_text(msg, "Auto-Submitted", hints).lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return "auto_reply"
    if header_text(msg, "X-Autoreply", hints) or header_text(msg, "X-Autorespond", hints):
        return "auto_reply"
    precedence = header_text(msg, "Precedence", hints).lower()
    if precedence == "auto_reply":
        return "auto_reply"
    if precedence in ("bulk", "junk"):
        return "bulk"
    if precedence == "list" or header_text(msg, "List-Id", hints):
        return "list"
    return ""
