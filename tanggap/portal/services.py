"""Writes of the customer portal: messages through channel intake, and one-time sign-in links.

Sign-in, step by step:

1. ``login_link_request`` (in the request): store a ``LoginLink`` row for the address,
   known or not, unless the address asked too often; enqueue ``send_login_link``.
   The request does the same work whether or not the address belongs to a customer.
2. ``login_link_send`` (in the worker): mint a 256-bit token, keep only its SHA-256,
   and email the link through the email channel's own adapter (the same SMTP sender
   as replies). An address without a customer gets nothing.
3. ``login_link_redeem`` (the customer presses "Sign in"): one conditional UPDATE marks
   the link used if it is unused and not expired, so a link works once, for 15 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tanggap.channels.adapters.base import OutboundEnvelope, SendError, get_adapter
from tanggap.channels.lookup import channel_for
from tanggap.channels.services import inbound_receive
from tanggap.common.clock import now
from tanggap.conversations.models import Ticket
from tanggap.customers.models import Customer, Identity
from tanggap.customers.services import normalize_identity_value, resolve
from tanggap.portal.models import LoginLink, LoginLinkStatus
from tanggap.texts.services import language_of

log = logging.getLogger(__name__)

LINK_VALID_FOR = dt.timedelta(minutes=15)
RATE_LIMIT = 5  # links per address ...
RATE_WINDOW = dt.timedelta(hours=1)  # ... per this window
KEEP_ROWS_FOR = dt.timedelta(days=2)


# --- messages -------------------------------------------------------------------------


def portal_message_receive(*, sender: dict, subject: str, body: str, language: str = "") -> Ticket:
    """Store one web-form message through channel intake; returns the ticket it landed on.

    ``ticket.opened_by_this_message`` tells whether the message opened that ticket. The contact
    form takes any address unverified, and a subject naming one of that customer's open cases
    threads the message into it: only a ticket the message opened may be shown to its writer."""
    payload = {"channel": "web", "external_id": str(uuid.uuid4()), "from": sender, "subject": subject, "body": body}
    if language in ("id", "ms", "en"):
        payload["language"] = language
    results = inbound_receive(channel=channel_for(kind="web"), body=json.dumps(payload).encode(),
                              content_type="application/json", source="api")
    ticket, message = results[0].ticket, results[0].message
    first = ticket.messages.order_by("id").values_list("pk", flat=True).first()
    ticket.opened_by_this_message = results[0].created and first == message.pk
    return ticket


# --- sign-in links ----------------------------------------------------------------------


def address_hash(address: str) -> str:
    return salted_hmac("tanggap.portal.login-address", normalize_identity_value(Identity.Kind.EMAIL, address),
                       algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login_link_request(*, address: str, language: str) -> LoginLink | None:
    """Record a sign-in request and enqueue its email; None when the address asked too often.

    Callers answer the same way in every case: whether a link goes out is not disclosed."""
    t = now()
    hashed = address_hash(address)
    value = normalize_identity_value(Identity.Kind.EMAIL, address)
    with transaction.atomic():
        LoginLink.objects.filter(created_at__lt=t - KEEP_ROWS_FOR).delete()
        recent = LoginLink.objects.filter(address_hash=hashed, created_at__gt=t - RATE_WINDOW).count()
        if recent >= RATE_LIMIT:
            log.info("portal login link refused: rate limit")
            return None
        identity = Identity.objects.filter(kind=Identity.Kind.EMAIL, namespace="", value=value).first()
        link = LoginLink.objects.create(address_hash=hashed, identity=identity, language=language_of(language),
                                        created_at=t)
        transaction.on_commit(lambda: _enqueue(link.pk))
    return link


def _enqueue(link_id: int) -> None:
    from tanggap.portal.tasks import send_login_link

    send_login_link.enqueue(link_id=link_id)


def login_url(token: str) -> str:
    """Built from TANGGAP_SITE_URL, never from the request's Host header (which an attacker sets)."""
    return settings.TANGGAP_SITE_URL.rstrip("/") + reverse("portal:login-link", kwargs={"token": token})


def login_link_send(*, link_id: int) -> str:
    """Mint the token and email the link (the worker's job). Returns the outcome."""
    link = LoginLink.objects.select_related("identity__customer").filter(pk=link_id).first()
    if link is None or link.status != LoginLinkStatus.REQUESTED:
        return "skipped"
    if link.identity is None:
        LoginLink.objects.filter(pk=link.pk, status=LoginLinkStatus.REQUESTED).update(status=LoginLinkStatus.UNKNOWN)
        return "unknown"
    customer = resolve(link.identity.customer)
    token = secrets.token_urlsafe(32)  # 256 bits
    claimed = LoginLink.objects.filter(pk=link.pk, status=LoginLinkStatus.REQUESTED).update(
        status=LoginLinkStatus.SENDING, customer=customer, token_hash=token_hash(token),
        expires_at=now() + LINK_VALID_FOR)
    if not claimed:  # another worker took it
        return "skipped"
    with translation.override(link.language):
        envelope = OutboundEnvelope(to=link.identity.value, subject=_("Your sign-in link"),
                                    body_text=_login_email_text(customer, login_url(token)))
    channel = channel_for(kind="email")
    try:
        get_adapter(channel.kind).send(channel, envelope)
    except SendError as exc:
        LoginLink.objects.filter(pk=link.pk).update(status=LoginLinkStatus.FAILED, error=str(exc)[:2000],
                                                     token_hash=None)
        log.warning("portal login link %s not sent: %s", link.pk, exc)
        return "failed"
    LoginLink.objects.filter(pk=link.pk, status=LoginLinkStatus.SENDING).update(status=LoginLinkStatus.SENT)
    return "sent"


def _login_email_text(customer: Customer, url: str) -> str:
    greeting = _("Hello %(name)s,") % {"name": customer.name} if customer.name else _("Hello,")
    return "\n\n".join([
        greeting,
        _("Open this link to sign in to our customer portal and see all your cases:"),
        url,
        _("The link works once, for 15 minutes. If you did not ask for it, ignore this email: "
          "nobody can sign in without it."),
    ]) + "\n"


def login_link_check(*, token: str) -> LoginLink | None:
    """The link if it may still be used (for the confirmation page); does not use it up."""
    if not token:
        return None
    return LoginLink.objects.filter(token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=now(),
                                    customer__isnull=False).first()


def login_link_redeem(*, token: str) -> Customer | None:
    """Use the link up and return its customer, or None if it is unknown, used or expired."""
    if not token:
        return None
    t = now()
    hashed = token_hash(token)
    with transaction.atomic():
        used = LoginLink.objects.filter(token_hash=hashed, used_at__isnull=True, expires_at__gt=t,
                                        customer__isnull=False).update(used_at=t)
        if not used:
            return None
        link = LoginLink.objects.select_related("customer").get(token_hash=hashed)
        # Older links of the same customer stop working once one was used.
        LoginLink.objects.filter(customer=link.customer, used_at__isnull=True).update(expires_at=t)
    return resolve(link.customer)
