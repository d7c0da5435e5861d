"""The web application as ``tanggap serve`` runs it: uvicorn workers under gunicorn.

Live chat streams (Server-Sent Events, ``tanggap.livechat``) are long-lived: served by Django's
ASGI handler, a waiting stream is a suspended coroutine, not a thread. Every other request goes
to the ordinary WSGI application on a fixed pool of ``TANGGAP_WEB_THREADS`` threads per process
(what gunicorn's gthread workers gave before): the same bounded concurrency, the same persistent
database connections per thread, the same code path the rest of the product was measured on.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanggap.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()
from tanggap.wsgi import application as django_wsgi  # noqa: E402  (with the intake fast path, api/fastpath.py)

from tanggap.livechat.views import ASYNC_PATH  # noqa: E402  (after Django is set up)


def _environ(scope: dict, body: bytes) -> dict:
    path = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    server = scope.get("server") or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": scope["method"], "SCRIPT_NAME": root.encode().decode("latin1"),
        "PATH_INFO": path.encode().decode("latin1"), "QUERY_STRING": scope.get("query_string", b"").decode("latin1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}", "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] or 80), "wsgi.version": (1, 0), "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"] = scope["client"][0]
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin1"), raw_value.decode("latin1")
        key = {"content-length": "CONTENT_LENGTH", "content-type": "CONTENT_TYPE"}.get(
            name, "HTTP_" + name.upper().replace("-", "_"))
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


class WsgiPool:
    """Runs the WSGI application for one request on the pool, streaming its body back."""

    def __init__(self, app, threads: int) -> None:
        self.app = app
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="web")

    async def __call__(self, scope, receive, send) -> None:
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        def put(item):
            loop.call_soon_threadsafe(queue.put_nowait, item)

        def run():
            started = []

            def start_response(status, headers, exc_info=None):
                if exc_info and started:
                    raise exc_info[1].with_traceback(exc_info[2])
                started.append(True)
                put({"type": "http.response.start", "status": int(status.split(" ", 1)[0]),
                     "headers": [(k.strip().encode("latin1"), v.strip().encode("latin1")) for k, v in headers]})
                return lambda data: put({"type": "http.response.body", "body": data, "more_body": True})

            result = self.app(_environ(scope, b"".join(chunks)), start_response)
            try:
                for chunk in result:
                    if chunk:
                        put({"type": "http.response.body", "body": chunk, "more_body": True})
            finally:
                if hasattr(result, "close"):
                    result.close()  # Django's request_finished: closes stale database connections
            put({"type": "http.response.body", "body": b"", "more_body": False})

        future = loop.run_in_executor(self.executor, run)
        while True:
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getter, future}, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                message = getter.result()
                await send(message)
                if message["type"] == "http.response.body" and not message["more_body"]:
                    break
            else:
                getter.cancel()
                future.result()  # re-raise what the application raised
                while not queue.empty():
                    message = queue.get_nowait()
                    await send(message)
                    if message["type"] == "http.response.body" and not message["more_body"]:
                        return
                return
        await future


class Application:
    def __init__(self, threads: int) -> None:
        self.wsgi = WsgiPool(django_wsgi, threads)

    async def __call__(self, scope, receive, send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif kind == "http" and ASYNC_PATH.match(scope["path"]):
            await django_asgi(scope, receive, send)
        elif kind == "http":
            await self.wsgi(scope, receive, send)
        else:  # no websockets here
            await send({"type": "websocket.close", "code": 1000})


application = Application(threads=int(os.environ.get("TANGGAP_WEB_THREADS", "4")))
