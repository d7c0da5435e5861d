"""Domain errors: every expected failure carries a stable machine-readable code.

The API turns these into ``{"error": {"code": ..., "message": ...}}`` with ``status``;
the web console shows ``message``; the CLI prints it. Nothing else should leak to a user.
"""

from __future__ import annotations


class DomainError(Exception):
    """An expected, user-facing failure. ``code`` is stable; ``message`` is for people."""

    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class PayloadTooLarge(DomainError):
    status = 413


class ParseError(DomainError):
    """An inbound payload could not be understood. The raw payload is still kept."""

    status = 422
