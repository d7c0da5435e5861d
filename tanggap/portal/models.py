"""One-time sign-in links for the customer portal.

A row is written for every request on ``/portal/login/``, known address or not, so the
request path is the same for both (nothing tells an outsider whether an address has an
account) and the rate limit counts both. The worker mints the token and emails it; only
the SHA-256 of the token is stored, so a copy of the database cannot sign anyone in.
"""

from __future__ import annotations

from django.db import models

from tanggap.common.clock import now


class LoginLinkStatus(models.TextChoices):
    REQUESTED = "requested", "requested"  # stored by the request, waiting for the worker
    SENDING = "sending", "sending"  # token minted, email on its way
    SENT = "sent", "sent"
    UNKNOWN = "unknown", "unknown"  # no email identity: nothing sent
    FAILED = "failed", "failed"  # the SMTP server refused or was unreachable


class LoginLink(models.Model):
    # HMAC of the normalised address (keyed by SECRET_KEY): enough to rate-limit, not readable.
    address_hash = models.CharField(max_length=64)
    identity = models.ForeignKey("customers.Identity", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    language = models.CharField(max_length=5, default="id")
    status = models.CharField(max_length=10, choices=LoginLinkStatus.choices, default=LoginLinkStatus.REQUESTED)
    # SHA-256 (hex) of the token in the emailed link; the token itself is never stored.
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["address_hash", "created_at"], name="portal_login_address_created")]

    def __str__(self) -> str:
        return f"login link {self.pk} ({self.status})"
