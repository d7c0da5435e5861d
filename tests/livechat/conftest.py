"""Fixtures of the live chat tests: a chat channel that allows one origin, and a visitor client
that talks to the visitor endpoints the way widget.js does (JSON bodies, the signed token)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

ORIGIN = "http://toko.example"


@pytest.fixture
def chat_channel(db):
    from tanggap.channels.models import Channel

    return Channel.objects.create(kind="chat", slug="toko-chat", name="Chat toko",
                                  config={"allowed_origins": [ORIGIN]})


class Visitor:
    def __init__(self, slug: str, origin: str | None = ORIGIN, ip: str = "203.0.113.7"):
        self.client = Client(REMOTE_ADDR=ip)
        self.slug, self.origin, self.token = slug, origin, None
        self.n = 0

    def post(self, path: str, data: dict | None = None, origin: str | None = "default"):
        origin = self.origin if origin == "default" else origin
        body = {"token": self.token, **(data or {})}
        headers = {"Origin": origin} if origin else {}
        response = self.client.post(f"/chat/api/{self.slug}/{path}", data=json.dumps(body),
                                    content_type="application/json", headers=headers)
        response.body = json.loads(response.content) if response.content else None
        return response

    def open(self, lang: str = "id"):
        response = self.post("session", {"lang": lang, "page": "http://toko.example/"})
        assert response.status_code == 200, response.content
        self.token = response.body["token"]
        return response.body

    def say(self, text: str, client_id: str | None = None):
        self.n += 1
        return self.post("messages", {"text": text, "client_id": client_id or f"c{self.n}"})


@pytest.fixture
def visitor(chat_channel):
    def make(**kw) -> Visitor:
        v = Visitor(chat_channel.slug, **kw)
        v.open()
        return v

    return make


@pytest.fixture
def live_hub(monkeypatch):
    """A hub of the test's own, with its poller thread (transactional tests), stopped afterwards;
    the chat writes of the test poke it (``hub.poke`` on commit) as they would the process's hub."""
    from tanggap.livechat import hub as hub_mod, views

    hub = hub_mod.Hub()
    monkeypatch.setattr(views, "hub", hub)
    monkeypatch.setattr(hub_mod, "hub", hub)
    yield hub
    hub.stop()
