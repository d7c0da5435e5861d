"""The accept path of intake served ahead of Django's request machinery.

``POST /api/v1/messages`` with ``Prefer: respond-async`` is the one request a busy shop sends
thousands of times a minute (every message of every channel that posts through the API). Its
work is small: check the token, check the message, store the payload and its job in one
transaction, answer 202. Through Django's middleware, URL resolver and django-ninja's request
and response objects that work cost about 1.6 ms of CPU per message; most of it was the
machinery, not the work.

``IntakeFastPath`` wraps the WSGI application (``tanggap/wsgi.py``). For that one request, on
its ordinary happy path, it does the same work with the same code (``MessageIn``,
``parse_generic``, ``inbound_accept``; the token and the channel are checked by the same
queries as ``TokenAuth`` and ``channel_for``, reading only the columns that decide: ``token_role``,
``default_channel_id``) and writes the answer Django would have written, headers included. Everything else goes to Django untouched, and so
does any request this path is not sure of: a missing or unusual header, a session cookie, a
body that fails any check, an unknown channel, a refused token, a database error before the
commit. Django then answers it as always (401, 400, 404, 422, ...), so the errors keep one
source. Nothing is written before the checks pass, and a write that fails rolls back whole
before Django tries again, so a message is never stored twice.

``tests/api/test_fastpath.py`` sends the same requests through both paths and compares status,
headers, body and stored rows; ``TANGGAP_INTAKE_FASTPATH=0`` turns the path off.
"""

from __future__ import annotations

import io
import json
import logging

from django.conf import settings
from django.core import signals
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host

log = logging.getLogger(__name__)

PATH = "/api/v1/messages"


def wants_async(prefer: str) -> bool:
    """RFC 7240: ``respond-async`` among the preferences of a ``Prefer`` header, in any case (the
    fast path and the messages router read it with this one function)."""
    return any(p.split(";", 1)[0].strip().lower() == "respond-async" for p in prefer.split(","))


class IntakeFastPath:
    def __init__(self, app):
        self.app = app
        self.enabled = bool(getattr(settings, "TANGGAP_INTAKE_FASTPATH", True))
        if settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW or settings.USE_X_FORWARDED_HOST:
            self.enabled = False  # CommonMiddleware's checks are not repeated here
        self.allowed_hosts = settings.ALLOWED_HOSTS or (
            [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
        self.limit = min(settings.TANGGAP_MAX_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**63)
        # What SecurityMiddleware and XFrameOptionsMiddleware add to every answer.
        extra = []
        if settings.X_FRAME_OPTIONS:
            extra.append(("X-Frame-Options", settings.X_FRAME_OPTIONS.upper()))
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            extra.append(("X-Content-Type-Options", "nosniff"))
        if settings.SECURE_REFERRER_POLICY:
            policy = settings.SECURE_REFERRER_POLICY
            extra.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            extra.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
        self.extra_headers = extra
        hsts = ""
        if settings.SECURE_HSTS_SECONDS:
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
        self.hsts = hsts
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, environ, start_response):
        if not (self.enabled and environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST"):
            return self.app(environ, start_response)
        answer = self._accept(environ)
        if answer is None:
            return self.app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    # -- the request ------------------------------------------------------------------------

    def _is_secure(self, environ) -> bool:
        header = settings.SECURE_PROXY_SSL_HEADER
        if header:
            name, value = header
            forwarded = environ.get(name)
            if forwarded is not None:
                return forwarded.split(",", 1)[0].strip() == value
        return environ.get("wsgi.url_scheme") == "https"

    def _host_ok(self, environ) -> bool:
        host = environ.get("HTTP_HOST")
        if not host:
            host = environ.get("SERVER_NAME", "")
            port = str(environ.get("SERVER_PORT", ""))
            if port and port != ("443" if environ.get("wsgi.url_scheme") == "https" else "80"):
                host = f"{host}:{port}"
        domain, _port = split_domain_port(host)
        return bool(domain) and validate_host(domain, self.allowed_hosts)

    def _token(self, environ) -> str | None:
        parts = environ.get("HTTP_AUTHORIZATION", "").split(" ")
        if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1]:
            return None
        return parts[1]

    def _read(self, environ) -> bytes | None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if length <= 0 or length > self.limit:
            return None
        body = environ["wsgi.input"].read(length)
        # Django reads the body again if the request goes its way.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return body if len(body) == length else None

    def _accept(self, environ):
        """(status, headers, body) of the 202, or None to let Django answer."""
        content_type = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        if (content_type != "application/json" or not wants_async(environ.get("HTTP_PREFER", ""))
                or environ.get("QUERY_STRING")):
            return None
        secure = self._is_secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if settings.SESSION_COOKIE_NAME in cookies:
            return None  # the language may come from the session's user: Django decides
        token = self._token(environ)
        if token is None or not self._host_ok(environ):
            return None
        body = self._read(environ)
        if body is None or b"\\u0000" in body:
            return None
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            return self._store(token, body, cookies, secure)
        finally:
            signals.request_finished.send(sender=self.__class__)

    def _store(self, token: str, body: bytes, cookies: dict, secure: bool):
        from pydantic import ValidationError

        from tanggap.accounts.selectors import token_role
        from tanggap.api.schemas import MessageIn
        from tanggap.channels import services as intake
        from tanggap.channels.adapters.generic import parse_generic
        from tanggap.channels.lookup import default_channel_id
        from tanggap.common.errors import DomainError

        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                return None
            payload = MessageIn.model_validate(data)
            if token_role(token) is None:
                return None
            channel_id = default_channel_id(payload.channel.strip().lower())
            if channel_id is None:
                return None
            parse_generic(body)
        except (ValueError, ValidationError, DomainError):
            return None
        try:
            raw = intake.inbound_accept(channel_id=channel_id, body=body, content_type="application/json",
                                        source="api")
        except Exception:  # rolled back whole: Django tries again and answers
            log.warning("intake fast path: storing failed, handing the request to Django", exc_info=True)
            return None
        url = f"{PATH}/inbound/{raw.pk}"
        out = json.dumps({"inbound_id": raw.pk, "status": raw.status, "status_url": url}).encode()
        language = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")[:2]
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Preference-Applied", "respond-async"),
                   ("Location", url), ("Vary", "Cookie"),
                   ("Content-Language", language if language in self.languages else settings.LANGUAGE_CODE),
                   ("Content-Length", str(len(out))), *self.extra_headers]
        if secure and self.hsts:
            headers.append(("Strict-Transport-Security", self.hsts))
        return "202 Accepted", headers, out
