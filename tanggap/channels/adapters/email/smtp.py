"""Outbound email over SMTP, with Django's SMTP backend and its ``EMAIL_*`` settings.

The SMTP backend is used explicitly, whatever ``EMAIL_BACKEND`` says: this is the
email *channel*, whose whole job is a real delivery with a real outcome (a
test-run's locmem backend would report every reply as delivered). Host, port,
credentials and TLS come from ``EMAIL_HOST``/``EMAIL_PORT``/``EMAIL_HOST_USER``/
``EMAIL_HOST_PASSWORD``/``EMAIL_USE_TLS``/``EMAIL_USE_SSL``; ``EMAIL_TIMEOUT``
defaults to 15 s because an SMTP call without a timeout can hang a worker forever.

Two things matter beyond "deliver it":

* Threading. The customer's mail client groups our reply with their mail only if
  ``In-Reply-To`` and ``References`` name their Message-ID, and our own
  ``Message-ID`` is what their next reply will quote back to us.
* Retry semantics. The outbound task retries with backoff, so every failure is
  sorted: a timeout, a dropped connection or a 4xx reply is temporary
  (``retryable=True``); a 5xx refusal ("550 no such user") never passes
  (``retryable=False``) and must be shown to the agent instead.
"""

from __future__ import annotations

import logging
import re
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from tanggap.channels.adapters.base import ChannelConfig, OutboundEnvelope, SendError, SendResult

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 15
_MAX_REFERENCES = 20  # RFC 5322 §3.6.4: keep the first and the most recent ids
_MSG_ID = re.compile(r"<[^<>\s]+>")


def send_email(channel: ChannelConfig, envelope: OutboundEnvelope) -> SendResult:
    """Send one message; return its Message-ID as ``provider_id`` or raise ``SendError``."""
    from_address = (channel.from_address or getattr(settings, "DEFAULT_FROM_EMAIL", "")).strip()
    recipient = envelope.to.strip()
    if not recipient or "@" not in recipient or re.search(r"[\r\n,;]", recipient):
        raise SendError(f"'{recipient}' is not a single email address.", retryable=False)
    if not from_address:
        raise SendError("The email channel has no From address configured.", retryable=False)

    message_id = _first_id(envelope.message_id) or make_msgid(domain=_domain(from_address))
    headers = {"Message-ID": message_id}
    in_reply_to = _first_id(envelope.in_reply_to)
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    references = _references(envelope.references, in_reply_to)
    if references:
        headers["References"] = " ".join(references)
    config = channel.config if isinstance(getattr(channel, "config", None), dict) else {}
    reply_to = [str(config["reply_to"])] if config.get("reply_to") else None

    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT_SECONDS
    connection = SmtpBackend(fail_silently=False, timeout=timeout)
    message = EmailMultiAlternatives(
        subject=" ".join(envelope.subject.split()),  # a newline in a header is an injection, not a subject
        body=envelope.body_text,
        from_email=from_address,
        to=[recipient],
        reply_to=reply_to,
        headers=headers,
        connection=connection,
    )
    if envelope.body_html:
        message.attach_alternative(envelope.body_html, "text/html")
    for filename, content_type, content in envelope.attachments:
        message.attach(filename, content, content_type or "application/octet-stream")

    try:
        sent = message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{rcpt}: {code} {_text(reply)}" for rcpt, (code, reply) in exc.recipients.items())
        raise SendError(f"Recipient refused: {detail}", retryable=any(_temporary(c) for c in codes)) from exc
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth, connect, HELO
        raise SendError(
            f"SMTP server said {exc.smtp_code} {_text(exc.smtp_error)}", retryable=_temporary(exc.smtp_code)
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:  # e.g. STARTTLS configured but not offered
        raise SendError(f"SMTP server does not support a required feature: {exc}", retryable=False) from exc
    except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused connections, timeouts, TLS errors
        raise SendError(f"SMTP connection failed: {type(exc).__name__}: {exc}", retryable=True) from exc
    except (BadHeaderError, ValueError, UnicodeError) as exc:
        raise SendError(f"The message could not be built: {exc}", retryable=False) from exc
    if sent != 1:
        raise SendError("The mail backend reported that nothing was sent.", retryable=True)
    logger.info("email sent message_id=%s", message_id)
    return SendResult(provider_id=message_id)


def _temporary(code: int) -> bool:
    """4xx is "try again later"; 5xx is final. Anything odd is treated as temporary."""
    return not 500 <= int(code) <= 599


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _first_id(value: str) -> str:
    match = _MSG_ID.search(value or "")
    if match:
        return match.group(0)
    bare = "".join((value or "").split()).strip("<>")
    return f"<{bare}>" if "@" in bare else ""


def _references(references: list[str], in_reply_to: str) -> list[str]:
    ids: list[str] = []
    for item in [*references, in_reply_to]:
        for found in _MSG_ID.findall(item or ""):
            if found not in ids:
                ids.append(found)
    if len(ids) > _MAX_REFERENCES:
        ids = [ids[0], *ids[-(_MAX_REFERENCES - 1) :]]
    return ids


def _domain(address: str) -> str:
    """The domain for a generated Message-ID; avoids ``make_msgid``'s slow DNS lookup."""
    domain = address.rpartition("@")[2].strip(" >").lower()
    return domain if re.fullmatch(r"[a-z0-9.-]+", domain or "") else "tanggap.invalid"
