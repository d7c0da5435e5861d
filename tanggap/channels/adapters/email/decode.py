"""Byte and header decoding that never raises.

Real mail lies about its charset (``us-ascii`` bodies full of UTF-8, ``iso-8859-1``
that is really cp1252, ``ks_c_5601-1987``, charsets that do not exist) and about
its transfer encoding (``base64;``, ``7-bit``, ``quoted-printable `` with a space).
A helpdesk must still show the customer's words, so every function here degrades to
the most plausible text instead of failing: declared charset, then UTF-8, then
look-alike codecs, then cp1252, then latin-1 (which maps every byte).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

# Names seen in the wild mapped to the codec that actually decodes them. Supersets
# are used on purpose (WHATWG does the same): a mail labelled iso-8859-1 written
# on Windows contains cp1252 quotes, a gb2312 mail often contains GBK characters.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "default": "",
    "x-user-defined": "",
}

# Codecs a mislabelled CJK text most often really is in (a "iso-2022-jp" label on
# Shift_JIS bytes, "gb2312" on Big5). Tried only after the label and UTF-8 failed.
_SIBLINGS = {
    "iso2022_jp": ("cp932", "euc_jp"),
    "euc_jp": ("cp932", "iso2022_jp"),
    "cp932": ("euc_jp", "iso2022_jp"),
    "gb18030": ("big5hkscs",),
    "big5hkscs": ("gb18030",),
    "cp949": ("iso2022_kr",),
}
_MULTIBYTE = {
    "utf-8", "utf-16", "utf-32", "gb18030", "big5hkscs", "cp949", "cp932", "euc_jp", "iso2022_jp", "iso2022_kr",
}  # fmt: skip

Hints = tuple[str, ...]


def codec_for(charset: str | None) -> str:
    """Return a Python codec name for a declared charset, or "" when unusable."""
    if not charset:
        return ""
    name = str(charset).strip().strip("\"'").lower()
    name = name.split("*", 1)[0]  # RFC 2231 language suffix: utf-8*en
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _try(data: bytes, names: list[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name and name not in seen:
            seen.add(name)
            try:
                return data.decode(name)
            except (UnicodeDecodeError, LookupError):
                pass
    return None


def _last_resort(data: bytes, declared: str = "") -> str:
    if declared == "utf-8":
        text = _mostly_utf8(data)  # one broken sequence in real UTF-8; else it was cp1252 all along
        if text is not None:
            return text
    elif declared in _MULTIBYTE:  # a few broken sequences: keep the rest readable
        return data.decode(declared, errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode text whose charset was declared: the label, UTF-8, its siblings, cp1252, latin-1."""
    declared = codec_for(charset)
    text = _try(data, [declared, "utf-8", *_SIBLINGS.get(declared, ())])
    return text if text is not None else _last_resort(data, declared)


def decode_undeclared(data: bytes, hints: Hints = ()) -> str:
    """Decode raw 8-bit header bytes, which carry no label at all.

    UTF-8 first (RFC 6532), then the charsets the body parts declare, multi-byte ones
    before single-byte ones because a single-byte codec accepts any bytes.
    """
    names = [codec_for(h) for h in hints]
    multi = [n for n in names if n in _MULTIBYTE]
    single = [n for n in names if n and n not in _MULTIBYTE]
    siblings = [s for n in multi for s in _SIBLINGS.get(n, ())]
    text = _try(data, ["utf-8", *multi, *siblings])
    if text is None:
        text = _mostly_utf8(data)
    if text is None:
        text = _try(data, single)
    return text if text is not None else _last_resort(data)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a stray broken byte (a truncated header) is still UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return text if good and good >= 4 * bad else None


def has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def fix_surrogates(value: str, hints: Hints = ()) -> str:
    """Turn surrogate-escaped raw 8-bit header bytes back into text.

    The stdlib parser keeps undeclared 8-bit header bytes as lone surrogates; they
    cannot be stored or rendered, so decode them with ``decode_undeclared``.
    """
    if not has_surrogates(value):
        return value
    return decode_undeclared(value.encode("utf-8", "surrogateescape"), hints)


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")


def _decode_word(encoding: str, text: str) -> bytes:
    if encoding.lower() == "b":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return text.encode("ascii", "replace")
    return binascii.a2b_qp(text.replace("_", " ").encode("ascii", "replace"), header=True)


def decode_rfc2047(value: str, hints: Hints = ()) -> str:
    """Decode RFC 2047 encoded words leniently.

    Unlike the stdlib this also decodes words glued to other text and joins adjacent
    words of one charset as bytes first, because mailers split multi-byte characters
    across words (common in Japanese and Chinese subjects).
    """
    value = fix_surrogates(value, hints)
    if "=?" not in value:
        return value
    value = _BETWEEN_WORDS.sub(r"\1\2", value)
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    pos = 0

    def flush() -> None:
        nonlocal pending_charset
        if pending:
            out.append(decode_bytes(b"".join(pending), pending_charset))
            pending.clear()
        pending_charset = ""

    for match in _ENCODED_WORD.finditer(value):
        if match.start() > pos:
            flush()
            out.append(value[pos : match.start()])
        charset, encoding, text = match.groups()
        if pending and charset.lower() != pending_charset.lower():
            flush()
        pending_charset = charset
        pending.append(_decode_word(encoding, text))
        pos = match.end()
    flush()
    out.append(value[pos:])
    return "".join(out)


def clean_header_text(value: str) -> str:
    """Unfold a header value and drop control characters."""
    value = re.sub(r"\r?\n[ \t]*", " ", value)
    return "".join(ch if ch >= " " or ch == "\t" else " " for ch in value).replace("\t", " ").strip()


def decode_transfer(payload: bytes, cte: str) -> bytes:
    """Undo a Content-Transfer-Encoding; unknown encodings return the bytes as they are."""
    if cte == "base64":
        cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", payload)
        cleaned = cleaned[: len(cleaned) - len(cleaned) % 4] if len(cleaned) % 4 == 1 else cleaned
        cleaned += b"=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return payload
    if cte == "quoted-printable":
        return binascii.a2b_qp(payload)
    return payload
