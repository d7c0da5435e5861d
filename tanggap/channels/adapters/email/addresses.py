"""Finding the sender's address and name in From, Reply-To, Sender and Return-Path.

Three readings of each header are combined, strictest first: the default policy's
structured parse, ``email.utils.getaddresses`` on our own decoding of the raw value,
and a bare regex for an address buried in junk. The first valid address wins.
"""

from __future__ import annotations

import email.utils
import re
from email.message import Message

from tanggap.channels.adapters.email.decode import (
    Hints,
    clean_header_text,
    decode_rfc2047,
    fix_surrogates,
    has_surrogates,
)
from tanggap.channels.adapters.email.headers import raw_header
from tanggap.channels.normalized import IDENTITY_EMAIL, InboundIdentity

_MAX_NAME = 200  # a display name longer than this is spam filler, not a name
_ENCODED_RUN = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?]*\?=(?:\s*=\?[^?\s]+\?[bBqQ]\?[^?]*\?=)*")


def valid_address(addr: str) -> bool:
    local, _, domain = addr.rpartition("@")
    if not local or not domain or len(addr) > 254 or re.search(r"[\s<>\"(),;:\[\]\\]", domain):
        return False
    quoted = len(local) > 1 and local[0] == local[-1] == '"'  # "john smith"@example.com is legal
    return quoted or not re.search(r"[\s<>\"(),;:\[\]\\]", local)


def bounce_sender(external_id: str) -> InboundIdentity:
    """Postfix and others send bounces as ``From: MAILER-DAEMON`` with no domain.

    A bounce of our own reply is worth keeping (the agent must learn the address is
    dead), so rather than rejecting it, name the reporting host from its Message-ID.
    """
    domain = external_id.strip("<>").rpartition("@")[2].lower()
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
        domain = "unknown.invalid"
    return InboundIdentity(kind=IDENTITY_EMAIL, value=f"mailer-daemon@{domain}", name="Mail Delivery System")


def find_sender(msg: Message, hints: Hints) -> InboundIdentity | None:
    for name in ("From", "Reply-To", "Sender", "Return-Path"):
        candidates = _addresses(msg, name, hints)
        encoded = "=?" in str(raw_header(msg, name))
        for _, addr, _ in candidates:
            if valid_address(addr):
                display = _display_name(candidates, addr, encoded=encoded)
                return InboundIdentity(kind=IDENTITY_EMAIL, value=addr.lower(), name=display)
    return None


def _display_name(candidates: list[tuple[str, str, str]], addr: str, *, encoded: bool) -> str:
    """The cleanest decoding of the sender's name.

    With encoded words in the header our decoder wins (it joins adjacent words as
    RFC 2047 requires and survives mislabelled charsets); otherwise the default
    policy's reading wins (it understands comments and quoting better).
    """
    order = ("compat", "policy") if encoded else ("policy", "compat")
    names = [(d, src) for d, a, src in candidates if a.lower() == addr.lower() and d.strip() and src in order]
    if not names:
        return ""
    best, _ = min(names, key=lambda n: (has_surrogates(n[0]), _garbled(n[0]), order.index(n[1])))
    return clean_header_text(fix_surrogates(best)).strip("\"' ").replace("\x00", "")[:_MAX_NAME]


def _garbled(text: str) -> bool:
    return "\ufffd" in text or has_surrogates(text) or "=?" in text


def _addresses(msg: Message, name: str, hints: Hints) -> list[tuple[str, str, str]]:
    """Candidate (display name, address, source) from every ``name`` header, strictest first.

    The default policy's structured parse comes first; then ``getaddresses`` on our own
    decoding of the raw header (8-bit names, charsets the policy cannot decode); then
    a bare regex for an address buried in junk.
    """
    raws = [clean_header_text(fix_surrogates(str(v), hints)) for k, v in msg.raw_items() if k.lower() == name.lower()]
    found: list[tuple[str, str, str]] = []
    try:
        for header in msg.get_all(name) or ():
            for address in getattr(header, "addresses", ()) or ():
                addr = address.addr_spec
                if addr.startswith('"') and not any('"' in raw for raw in raws):
                    continue  # the policy quoted an unquoted "Name name@host": not what was written
                found.append((address.display_name, addr, "policy"))
    except Exception:
        pass
    for raw in raws:
        found.extend((d, a, "compat") for d, a in _getaddresses(raw, hints))
    for raw in raws:
        found.extend(("", m, "regex") for m in re.findall(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+", raw))
    return [(d, fix_surrogates(a, hints).strip().strip("<>").strip(), source) for d, a, source in found]


def _getaddresses(raw: str, hints: Hints) -> list[tuple[str, str]]:
    """``email.utils.getaddresses`` with encoded words kept whole.

    Mailers put commas inside encoded display names (``=?iso-8859-1?Q?B=FCrling,=20A?=``);
    left in place, the comma would split one address into two.
    """
    words: list[str] = []

    def stash(match: re.Match) -> str:
        words.append(match.group(0))
        return f"qzEW{len(words) - 1}Zq"

    protected = _ENCODED_RUN.sub(stash, raw)
    try:
        pairs = email.utils.getaddresses([protected])
    except Exception:
        return []
    restore = re.compile(r"qzEW(\d+)Zq")
    return [(decode_rfc2047(restore.sub(lambda m: words[int(m.group(1))], d), hints), a) for d, a in pairs]
