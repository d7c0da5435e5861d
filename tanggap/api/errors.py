"""Every error leaves the API as ``{"error": {"code", "message"}}`` with a 4xx status."""

from __future__ import annotations

import logging

from django.db import DataError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tanggap.common.errors import DomainError

log = logging.getLogger(__name__)


def error_response(api: NinjaAPI, request: HttpRequest, code: str, message: str, status: int):
    return api.create_response(request, {"error": {"code": code, "message": message}}, status=status)


def _describe(errors: list[dict]) -> str:
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path"))
        parts.append(f"{loc or 'body'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return error_response(api, request, exc.code, exc.message, exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = exc.errors
        if any(e.get("type") == "json_invalid" for e in errors) or any("JSON" in str(e.get("msg", "")) for e in errors):
            return error_response(api, request, "malformed_json", "The body is not valid JSON.", 400)
        return error_response(api, request, "invalid_input", _describe(errors), 422)

    @api.exception_handler(OverflowError)
    def out_of_range(request, exc: OverflowError):
        # A number (an id, a quantity) beyond what the database stores, or a date pushed past
        # year 9999 by arithmetic on it: the input is out of range, not a server failure.
        log.info("out of range input on %s: %s", request.path, exc)
        return error_response(api, request, "out_of_range", "A number or a date in the request is out of range.", 422)

    @api.exception_handler(DataError)
    def data_error(request, exc: DataError):
        # The database refused a value (PostgreSQL: a number out of range, a text longer than
        # its column). The schemas bound what they can; this is the net under them.
        log.info("value refused by the database on %s: %s", request.path, exc)
        return error_response(api, request, "out_of_range",
                              "A value in the request cannot be stored: too large for its field, or a character "
                              "the database refuses.", 422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return error_response(api, request, "unauthorized", "A valid API token is required (Authorization: Bearer TOKEN).", 401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, DomainError):  # raised by the body parser (tanggap.api.main)
            return domain_error(request, exc.__cause__)
        if exc.status_code == 400 and "Cannot parse request body" in str(exc):
            return error_response(api, request, "malformed_json", "The body is not valid JSON.", 400)
        return error_response(api, request, f"http_{exc.status_code}", str(exc), exc.status_code)
