"""Instagram Messaging adapter: verify, handshake, parse, send."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tanggap.channels.adapters.base import InboundRequest, OutboundEnvelope, SendError, SendResult, get_adapter
from tanggap.channels.adapters.instagram import InstagramAdapter
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError, ParseError
from tests.channels.fixtures import SEND_TOKEN, VERIFY_TOKEN, FakeChannel, payload, signed

UTC = dt.timezone.utc
SEND_PATH = "/v19.0/me/messages"
OUR_ID = "17841400000000001"


def ig(value: str) -> InboundIdentity:
    return InboundIdentity(kind="handle", value=value, namespace="instagram")


@pytest.fixture
def adapter() -> InstagramAdapter:
    return get_adapter("instagram")


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel(kind="instagram")


def test_registered_on_import():
    assert isinstance(get_adapter("instagram"), InstagramAdapter)


def test_verify_accepts_signed_payload(adapter, channel):
    assert adapter.verify(channel, signed(payload("instagram", "text"))) is None


@pytest.mark.parametrize("headers", [{}, {"x-hub-signature-256": "sha256=deadbeef"}])
def test_verify_rejects(adapter, channel, headers):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, InboundRequest(body=payload("instagram", "text"), headers=headers))
    assert (err.value.code, err.value.status) == ("bad_signature", 401)


def test_verify_signed_with_other_secret(adapter, channel):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, signed(payload("instagram", "text"), secret="someone-else"))
    assert err.value.code == "bad_signature"


@pytest.mark.parametrize(("token", "ok"), [(VERIFY_TOKEN, True), (VERIFY_TOKEN + "x", False)])
def test_handshake(adapter, channel, token, ok):
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "abc123"}
    if ok:
        assert adapter.handshake(channel, query) == "abc123"
    else:
        with pytest.raises(DomainError) as err:
            adapter.handshake(channel, query)
        assert (err.value.code, err.value.status) == ("bad_verify_token", 403)


def test_parse_text(adapter, channel):
    assert adapter.parse(channel, payload("instagram", "text")) == [
        NormalizedMessage(
            channel="instagram",
            external_id="aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTkwMjg2MjQ1NzQ1NjAwMDo=",
            sender=ig("6543210987654321"),
            body_text="Kak, ukuran M masih ada?",
            sent_at=dt.datetime(2024, 5, 2, 3, 4, 5, 123000, tzinfo=UTC),
            meta={"recipient_id": OUR_ID},
        )
    ]


def test_parse_image_attachment(adapter, channel):
    url = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=18000000000000002&signature=AbC"
    assert adapter.parse(channel, payload("instagram", "image")) == [
        NormalizedMessage(
            channel="instagram",
            external_id="aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjAwMg==",
            sender=ig("6543210987654321"),
            body_text=f"[image] {url}",
            sent_at=dt.datetime(2024, 5, 2, 3, 5, 0, 500000, tzinfo=UTC),
            meta={"attachments": [{"type": "image", "url": url}], "recipient_id": OUR_ID},
        )
    ]


def test_parse_multiple_skips_reads_and_reactions(adapter, channel):
    messages = adapter.parse(channel, payload("instagram", "multiple"))
    assert [(m.external_id, m.sender, m.body_text, m.in_reply_to) for m in messages] == [
        (
            "ig.mid.1",
            ig("6543210987654321"),
            "Ini buktinya\n[image] https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1\n"
            "[video] https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=2",
            "",
        ),
        ("ig.mid.2", ig("7777777777777777"), "Terima kasih!", "ig.mid.outbound.7"),
        ("ig.mid.3", ig("8888888888888888"), "[postback] Cek status pesanan", ""),
    ]
    assert [m.sent_at for m in messages] == [
        dt.datetime(2024, 5, 2, 3, 6, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 7, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 8, 5, tzinfo=UTC),
    ]
    assert messages[2].meta == {"payload": "ORDER_STATUS", "recipient_id": OUR_ID}


@pytest.mark.parametrize("name", ["echo", "read_reaction"])
def test_parse_echo_read_reaction_deleted_yield_nothing(adapter, channel, name):
    assert adapter.parse(channel, payload("instagram", name)) == []


def test_parse_comment_changes_are_not_messages(adapter, channel):
    body = {"object": "instagram", "entry": [{"id": OUR_ID, "time": 1, "changes": [{"field": "comments", "value": {}}]}]}
    assert adapter.parse(channel, json.dumps(body).encode()) == []


def _event(event: dict) -> bytes:
    return json.dumps({"object": "instagram", "entry": [{"id": OUR_ID, "time": 1, "messaging": [event]}]}).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "The body is a JSON list, not an object."),
        (b'{"object": "page", "entry": []}', "object: is 'page', expected 'instagram'."),
        (b'{"object": "instagram", "entry": {}}', "$.entry: is not a list."),
        (
            _event({"recipient": {"id": OUR_ID}, "timestamp": 1, "message": {"mid": "m", "text": "hi"}}),
            "entry[0].messaging[0].sender: missing.",
        ),
        (
            _event({"sender": {"id": "1"}, "timestamp": 1, "message": {"text": "hi"}}),
            "entry[0].messaging[0].message.mid: missing.",
        ),
        (
            _event({"sender": {"id": "1"}, "timestamp": "x", "message": {"mid": "m", "text": "hi"}}),
            "entry[0].messaging[0].timestamp: 'x' is not a unix timestamp.",
        ),
        (
            _event({"sender": {"id": "1"}, "timestamp": 1, "message": {"mid": "m"}}),
            "entry[0].messaging[0].message: has no text, attachments or known content.",
        ),
    ],
)
def test_parse_rejects_wrong_shape(adapter, channel, body, message):
    with pytest.raises(ParseError) as err:
        adapter.parse(channel, body)
    assert (err.value.code, err.value.message) == ("bad_payload", message)


def test_parse_unsupported_message_is_kept(adapter, channel):
    body = _event({"sender": {"id": "1"}, "timestamp": 1000, "message": {"mid": "m", "is_unsupported": True}})
    [message] = adapter.parse(channel, body)
    assert message.body_text == "[unsupported message]"


# --- send -------------------------------------------------------------------------------


@pytest.mark.servers
def test_send_posts_recipient_and_text(adapter, provider_server):
    provider_server.respond(SEND_PATH, json={"recipient_id": "6543210987654321", "message_id": "ig.mid.out.1"})
    channel = FakeChannel(kind="instagram", send_url=provider_server.url(SEND_PATH))
    result = adapter.send(channel, OutboundEnvelope(to="6543210987654321", body_text="Masih ada, kak!"))
    assert result == SendResult(provider_id="ig.mid.out.1")
    [request] = provider_server.requests
    assert request.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert request.json() == {"recipient": {"id": "6543210987654321"}, "message": {"text": "Masih ada, kak!"}}


@pytest.mark.servers
@pytest.mark.parametrize(("status", "delay", "retryable"), [(500, 0.0, True), (400, 0.0, False), (200, 2.0, True)])
def test_send_failures(adapter, provider_server, status, delay, retryable):
    error = {"error": {"message": "(#100) No matching user found", "type": "OAuthException", "code": 100}}
    provider_server.respond(SEND_PATH, status, json=error, delay=delay)
    channel = FakeChannel(kind="instagram", send_url=provider_server.url(SEND_PATH), config={"send_timeout": 0.3})
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to="6543210987654321", body_text="halo"))
    assert err.value.retryable is retryable
    if status != 200:
        assert str(err.value) == f"127.0.0.1 answered {status}: (#100) No matching user found"


@pytest.mark.parametrize(("to", "body_text"), [("", "halo"), ("6543210987654321", "")])
def test_send_rejects_before_network(adapter, to, body_text):
    channel = FakeChannel(kind="instagram", send_url="http://127.0.0.1:9/never")
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to=to, body_text=body_text))
    assert err.value.retryable is False
