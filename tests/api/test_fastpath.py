"""The intake fast path (tanggap/api/fastpath.py): ``POST /api/v1/messages`` with ``Prefer:
respond-async`` answered ahead of Django's middleware. It must answer exactly as Django does
(status, headers, body, rows stored), serve only what it is sure of, and leave every other
request to Django, which then answers it as always and stores nothing twice.

Each test wraps Django's own WSGI handler in a counter, so it can tell which path answered."""

from __future__ import annotations

import json
import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django_tasks_db.models import DBTaskResult

from tanggap.accounts.models import AgentProfile, ApiToken
from tanggap.accounts.services import api_token_create
from tanggap.api.fastpath import IntakeFastPath
from tanggap.channels.models import Channel, InboundRaw
from tests.api.wsgi_client import wsgi_call

pytestmark = pytest.mark.django_db


class CountingDjango:
    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def django_app():
    return CountingDjango()


@pytest.fixture
def fast_app(django_app):
    from tanggap.channels.lookup import channel_for

    channel_for(kind="api")  # made on first use, by Django's path (see the test below)
    return IntakeFastPath(django_app)


@pytest.fixture
def token(admin_user):
    return api_token_create(user=admin_user)[1]


def payload(external_id="fp-1", **extra):
    data = {"channel": "api", "external_id": external_id, "from": {"email": "budi@example.co.id", "name": "Budi"},
            "subject": "Paket belum sampai", "body": "Paket saya belum sampai."}
    data.update(extra)
    return data


def post(app, token, data, *, content_type="application/json", path="/api/v1/messages", **headers):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    hdrs = {"Prefer": "respond-async", **({"Authorization": f"Bearer {token}"} if token else {}), **headers}
    return wsgi_call(app, "POST", path, body, hdrs, content_type=content_type)


def comparable(response) -> dict:
    """Status, headers and body, with the stored row's id taken out."""
    headers = {k: re.sub(r"/\d+$", "/N", v) for k, v in response.headers.items()}
    body = json.loads(response.content)
    body.update(inbound_id="N", status_url=re.sub(r"/\d+$", "/N", body["status_url"]))
    return {"status": response.status_code, "headers": headers, "body": body}


def test_the_fast_path_answers_and_stores_what_django_would(fast_app, django_app, token):
    fast = post(fast_app, token, payload("fp-1"))
    assert django_app.calls == 0  # answered without Django
    slow = post(django_app, token, payload("fp-2"))
    assert django_app.calls == 1
    assert fast.status_code == 202
    assert comparable(fast) == comparable(slow)
    assert fast["Location"] == fast.body["status_url"] == f"/api/v1/messages/inbound/{fast.body['inbound_id']}"

    a, b = InboundRaw.objects.get(pk=fast.body["inbound_id"]), InboundRaw.objects.get(pk=slow.body["inbound_id"])
    fields = ["channel_id", "content_type", "status", "source", "size", "reason_code", "messages_created"]
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
    assert bytes(a.body) == json.dumps(payload("fp-1")).encode()
    ja, jb = (DBTaskResult.objects.get(args_kwargs__kwargs__raw_id=r.pk) for r in (a, b))
    fields = ["status", "task_path", "queue_name", "priority", "backend_name", "run_after", "worker_ids"]
    assert [getattr(ja, f) for f in fields] == [getattr(jb, f) for f in fields]
    assert ja.args_kwargs == {"args": [], "kwargs": {"raw_id": a.pk}}


def test_the_language_cookie_is_answered_as_django_does(fast_app, django_app, token):
    fast = post(fast_app, token, payload("fp-1"), Cookie="django_language=ms")
    slow = post(django_app, token, payload("fp-2"), Cookie="django_language=ms")
    assert django_app.calls == 1
    assert fast["Content-Language"] == slow["Content-Language"] == "ms"


