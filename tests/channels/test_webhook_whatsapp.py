"""WhatsApp Cloud API adapter: verify, handshake, parse, send."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tanggap.channels.adapters.base import InboundRequest, OutboundEnvelope, SendError, SendResult, get_adapter
from tanggap.channels.adapters.webhook import sign_body
from tanggap.channels.adapters.whatsapp import WhatsAppAdapter
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError, ParseError
from tests.channels.fixtures import SEND_TOKEN, VERIFY_TOKEN, FakeChannel, payload, signed

UTC = dt.timezone.utc
SEND_PATH = "/v19.0/106540352242922/messages"
META = {"phone_number_id": "106540352242922", "display_phone_number": "6281100000000"}
SITI = InboundIdentity(kind="phone", value="+6281234567890", name="Siti Rahayu")
AHMAD = InboundIdentity(kind="phone", value="+60123456789", name="Ahmad bin Ismail")


@pytest.fixture
def adapter() -> WhatsAppAdapter:
    return get_adapter("whatsapp")


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel(kind="whatsapp")


def test_registered_on_import():
    assert isinstance(get_adapter("whatsapp"), WhatsAppAdapter)


def test_verify_accepts_signed_payload(adapter, channel):
    assert adapter.verify(channel, signed(payload("whatsapp", "text"))) is None


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-hub-signature-256": "sha256=" + "0" * 64}, {"x-hub-signature-256": sign_body("wrong", b"{}")}],
)
def test_verify_rejects_missing_or_wrong_signature(adapter, channel, headers):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, InboundRequest(body=payload("whatsapp", "text"), headers=headers))
    assert (err.value.code, err.value.status) == ("bad_signature", 401)


def test_verify_rejects_tampered_body(adapter, channel):
    request = signed(payload("whatsapp", "text"))
    tampered = InboundRequest(body=request.body.replace(b"#1042", b"#1043"), headers=request.headers)
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, tampered)
    assert err.value.code == "bad_signature"


@pytest.mark.parametrize(("token", "ok"), [(VERIFY_TOKEN, True), ("nope", False)])
def test_handshake(adapter, channel, token, ok):
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "8471"}
    if ok:
        assert adapter.handshake(channel, query) == "8471"
    else:
        with pytest.raises(DomainError) as err:
            adapter.handshake(channel, query)
        assert (err.value.code, err.value.status) == ("bad_verify_token", 403)


def test_parse_text(adapter, channel):
    assert adapter.parse(channel, payload("whatsapp", "text")) == [
        NormalizedMessage(
            channel="whatsapp",
            external_id="wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDMEI3RjQ2QjE2NUY5NTY1AA==",
            sender=SITI,
            body_text="Halo, pesanan saya #1042 belum sampai.",
            sent_at=dt.datetime(2024, 5, 2, 3, 4, 5, tzinfo=UTC),
            meta={"type": "text", **META},
        )
    ]


def test_parse_image_keeps_caption_and_media_id(adapter, channel):
    assert adapter.parse(channel, payload("whatsapp", "image")) == [
        NormalizedMessage(
            channel="whatsapp",
            external_id="wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjA5QUQ1RjE2NzhCQzM0NUE5RkEA",
            sender=SITI,
            body_text="[image] Paketnya rusak",
            sent_at=dt.datetime(2024, 5, 2, 3, 5, tzinfo=UTC),
            meta={
                "type": "image",
                "media": {"type": "image", "id": "1003383421387256", "mime_type": "image/jpeg", "filename": ""},
                **META,
            },
        )
    ]


def test_parse_multiple_entries_changes_and_messages(adapter, channel):
    messages = adapter.parse(channel, payload("whatsapp", "multiple"))
    assert [(m.external_id, m.sender, m.body_text, m.in_reply_to) for m in messages] == [
        ("wamid.M1", SITI, "Apakah bisa dikirim ulang?", ""),
        ("wamid.M2", AHMAD, "[document: invoice-april.pdf] Invoice bulan lalu", ""),
        ("wamid.M3", SITI, "[location] Monas, Gambir, Jakarta Pusat (-6.175392, 106.827153)", ""),
        ("wamid.M4", SITI, "[button] Sudah selesai", "wamid.OUTBOUND1"),
        ("wamid.M5", AHMAD, "[voice message]", ""),
        ("wamid.M6", AHMAD, "[button] Bicara dengan agen", "wamid.TEMPLATE1"),
    ]
    assert [m.sent_at for m in messages] == [
        dt.datetime(2024, 5, 2, 3, 4, 5, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 5, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 6, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 7, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 8, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 8, tzinfo=UTC),
    ]
    assert {m.channel for m in messages} == {"whatsapp"}
    assert messages[1].meta["media"] == {
        "type": "document",
        "id": "2003383421387257",
        "mime_type": "application/pdf",
        "filename": "invoice-april.pdf",
    }
    assert messages[3].meta["reply_id"] == "resolved-yes"
    assert messages[5].meta["payload"] == "TALK_TO_AGENT"


def test_parse_statuses_only_is_empty(adapter, channel):
    assert adapter.parse(channel, payload("whatsapp", "statuses")) == []


def _one(message: dict) -> bytes:
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1"}, "messages": [message]}
    body = {"object": "whatsapp_business_account", "entry": [{"id": "9", "changes": [{"field": "messages", "value": value}]}]}
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("message", "body_text", "automated"),
    [
        ({"type": "video", "video": {"id": "5", "mime_type": "video/mp4"}}, "[video]", False),
        ({"type": "sticker", "sticker": {"id": "6", "animated": False}}, "[sticker]", False),
        ({"type": "audio", "audio": {"id": "7"}}, "[audio]", False),
        ({"type": "document", "document": {"id": "8", "filename": "a.pdf"}}, "[document: a.pdf]", False),
        ({"type": "location", "location": {"latitude": 3.139, "longitude": 101.6869}}, "[location] (3.139, 101.6869)", False),
        (
            {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "r2", "title": "Refund"}}},
            "[list] Refund",
            False,
        ),
        (
            {"type": "contacts", "contacts": [{"name": {"formatted_name": "Budi"}, "phones": [{"phone": "+62 811 111"}]}]},
            "[contact] Budi +62 811 111",
            False,
        ),
        ({"type": "system", "system": {"body": "Siti changed her number", "type": "user_changed_number"}}, "[system] Siti changed her number", True),
        ({"type": "unsupported", "errors": [{"code": 131051, "title": "Message type unknown"}]}, "[unsupported message]", False),
        ({"type": "poll_v9"}, "[poll_v9 message]", False),
    ],
)
def test_parse_renders_every_type_readably(adapter, channel, message, body_text, automated):
    message = {"from": "6281234567890", "id": "wamid.X", "timestamp": "1714619045", **message}
    [parsed] = adapter.parse(channel, _one(message))
    assert (parsed.body_text, parsed.automated, parsed.sender.name) == (body_text, automated, "")


def test_parse_skips_reactions(adapter, channel):
    reaction = {"from": "6281234567890", "id": "wamid.R", "timestamp": "1", "type": "reaction", "reaction": {"emoji": "x"}}
    assert adapter.parse(channel, _one(reaction)) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", None),
        (b'{"object": "instagram", "entry": []}', "object: is 'instagram', expected 'whatsapp_business_account'."),
        (b'{"object": "whatsapp_business_account"}', "$.entry: missing."),
        (b'{"object": "whatsapp_business_account", "entry": [7]}', "entry[0]: is not an object."),
        (
            b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]}',
            "entry[0].changes[0].value: missing.",
        ),
        (
            _one({"from": "6281234567890", "timestamp": "1", "type": "text", "text": {"body": "x"}}),
            "entry[0].changes[0].value.messages[0].id: missing.",
        ),
        (
            _one({"from": "6281234567890", "id": "w", "timestamp": "later", "type": "text", "text": {"body": "x"}}),
            "entry[0].changes[0].value.messages[0].timestamp: 'later' is not a unix timestamp.",
        ),
        (
            _one({"from": "nobody", "id": "w", "timestamp": "1", "type": "text", "text": {"body": "x"}}),
            "entry[0].changes[0].value.messages[0].from: 'nobody' is not a phone number.",
        ),
        (
            _one({"from": "6281234567890", "id": "w", "timestamp": "1", "type": "text"}),
            "entry[0].changes[0].value.messages[0].text.body: missing.",
        ),
    ],
)
def test_parse_rejects_wrong_shape(adapter, channel, body, message):
    with pytest.raises(ParseError) as err:
        adapter.parse(channel, body)
    assert err.value.code == "bad_payload"
    if message is not None:
        assert err.value.message == message


# --- send -------------------------------------------------------------------------------

PROVIDER_OK = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
    "messages": [{"id": "wamid.OUT.1"}],
}


@pytest.mark.servers
def test_send_posts_cloud_api_text_message(adapter, provider_server):
    provider_server.respond(SEND_PATH, json=PROVIDER_OK)
    channel = FakeChannel(kind="whatsapp", send_url=provider_server.url(SEND_PATH))
    result = adapter.send(channel, OutboundEnvelope(to="0812-3456-7890", body_text="Baik, kami cek dulu ya."))
    assert result == SendResult(provider_id="wamid.OUT.1")
    [request] = provider_server.requests
    assert request.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"body": "Baik, kami cek dulu ya."},
    }


@pytest.mark.servers
def test_send_reply_carries_context(adapter, provider_server):
    provider_server.respond(SEND_PATH, json=PROVIDER_OK)
    channel = FakeChannel(kind="whatsapp", send_url=provider_server.url(SEND_PATH))
    adapter.send(channel, OutboundEnvelope(to="+6281234567890", body_text="Ya", reply_to_external_id="wamid.M1"))
    assert provider_server.requests[0].json()["context"] == {"message_id": "wamid.M1"}


@pytest.mark.servers
@pytest.mark.parametrize(
    ("status", "delay", "retryable"),
    [(500, 0.0, True), (503, 0.0, True), (429, 0.0, True), (400, 0.0, False), (401, 0.0, False), (200, 2.0, True)],
)
def test_send_failures(adapter, provider_server, status, delay, retryable):
    provider_server.respond(SEND_PATH, status, json={"error": {"message": "(#100) Invalid parameter"}}, delay=delay)
    channel = FakeChannel(kind="whatsapp", send_url=provider_server.url(SEND_PATH), config={"send_timeout": 0.3})
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to="6281234567890", body_text="halo"))
    assert err.value.retryable is retryable
    if status != 200:
        assert str(err.value) == f"127.0.0.1 answered {status}: (#100) Invalid parameter"


@pytest.mark.parametrize(("to", "body_text"), [("not-a-phone", "halo"), ("6281234567890", "   ")])
def test_send_rejects_before_network(adapter, to, body_text):
    channel = FakeChannel(kind="whatsapp", send_url="http://127.0.0.1:9/never")
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to=to, body_text=body_text))
    assert err.value.retryable is False
