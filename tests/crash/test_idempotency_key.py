"""Every attempt at one outbound message carries the same Idempotency-Key header, and two
messages never share one: what lets a provider deliver a retried message once."""

import json

import pytest

from tanggap.channels.models import Channel
from tanggap.channels.services import channel_for, inbound_receive
from tanggap.conversations import delivery
from tanggap.conversations.models import Message
from tanggap.conversations.services import reply_send

pytestmark = [pytest.mark.django_db, pytest.mark.servers]
PATH = "/v17/123/messages"


@pytest.fixture
def wa_ticket(provider_server):
    Channel.objects.create(kind="whatsapp", slug="whatsapp", name="WA", secret="s", verify_token="v",
                           send_url=provider_server.url(PATH), send_token="tok")
    body = json.dumps({"channel": "whatsapp", "external_id": "wamid.K1", "from": {"phone": "0812-3456-7890"},
                       "body": "Halo, pesanan saya rusak."}).encode()
    return inbound_receive(channel=channel_for(kind="whatsapp"), body=body, source="api")[0].ticket


def test_every_attempt_at_a_message_carries_the_same_key_and_messages_differ(wa_ticket, agent, provider_server):
    provider_server.respond(PATH, 503, json={"error": {"message": "busy"}})
    provider_server.respond(PATH, 200, json={"messages": [{"id": "wamid.OUT"}]})
    first = reply_send(ticket=wa_ticket, author=agent, body_text="Kami cek dulu ya.")
    assert delivery.message_deliver(message_id=first.pk) == "retry"
    Message.objects.filter(pk=first.pk).update(next_attempt_at=None)  # due again now
    assert delivery.message_deliver(message_id=first.pk) == "sent"
    second = reply_send(ticket=wa_ticket, author=agent, body_text="Kami cek dulu ya.")
    assert delivery.message_deliver(message_id=second.pk) == "sent"

    keys = [r.headers.get("idempotency-key") for r in provider_server.requests_to(PATH)]
    assert keys[0] and keys[0] == keys[1], "a retry must reuse the key"
    assert keys[2] and keys[2] != keys[0], "another message, even with the same text, gets its own key"
    first.refresh_from_db()
    assert keys[0] == delivery.idempotency_key(first)


@pytest.mark.parametrize("kind, path, to", [("sms", "/sms/send", "0812-3456-7890"),
                                            ("instagram", "/me/messages", "6543210987654321")])
def test_sms_and_instagram_send_the_key_too(provider_server, kind, path, to):
    from tanggap.channels.adapters.base import OutboundEnvelope, get_adapter

    channel = Channel(kind=kind, slug=kind, name=kind, send_url=provider_server.url(path), send_token="tok")
    provider_server.respond(path, 200, json={})
    get_adapter(kind).send(channel, OutboundEnvelope(to=to, body_text="halo", idempotency_key="tanggap-7-1"))
    assert provider_server.requests_to(path)[0].headers["idempotency-key"] == "tanggap-7-1"
