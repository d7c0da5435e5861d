"""Calls fixtures: a phone channel with a signing secret, customers made through the real
intake, and a signed webhook poster."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.test import Client

from tanggap.channels.models import Channel

SECRET = "pbx-rahasia-123"
WIB = dt.timezone(dt.timedelta(hours=7))


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def phone_channel(db):
    return Channel.objects.create(kind="phone", slug="phone", name="Telepon", secret=SECRET)


class Pbx:
    """Posts events as a PBX would: JSON bytes, signed with the channel's secret."""

    def __init__(self, path: str = "/api/v1/calls/webhook", secret: str = SECRET):
        self.client = Client()
        self.path = path
        self.secret = secret

    def post(self, payload: dict, *, signature: str | None = "sign", body: bytes | None = None):
        body = body if body is not None else json.dumps(payload).encode()
        headers = {}
        if signature == "sign":
            headers["X-Hub-Signature-256"] = sign(body, self.secret)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        response = self.client.post(self.path, data=body, content_type="application/json", headers=headers)
        response.body = json.loads(response.content) if response.content else None
        return response


@pytest.fixture
def pbx(phone_channel) -> Pbx:
    return Pbx()


def event(kind: str, call_id: str = "pbx-1732500000.42", *, direction: str = "inbound", caller: str = "0812-3456-7890",
          at: dt.datetime | None = None, **extra) -> dict:
    """A real-shaped event: what an Asterisk dialplan / AGI script or a cloud PBX posts."""
    at = at or dt.datetime(2026, 11, 25, 9, 15, 2, tzinfo=WIB)
    payload = {"event": f"call.{kind}", "call_id": call_id, "direction": direction,
               "from": caller if direction == "inbound" else "+622150001234",
               "to": "+622150001234" if direction == "inbound" else caller,
               "timestamp": at.isoformat()}
    payload.update(extra)
    return payload


def receive_message(*, external_id: str, phone: str = "", email: str = "", body: str = "Paket saya belum sampai.",
                    channel: str = "sms", name: str = "Rina"):
    """A customer message through the real intake: returns the ReceiveResult."""
    from tanggap.channels.lookup import channel_for
    from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
    from tanggap.conversations.services import message_receive

    sender = InboundIdentity(kind="phone", value=phone, name=name) if phone else \
        InboundIdentity(kind="email", value=email, name=name)
    msg = NormalizedMessage(channel=channel, external_id=external_id, sender=sender, subject="", body_text=body)
    return message_receive(msg=msg, channel=channel_for(kind=channel))
