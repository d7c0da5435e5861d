"""Reading header fields from messages that do not follow the RFCs.

``policy.default`` decodes most headers well but mangles undeclared 8-bit bytes
(lone surrogates or U+FFFD) and rejects some malformed values outright; when it
does, the raw value is decoded again by ``decode.decode_rfc2047``, which guesses
the charset from what the body declares.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from email.message import Message

from tanggap.channels.adapters.email import mime
from tanggap.channels.adapters.email.decode import (
    Hints,
    clean_header_text,
    decode_rfc2047,
    fix_surrogates,
    has_surrogates,
)

MAX_ID_LENGTH = 250  # longer "ids" are junk and would not fit an indexed column
_MSG_ID = re.compile(r"<([^<>]*)>")


def raw_header(msg: Message, name: str) -> str | None:
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def header_text(msg: Message, name: str, hints: Hints) -> str:
    """A header as clean text: the default policy's decoding, or our lenient one when it fails."""
    try:
        value = msg.get(name)
        text = "" if value is None else str(value)
        suspicious = "\ufffd" in text or has_surrogates(text) or "=?" in text
    except Exception:  # the default policy rejects some malformed headers outright
        text, suspicious = "", True
    if suspicious:
        raw = raw_header(msg, name)
        if raw is not None:
            text = decode_rfc2047(raw, hints)
    return clean_header_text(text).replace("\x00", "")


def charset_hints(msg: Message, walked: mime.WalkResult) -> Hints:
    """Charsets the body declares: the best guesses for undeclared 8-bit header bytes."""
    found: dict[str, None] = {}
    for part in [msg, *(leaf.part for leaf in walked.leaves if leaf.part.get_content_maintype() == "text")]:
        charset = mime.part_charset(part).lower()
        if charset:
            found.setdefault(charset, None)
    return tuple(found)


def sent_at(msg: Message) -> dt.datetime | None:
    raw = raw_header(msg, "Date")
    if not raw:
        return None
    try:
        text = re.sub(r"\([^()]*\)", " ", clean_header_text(fix_surrogates(raw)))  # RFC 5322 comments
        value = email.utils.parsedate_to_datetime(re.sub(r"\s*:\s*", ":", text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value.tzinfo is None:  # "-0000" or no zone: RFC 5322 says the zone is unknown; UTC is the best guess
        value = value.replace(tzinfo=dt.timezone.utc)
    try:
        value = value.astimezone(dt.timezone.utc)
    except (OverflowError, ValueError):
        return None
    return value if 1900 <= value.year <= 2100 else None


def message_ids(value: str) -> list[str]:
    """Every ``<id>`` in a header, whitespace removed; bare ids with an ``@`` as a fallback."""
    ids = ["<" + re.sub(r"\s+", "", inner) + ">" for inner in _MSG_ID.findall(value)]
    if not ids:
        ids = ["<" + token.strip("<>") + ">" for token in re.split(r"[\s,]+", value) if "@" in token]
    seen: dict[str, None] = {}
    for item in ids:
        if 2 < len(item) <= MAX_ID_LENGTH:
            seen.setdefault(item, None)
    return list(seen)
