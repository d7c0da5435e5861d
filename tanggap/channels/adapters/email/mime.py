"""Walking a MIME tree within limits, and turning parts into text or attachments.

The corpus holds parser denial-of-service cases: enclosed-endless.eml is one
multipart with thousands of parts, torture.eml nests multiparts and messages deep.
The walk is iterative and stops at ``MAX_DEPTH`` / ``MAX_PARTS`` so one hostile mail
cannot stall the intake queue; what was cut off is reported in ``meta``.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message

from tanggap.channels.adapters.email.decode import (
    Hints,
    clean_header_text,
    decode_bytes,
    decode_rfc2047,
    decode_transfer,
)

MAX_DEPTH = 20
MAX_PARTS = 500

ENCLOSING = ("message/rfc822", "message/global")


@dataclass
class Leaf:
    part: Message
    level: int  # 0 = the message itself; 1+ = inside an enclosed (forwarded) message
    index: int


@dataclass
class WalkResult:
    leaves: list[Leaf] = field(default_factory=list)
    parts_seen: int = 0
    defects: int = 0
    truncated: str = ""  # "" or why the walk stopped early


def walk(msg: Message) -> WalkResult:
    """Depth-first, in document order, without recursion."""
    result = WalkResult()
    stack: list[tuple[Message, int, int]] = [(msg, 0, 0)]
    while stack:
        part, depth, level = stack.pop()
        if result.parts_seen >= MAX_PARTS:
            result.truncated = f"more than {MAX_PARTS} MIME parts; the rest were not read"
            break
        result.parts_seen += 1
        result.defects += len(getattr(part, "defects", ()))
        ctype = part.get_content_type()
        children = part.get_payload() if part.is_multipart() else None
        if isinstance(children, list) and (ctype.startswith("multipart/") or ctype in ENCLOSING):
            if ctype in ENCLOSING:
                result.leaves.append(Leaf(part, level, result.parts_seen))
            if depth >= MAX_DEPTH:
                result.truncated = f"MIME nesting deeper than {MAX_DEPTH}; deeper parts were not read"
                continue
            child_level = level + 1 if ctype in ENCLOSING else level
            for child in reversed(children):
                if isinstance(child, Message):
                    stack.append((child, depth + 1, child_level))
        else:
            result.leaves.append(Leaf(part, level, result.parts_seen))
    return result


def content_transfer_encoding(part: Message) -> str:
    """The first token of Content-Transfer-Encoding: tolerates ``base64;`` and trailing junk."""
    raw = ""
    for name, value in part.raw_items():
        if name.lower() == "content-transfer-encoding":
            raw = str(value)
            break
    match = re.match(r"\s*([A-Za-z0-9-]+)", raw)
    return match.group(1).lower() if match else ""


def _raw_payload(part: Message) -> bytes:
    """The body bytes exactly as received.

    ``get_payload()`` replaces undecodable 8-bit bytes with U+FFFD (guessing from the
    declared charset) and ``get_payload(decode=True)`` decodes base64/QP strictly by
    the exact header value; we need the untouched bytes to apply our own lenient
    decoding, so the stored payload is read directly.
    """
    payload = getattr(part, "_payload", None)
    if payload is None:
        payload = part.get_payload()
    if isinstance(payload, bytes):
        return payload
    if not isinstance(payload, str):
        return b""
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return payload.encode("utf-8", "surrogateescape")


def part_bytes(part: Message) -> bytes:
    """Decoded content of a part; enclosed messages are re-serialised as .eml bytes."""
    ctype = part.get_content_type()
    if part.is_multipart():
        payload = part.get_payload()
        chunks = []
        for sub in payload if isinstance(payload, list) else []:
            try:  # compat32 writes the raw header values back: faithful, and no re-parsing of each header
                chunks.append(sub.as_bytes(policy=policy.compat32))
            except Exception:  # a broken enclosed part: keep what serialises
                chunks.append(sub.as_string().encode("utf-8", "surrogateescape"))
        joiner = b"\n" if ctype == "message/delivery-status" else b""
        return joiner.join(chunks)
    cte = content_transfer_encoding(part)
    if cte in ("base64", "quoted-printable"):
        return decode_transfer(_raw_payload(part), cte)
    if cte in ("x-uuencode", "uuencode", "uue", "x-uue"):
        try:
            decoded = part.get_payload(decode=True)
            if isinstance(decoded, bytes):
                return decoded
        except Exception:
            pass
    return _raw_payload(part)


def part_charset(part: Message) -> str:
    try:
        return str(part.get_param("charset") or "")
    except Exception:
        return ""


def part_text(part: Message) -> str:
    return decode_bytes(part_bytes(part), part_charset(part)).replace("\r\n", "\n").replace("\r", "\n")


def filename_for(part: Message, index: int, hints: Hints) -> str:
    """A safe file name: RFC 2231/2047 decoded, no directories, never empty."""
    name = ""
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name:
        try:
            name = str(part.get_param("name") or "")
        except Exception:
            name = ""
    name = clean_header_text(decode_rfc2047(str(name), hints))
    name = re.split(r"[\\/]", name)[-1].strip().strip(".").strip()
    name = "".join(ch for ch in name if ch.isprintable())[:200]
    if name:
        return name
    ctype = part.get_content_type()
    if ctype in ENCLOSING:
        return f"message-{index}.eml"
    ext = mimetypes.guess_extension(ctype) or (".txt" if ctype.startswith(("text/", "message/")) else ".bin")
    return f"part-{index}{ext}"


def content_type_for(part: Message, filename: str) -> str:
    ctype = part.get_content_type()
    has_header = any(n.lower() == "content-type" for n, _ in part.raw_items())
    if not has_header or ctype == "application/octet-stream":
        guessed = mimetypes.guess_type(filename)[0]
        if guessed:
            return guessed
    return ctype
