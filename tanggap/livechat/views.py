"""Live chat over HTTP.

Visitor endpoints (``/chat/api/<channel>/...``) are called by the widget from the business's own
site: cross-origin, so they answer CORS for the channel's allowed origins only, and are exempt
from CSRF because they take no cookie: the signed visitor token in the body (or the stream's
query) is what authenticates. Console endpoints are ordinary staff views with CSRF.

Streams are Server-Sent Events fed by ``hub`` (no query while waiting). The stream views are
async: under ASGI (``tanggap serve``) a waiting stream holds no thread; under WSGI (``runserver``,
the test live server) they fall back to a thread each.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Status
from tanggap.conversations.selectors import tickets_visible_to
from tanggap.livechat import services
from tanggap.livechat.hub import hub, row_of
from tanggap.livechat.models import AgentPresence, ChatConversation, ChatEvent
from tanggap.web.access import staff_required

# The streams: ``tanggap.asgi`` serves these paths with Django's ASGI handler (no thread while waiting).
ASYNC_PATH = re.compile(r"^/chat/(api/[-a-zA-Z0-9_]+/stream|console/stream)$")
STATIC = Path(__file__).parent / "static" / "livechat"
STREAM_SECONDS = 300.0  # then the stream ends and EventSource reconnects with Last-Event-ID
PING_SECONDS = 15.0
BACKLOG = 500
MAX_BODY = 16_384


# --- helpers --------------------------------------------------------------------------------

def _origin_ok(request, channel) -> bool:
    """The channel's allowed origins, and tanggap's own pages (the demo shop, the portal)."""
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/").lower() == f"{request.scheme}://{request.get_host()}".lower():
        return True
    return services.origin_allowed(channel, origin)


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _cors(response, request, channel=None):
    origin = request.headers.get("Origin")
    if origin and channel is not None and _origin_ok(request, channel):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Headers"] = "Content-Type, Last-Event-ID"
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Max-Age"] = "600"
    patch_vary_headers(response, ["Origin"])
    return response


def _error(request, channel, code: str, message: str, status: int):
    return _cors(JsonResponse({"error": {"code": code, "message": message}}, status=status), request, channel)


def visitor_endpoint(view):
    """CORS (preflight included), the channel, the JSON body and the token; DomainError -> JSON."""

    @csrf_exempt
    def wrapped(request, slug, *args, **kwargs):
        try:
            channel = services.chat_channel(slug)
        except DomainError as exc:
            return _error(request, None, exc.code, exc.message, exc.status)
        if not _origin_ok(request, channel):
            return _error(request, None, "origin_not_allowed", "This site may not use this chat.", 403)
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=204), request, channel)
        if request.method != "POST":
            return _error(request, channel, "method_not_allowed", "Use POST.", 405)
        if len(request.body) > MAX_BODY:
            return _error(request, channel, "payload_too_large", "The request is too large.", 413)
        try:
            data = json.loads(request.body or b"{}")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return _error(request, channel, "bad_json", "The body must be a JSON object.", 400)
        try:
            result = view(request, channel, data, *args, **kwargs)
        except DomainError as exc:
            return _error(request, channel, exc.code, exc.message, exc.status)
        return _cors(JsonResponse(result), request, channel)

    return wrapped


def _conversation(channel, data) -> ChatConversation:
    token = data.get("token")
    return services.conversation_for_token(channel=channel, token=token if isinstance(token, str) else "")


def _str(data, key, limit=None) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise DomainError("bad_field", f"'{key}' must be a string.")
    return value if limit is None else value[:limit]


def _db(request, fn):
    """``fn`` as a coroutine. Under ASGI it runs on the request's own thread, which lives as long as
    the stream: its database connection is closed after each call, so 200 waiting streams do not
    hold 200 connections (PostgreSQL's default limit is 100)."""
    if not isinstance(request, ASGIRequest):
        return sync_to_async(fn)

    def run(*args):
        from django.db import connections

        try:
            return fn(*args)
        finally:
            connections.close_all()

    return sync_to_async(run)


def _payload(row: dict) -> dict:
    data = row["data"] if isinstance(row["data"], dict) else {}
    out = {k: v for k, v in data.items() if k in ("text", "author", "typing", "up_to", "notice")}
    out.update(id=row["id"], kind=row["kind"], sender=row["sender"], ticket_id=row["ticket_id"],
               conversation_id=row["conversation_id"], created_at=row["created_at"])
    return out


def _frame(row: dict) -> str:
    return f"id: {row['id']}\ndata: {json.dumps(_payload(row), ensure_ascii=False)}\n\n"


def _last_id(request) -> int | None:
    """Last-Event-ID (a reconnecting EventSource), else ?after= (the first connection); None: neither."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after")
    if raw is None:
        return None
    try:
        return max(0, min(int(raw), 2**62))
    except ValueError:
        return 0


# --- visitor API -----------------------------------------------------------------------------

def _history(conversation: ChatConversation, after: int = 0) -> list[dict]:
    events = (ChatEvent.objects.filter(conversation=conversation, id__gt=after)
              .exclude(sender=ChatEvent.Sender.VISITOR, kind__in=[ChatEvent.Kind.TYPING, ChatEvent.Kind.READ])
              .exclude(kind=ChatEvent.Kind.TYPING).order_by("-id")[:BACKLOG])
    return [_payload(row_of(e)) for e in reversed(events)]


@visitor_endpoint
def session(request, channel, data):
    conversation, token = services.session_open(channel=channel, token=_str(data, "token", 2000),
                                                 language=_str(data, "lang", 20), ip=_ip(request),
                                                 page_url=_str(data, "page", 500))
    return {"token": token, "conversation": conversation.pk, "email": conversation.email,
            "by_email": conversation.by_email, "availability": services.availability(channel),
            "limits": {"max_message_chars": services.config_of(channel)["max_message_chars"]},
            "events": _history(conversation)}


@visitor_endpoint
def message(request, channel, data):
    conversation = _conversation(channel, data)
    event = services.message_send(conversation=conversation, text=_str(data, "text"),
                                  client_id=_str(data, "client_id", 64), ip=_ip(request))
    return {"event": _payload(row_of(event))}


@visitor_endpoint
def identify(request, channel, data):
    conversation = services.identify(conversation=_conversation(channel, data), email=_str(data, "email", 320),
                                     phone=_str(data, "phone", 40), name=_str(data, "name", 200))
    return {"email": conversation.email, "phone": conversation.phone}


@visitor_endpoint
def continue_by_email(request, channel, data):
    conversation = services.continue_by_email(conversation=_conversation(channel, data),
                                              email=_str(data, "email", 320), name=_str(data, "name", 200))
    return {"email": conversation.email, "by_email": True}


@visitor_endpoint
def transcript(request, channel, data):
    email = services.transcript_request(conversation=_conversation(channel, data), email=_str(data, "email", 320))
    return {"email": email, "queued": True}


@visitor_endpoint
def read(request, channel, data):
    up_to = data.get("up_to", 0)
    if not isinstance(up_to, int) or isinstance(up_to, bool):
        raise DomainError("bad_field", "'up_to' must be an event id.")
    event = services.visitor_read(conversation=_conversation(channel, data), up_to=up_to)
    return {"id": event.pk}


# --- streams ---------------------------------------------------------------------------------

def _stream(request, *, match, backlog, on_ping=None, allow=None) -> StreamingHttpResponse:
    """An SSE response: the backlog after Last-Event-ID, then rows from the hub as they come.
    ``allow(row)`` (sync, may query) has the last word on each live row."""
    last = _last_id(request)
    try:  # ?max=SECONDS: a shorter stream (a proxy with a short idle timeout); 0 = the backlog only
        seconds = max(0.0, min(STREAM_SECONDS, float(request.GET.get("max", STREAM_SECONDS))))
    except ValueError:
        seconds = STREAM_SECONDS
    if seconds != seconds:  # NaN
        seconds = STREAM_SECONDS

    def load():
        hub.prime()
        return backlog(last)

    if seconds == 0:
        def frames():
            yield "retry: 1000\n\n"
            for row in backlog(last):
                yield _frame(row)
        content = frames()
    elif isinstance(request, ASGIRequest):
        async def frames():
            sub, q = hub.subscribe_async(match)
            try:
                yield "retry: 1000\n\n"
                sent = set()
                for row in await _db(request, load)():
                    sent.add(row["id"])
                    yield _frame(row)
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    try:
                        row = await asyncio.wait_for(q.get(), timeout=PING_SECONDS)
                    except TimeoutError:
                        if on_ping:
                            await _db(request, on_ping)()
                        yield ": ping\n\n"
                        continue
                    if row["id"] in sent or (allow and not await _db(request, allow)(row)):
                        continue
                    yield _frame(row)
            finally:
                hub.unsubscribe(sub)
        content = frames()
    else:
        import queue as queue_mod

        def frames():
            sub, q = hub.subscribe_queue(match)
            try:
                yield "retry: 1000\n\n"
                sent = set()
                for row in load():
                    sent.add(row["id"])
                    yield _frame(row)
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    try:
                        row = q.get(timeout=min(PING_SECONDS, max(0.01, deadline - time.monotonic())))
                    except queue_mod.Empty:
                        if on_ping:
                            on_ping()
                        yield ": ping\n\n"
                        continue
                    if row["id"] in sent or (allow and not allow(row)):
                        continue
                    yield _frame(row)
            finally:
                hub.unsubscribe(sub)
        content = frames()
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response


def _visitor_for_stream(request, slug):
    channel = services.chat_channel(slug)
    if not _origin_ok(request, channel):
        raise DomainError("origin_not_allowed", "This site may not use this chat.", status=403)
    return channel, services.conversation_for_token(channel=channel, token=request.GET.get("token", "")[:2000])


@csrf_exempt
async def visitor_stream(request, slug):
    if request.method != "GET":
        return JsonResponse({"error": {"code": "method_not_allowed", "message": "Use GET."}}, status=405)
    try:
        channel, conversation = await _db(request, _visitor_for_stream)(request, slug)
    except DomainError as exc:
        return _error(request, None, exc.code, exc.message, exc.status)
    cid = conversation.pk

    def match(row):
        return row["conversation_id"] == cid and not (
            row["sender"] == ChatEvent.Sender.VISITOR and row["kind"] in (ChatEvent.Kind.TYPING, ChatEvent.Kind.READ))

    backlog = _rows_from_payloads(lambda after: _history(conversation, after or 0))
    return _cors(_stream(request, match=match, backlog=backlog), request, channel)


def _rows_from_payloads(fn):
    """``_history`` gives payloads; the stream frames rows: the payload doubles as both."""
    def backlog(after):
        return [{"id": p["id"], "conversation_id": p["conversation_id"], "ticket_id": p["ticket_id"],
                 "kind": p["kind"], "sender": p["sender"], "created_at": p["created_at"], "data": p}
                for p in fn(after)]
    return backlog


# --- console -------------------------------------------------------------------------------

def _staff_sync(request):
    from tanggap.accounts.selectors import role_of

    user = request.user
    return user if user.is_authenticated and role_of(user) is not None else None


@require_GET
async def console_stream(request):
    user = await _db(request, _staff_sync)(request)
    if user is None:
        return JsonResponse({"error": {"code": "forbidden", "message": "Staff only."}}, status=403)
    ticket_filter = request.GET.get("ticket")
    ticket_id = int(ticket_filter) if ticket_filter and ticket_filter.isdigit() else None
    visible: dict[int, bool] = {}

    def allow(row) -> bool:
        tid = row["ticket_id"]
        if tid not in visible:
            visible[tid] = tickets_visible_to(user).filter(pk=tid).exists()
        return visible[tid]

    if ticket_id is not None and not await _db(request, allow)({"ticket_id": ticket_id}):
        return JsonResponse({"error": {"code": "not_found", "message": "No such ticket."}}, status=404)

    def match(row):
        if row["ticket_id"] is None:
            return False
        return ticket_id is None or row["ticket_id"] == ticket_id

    def backlog(after):
        if after is None:  # a console opened now: only what happens from now on
            return []
        qs = ChatEvent.objects.filter(id__gt=after, ticket_id__isnull=False)
        if ticket_id is not None:
            qs = qs.filter(ticket_id=ticket_id)
        return [r for r in (row_of(e) for e in qs.order_by("id")[:BACKLOG]) if allow(r)]

    def on_ping():
        services.presence_touch(user=user)

    await _db(request, on_ping)()
    return _stream(request, match=match, backlog=backlog, on_ping=on_ping, allow=allow)


def open_chats(user, limit: int = 50) -> list[ChatConversation]:
    visible = tickets_visible_to(user).exclude(status__in=[Status.SOLVED, Status.CLOSED]).values("pk")
    return list(ChatConversation.objects.filter(ticket__in=visible).select_related("ticket", "customer")
                .order_by("-last_visitor_at")[:limit])


@require_GET
@staff_required
def console(request):
    presence = AgentPresence.objects.filter(user=request.user).first()
    online = bool(presence and presence.status == AgentPresence.Status.ONLINE)
    return render(request, "livechat/console.html", {
        "chats": open_chats(request.user), "online": online, "agents_online": services.agents_online(),
    })


@require_POST
@staff_required
def presence(request):
    status = request.POST.get("status", "")
    try:
        services.presence_set(user=request.user, status=status)
    except DomainError as exc:
        return JsonResponse({"error": {"code": exc.code, "message": exc.message}}, status=400)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"status": status})
    return redirect("livechat:console")


@require_POST
@staff_required
def typing(request, ticket_id: int):
    ticket = tickets_visible_to(request.user).filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    try:
        services.typing_set(ticket=ticket, user=request.user, typing=request.POST.get("typing", "1") == "1")
    except DomainError as exc:
        return JsonResponse({"error": {"code": exc.code, "message": exc.message}}, status=exc.status)
    return JsonResponse({"ok": True})


# --- widget files and the demo shop -----------------------------------------------------

def _file(name: str, content_type: str) -> HttpResponse:
    response = HttpResponse((STATIC / name).read_bytes(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"  # a public file; lets hosts use SRI/crossorigin
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def widget_js(request):
    return _file("widget.js", "text/javascript; charset=utf-8")


@require_GET
def widget_css(request):
    return _file("widget.css", "text/css; charset=utf-8")


@require_GET
def demo_shop(request):
    """A plain shop page with the widget, for the demo (only when a chat channel says so)."""
    from tanggap.channels.models import Channel

    channel = next((c for c in Channel.objects.filter(kind="chat", active=True) if (c.config or {}).get("demo_shop")),
                   None)
    if channel is None:
        raise Http404
    response = render(request, "livechat/demo_shop.html", {"channel": channel,
                                                           "lang": request.GET.get("lang", "id")[:5]})
    response["Content-Security-Policy"] = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                           "connect-src 'self'; img-src 'self' data:")
    return response
