"""An API client that sends each request through the WSGI application a server runs
(``tanggap.wsgi.application``: the intake fast path, then Django), not through Django's test
client, which calls Django's handler directly and so never meets the fast path. Responses look
like the test client's to the tests: ``status_code``, ``body``, ``r["Header"]``, ``has_header``."""

from __future__ import annotations

import io
import json
import sys
from contextlib import contextmanager

from django.core import signals
from django.db import close_old_connections


class WsgiResponse:
    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes):
        self.status_code = int(status.split(" ", 1)[0])
        self.reason = status.split(" ", 1)[1] if " " in status else ""
        self.header_list = headers
        self.headers = {k.lower(): v for k, v in headers}
        self.content = content
        ctype = self.headers.get("content-type", "")
        self.body = json.loads(content) if ctype.startswith("application/json") and content else None

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def has_header(self, name: str) -> bool:
        return name.lower() in self.headers

    def get(self, name: str, default=None):
        return self.headers.get(name.lower(), default)


@contextmanager
def _connections_kept():
    # As Django's test client does: the test's transaction holds the connection, so the
    # per-request connection clean-up must not close it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def wsgi_call(app, method: str, path: str, body: bytes = b"", headers: dict | None = None,
              content_type: str = "", secure: bool = False, host: str = "testserver") -> WsgiResponse:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method.upper(), "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "443" if secure else "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": host, "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if body or content_type:
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["CONTENT_TYPE"] = content_type
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        else:
            environ[f"HTTP_{key}"] = value
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, list(response_headers)

    with _connections_kept():
        result = app(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    return WsgiResponse(seen["status"], seen["headers"], content)


class WsgiApiClient:
    """The conftest ``ApiClient``'s interface over ``tanggap.wsgi.application``."""

    def __init__(self, token: str | None):
        from tanggap.wsgi import application

        self.app = application
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method, path, data=None, content_type="application/json", **headers):
        if data is not None and not isinstance(data, (bytes, str)):
            data = json.dumps(data)
        body = data.encode() if isinstance(data, str) else (data or b"")
        return wsgi_call(self.app, method, f"/api/v1{path}", body, {**self.headers, **headers},
                         content_type=content_type if data is not None else "")

    def get(self, path, **kw):
        return self._call("get", path, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)
