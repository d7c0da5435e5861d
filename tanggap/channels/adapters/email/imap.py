"""Polling an IMAP mailbox for inbound mail.

The contract is "at least once, never lost": a message is marked processed (moved
to ``processed_folder``, or flagged ``\\Flagged`` + ``\\Seen``) only *after*
``store(raw)`` returned. A crash between the two means the message is fetched
again on the next poll, which is harmless because intake is idempotent on the
Message-ID. Fetching uses ``BODY.PEEK[]`` so a failed message stays unread for the
humans who also look at the mailbox.

Without a processed folder, "processed" means *both* ``\\Seen`` and ``\\Flagged``:
a message a person merely read (``\\Seen``) or starred (``\\Flagged``) before the
poll is still picked up.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from tanggap.common.errors import DomainError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class PollResult:
    fetched: int = 0  # messages downloaded
    stored: int = 0  # store() returned and the message was marked processed
    failed: int = 0  # store() raised or the fetch failed: left for the next poll


class MailboxError(DomainError):
    """The mailbox could not be reached, logged into or opened."""

    status = 502


def imap_poll(
    *,
    host: str,
    port: int,
    use_tls: bool,
    user: str,
    password: str,
    folder: str = "INBOX",
    processed_folder: str = "",
    store: Callable[[bytes], None],
    limit: int = 200,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> PollResult:
    """Fetch up to ``limit`` unprocessed messages from ``folder``, oldest first."""
    conn = _connect(host, port, use_tls, timeout)
    try:
        try:
            conn.login(user, password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError("imap_login_failed", f"IMAP login as '{user}' failed: {_text(exc)}") from None
        capabilities = _capabilities(conn)
        typ, data = conn.select(mailbox_name(folder))
        if typ != "OK":
            raise MailboxError("imap_folder_missing", f"IMAP folder '{folder}' cannot be opened: {_text(data)}")
        if processed_folder:
            _ensure_folder(conn, processed_folder)
        fetched = stored = failed = 0
        needs_expunge = False
        for uid in _unprocessed(conn, moving=bool(processed_folder))[: max(0, limit)]:
            raw = _fetch(conn, uid)
            if raw is None:
                failed += 1
                continue
            fetched += 1
            try:
                store(raw)
            except Exception:
                logger.exception("storing IMAP message uid=%s failed; it stays for the next poll", uid)
                failed += 1
                continue
            stored += 1
            needs_expunge |= _mark_processed(conn, uid, processed_folder, capabilities)
        if needs_expunge:
            conn.expunge()
        return PollResult(fetched=fetched, stored=stored, failed=failed)
    except (imaplib.IMAP4.error, OSError) as exc:  # includes IMAP4.abort: the connection dropped
        raise MailboxError("imap_unavailable", f"IMAP session with {host}:{port} failed: {_text(exc)}") from exc
    finally:
        _logout(conn)


def _connect(host: str, port: int, use_tls: bool, timeout: float) -> imaplib.IMAP4:
    try:
        if use_tls:
            return imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=timeout)
        return imaplib.IMAP4(host, port, timeout=timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError("imap_unavailable", f"IMAP server {host}:{port} is unreachable: {_text(exc)}") from exc


def _logout(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def _capabilities(conn: imaplib.IMAP4) -> set[str]:
    """Capabilities after login: servers (Dovecot) announce MOVE/UIDPLUS only then."""
    try:
        typ, data = conn.capability()
    except imaplib.IMAP4.error:
        return {c.upper() for c in conn.capabilities}
    words = b" ".join(d for d in data if isinstance(d, bytes)).decode("ascii", "replace").upper().split()
    return set(words) | {c.upper() for c in conn.capabilities}


def _unprocessed(conn: imaplib.IMAP4, *, moving: bool) -> list[bytes]:
    """UIDs not yet processed, oldest first.

    Two searches are united client-side instead of ``OR UNSEEN UNFLAGGED``: Dovecot
    2.3 answers that (and ``NOT (SEEN FLAGGED)``) with the UNSEEN messages only.
    """
    searches = [("UNDELETED",)] if moving else [("UNDELETED", "UNSEEN"), ("UNDELETED", "UNFLAGGED")]
    uids: set[bytes] = set()
    for criteria in searches:
        typ, data = conn.uid("SEARCH", *criteria)
        if typ == "OK" and data and data[0]:
            uids.update(data[0].split())
    return sorted(uids, key=int)


def _fetch(conn: imaplib.IMAP4, uid: bytes) -> bytes | None:
    try:
        typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
    except imaplib.IMAP4.error as exc:
        logger.warning("IMAP fetch of uid=%s failed: %s", uid, exc)
        return None
    if typ != "OK":
        return None
    for item in data or ():
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None  # expunged by someone else between SEARCH and FETCH


def _mark_processed(conn: imaplib.IMAP4, uid: bytes, processed_folder: str, capabilities: set[str]) -> bool:
    """Mark one stored message; return True when an EXPUNGE is still owed."""
    try:
        if not processed_folder:
            _ok(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen \Flagged)"), "STORE")
            return False
        target = mailbox_name(processed_folder)
        if "MOVE" in capabilities:
            _ok(conn.uid("MOVE", uid, target), "MOVE")
            return False
        _ok(conn.uid("COPY", uid, target), "COPY")
        _ok(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        if "UIDPLUS" in capabilities:  # expunge just this message, not others marked \Deleted
            _ok(conn.uid("EXPUNGE", uid), "UID EXPUNGE")
            return False
        return True
    except imaplib.IMAP4.error as exc:
        # Stored but not marked: it will be fetched again and deduplicated upstream.
        logger.warning("IMAP uid=%s stored but not marked processed: %s", uid, exc)
        return False


def _ok(response: tuple[str, list], what: str) -> None:
    typ, data = response
    if typ != "OK":
        raise imaplib.IMAP4.error(f"{what} answered {typ}: {_text(data)}")


def _ensure_folder(conn: imaplib.IMAP4, name: str) -> None:
    typ, data = conn.create(mailbox_name(name))
    if typ != "OK" and b"ALREADYEXISTS" not in b" ".join(d for d in data if isinstance(d, bytes)).upper():
        logger.debug("IMAP CREATE %s answered %s %s (probably exists)", name, typ, data)


def mailbox_name(name: str) -> str:
    """Quote a folder name for IMAP, encoding non-ASCII as modified UTF-7 (RFC 3501 §5.1.3)."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).rstrip(b"=").decode("ascii")
            out.append("&" + encoded.replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if " " <= ch <= "~":
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return '"' + re.sub(r'(["\\])', r"\\\1", "".join(out)) + '"'


def _text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