def test_the_token_is_marked_used(fast_app, django_app, token):
    assert ApiToken.objects.get().last_used_at is None
    post(fast_app, token, payload())
    assert django_app.calls == 0
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("case", [
    "no preference", "no token", "unknown token", "not json", "json list", "missing sender", "unknown channel",
    "nul character", "session cookie", "unknown host", "query string", "form body", "GET",
])
def test_anything_unusual_is_left_to_django_which_answers_as_always(case, fast_app, django_app, token, settings):
    data, kw, send_token = payload(), {}, token
    if case == "no preference":
        kw["Prefer"] = "return=minimal"
    elif case == "no token":
        send_token = None
    elif case == "unknown token":
        send_token = "not-a-token"
    elif case == "not json":
        data = b'{"channel": "api", '
    elif case == "json list":
        data = b"[1, 2]"
    elif case == "missing sender":
        data = {**payload(), "from": {"name": "No address"}}
    elif case == "unknown channel":
        data = {**payload(), "channel": "pigeon"}
    elif case == "nul character":
        data = {**payload(), "body": "Paket\u0000 saya"}
    elif case == "session cookie":
        kw["Cookie"] = f"{settings.SESSION_COOKIE_NAME}=abc"
    elif case == "unknown host":
        kw["Host"] = "evil.example"
    elif case == "form body":
        kw["content_type"] = "application/x-www-form-urlencoded"
    path = "/api/v1/messages?x=1" if case == "query string" else "/api/v1/messages"

    def send(app, external_id):
        d = {**data, "external_id": external_id} if isinstance(data, dict) else data
        if case == "GET":
            return wsgi_call(app, "GET", path, b"", {"Authorization": f"Bearer {send_token}"})
        return post(app, send_token, d, path=path, **kw)

    fast = send(fast_app, "fp-a")
    assert django_app.calls == 1  # Django answered
    slow = send(django_app, "fp-b")
    assert (fast.status_code, fast.content[:40]) == (slow.status_code, slow.content[:40]) or (
        fast.status_code == slow.status_code and fast.status_code in (201, 202))
    if fast.status_code >= 400:
        assert not InboundRaw.objects.exists()
    else:
        assert InboundRaw.objects.count() == 2  # one each: the fast path stored nothing of its own


def test_refused_tokens_are_refused_at_once(fast_app, django_app, token, admin_user, make_staff):
    assert post(fast_app, token, payload("1")).status_code == 202
    ApiToken.objects.update(revoked=True)
    assert post(fast_app, token, payload("2")).status_code == 401

    agent = make_staff("sari", role="agent")
    agent_token = api_token_create(user=agent)[1]
    assert post(fast_app, agent_token, payload("3")).status_code == 202
    agent.is_active = False
    agent.save()
    assert post(fast_app, agent_token, payload("4")).status_code == 401
    agent.is_active = True
    agent.save()
    AgentProfile.objects.filter(user=agent).delete()  # no longer staff of this helpdesk
    assert post(fast_app, agent_token, payload("5")).status_code == 401
    assert InboundRaw.objects.count() == 2


def test_a_channel_not_made_yet_is_made_by_django_then_served_fast(fast_app, django_app, token):
    InboundRaw.objects.all().delete()
    Channel.objects.filter(kind="api").delete()
    assert post(fast_app, token, payload("1")).status_code == 202
    assert django_app.calls == 1
    assert post(fast_app, token, payload("2")).status_code == 202
    assert django_app.calls == 1
    assert Channel.objects.filter(kind="api").count() == 1


def test_production_https_rules_hold(fast_app, django_app, token, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    django_app.handler = WSGIHandler()  # its middleware reads the settings when built
    fast_app = IntakeFastPath(django_app)  # and so does the fast path
    plain = post(fast_app, token, payload("1"))
    assert plain.status_code == 301 and django_app.calls == 1  # redirected to https by Django
    fast = post(fast_app, token, payload("2"), **{"X-Forwarded-Proto": "https"})
    assert django_app.calls == 1
    slow = post(django_app, token, payload("3"), **{"X-Forwarded-Proto": "https"})
    assert comparable(fast) == comparable(slow)
    assert fast["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"


def test_a_store_that_fails_is_rolled_back_and_left_to_django(fast_app, django_app, token, monkeypatch):
    """A database error inside the transaction (injected: raising from the job's enqueue,
    after the payload's INSERT) rolls the payload back; Django then stores it once."""
    from tanggap.common import taskqueue

    real = taskqueue.DatabaseBackend._task_to_db_task
    calls = []

    def failing_once(self, task, args, kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("disk I/O error (injected)")
        return real(self, task, args, kwargs)

    monkeypatch.setattr(taskqueue.DatabaseBackend, "_task_to_db_task", failing_once)
    r = post(fast_app, token, payload("1"))
    assert r.status_code == 202 and django_app.calls == 1
    assert InboundRaw.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_turned_off_everything_goes_to_django(django_app, token, settings):
    settings.TANGGAP_INTAKE_FASTPATH = False
    assert post(IntakeFastPath(django_app), token, payload()).status_code == 202
    assert django_app.calls == 1
