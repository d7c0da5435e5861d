"""SMS gateway adapter (Infobip inbound shape, tanggap's X-Hub-Signature-256 convention)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tanggap.channels.adapters.base import InboundRequest, OutboundEnvelope, SendError, SendResult, get_adapter
from tanggap.channels.adapters.sms import SmsAdapter
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError, ParseError
from tests.channels.fixtures import SEND_TOKEN, VERIFY_TOKEN, FakeChannel, payload, signed

UTC = dt.timezone.utc
SEND_PATH = "/sms/send"


@pytest.fixture
def adapter() -> SmsAdapter:
    return get_adapter("sms")


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel(kind="sms")


def test_registered_on_import():
    assert isinstance(get_adapter("sms"), SmsAdapter)


def test_verify_accepts_signed_payload(adapter, channel):
    assert adapter.verify(channel, signed(payload("sms", "text"))) is None


@pytest.mark.parametrize("headers", [{}, {"x-hub-signature-256": "sha256=00"}, {"x-signature": "whatever"}])
def test_verify_rejects(adapter, channel, headers):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, InboundRequest(body=payload("sms", "text"), headers=headers))
    assert (err.value.code, err.value.status) == ("bad_signature", 401)


@pytest.mark.parametrize(("token", "ok"), [(VERIFY_TOKEN, True), ("", False)])
def test_handshake(adapter, channel, token, ok):
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "ch-1"}
    if ok:
        assert adapter.handshake(channel, query) == "ch-1"
    else:
        with pytest.raises(DomainError) as err:
            adapter.handshake(channel, query)
        assert (err.value.code, err.value.status) == ("bad_verify_token", 403)


def test_parse_text(adapter, channel):
    assert adapter.parse(channel, payload("sms", "text")) == [
        NormalizedMessage(
            channel="sms",
            external_id="817790313235066447",
            sender=InboundIdentity(kind="phone", value="+6281234567890"),
            body_text="Halo, saya mau tanya soal tagihan",
            sent_at=dt.datetime(2024, 5, 2, 3, 4, 5, tzinfo=UTC),
            meta={"to": "628001234567", "smsCount": 1},
        )
    ]


def test_parse_multiple(adapter, channel):
    messages = adapter.parse(channel, payload("sms", "multiple"))
    assert [(m.external_id, m.sender, m.body_text, m.sent_at, m.automated) for m in messages] == [
        (
            "817790313235066448",
            InboundIdentity(kind="phone", value="+6281234567890"),
            "TIKET pesanan belum sampai",
            dt.datetime(2024, 5, 2, 3, 5, tzinfo=UTC),
            False,
        ),
        (
            "817790313235066449",
            InboundIdentity(kind="phone", value="+60123456789"),
            "Boleh hantar semula invois?",
            dt.datetime(2024, 5, 2, 3, 6, tzinfo=UTC),
            False,
        ),
        (
            "817790313235066450",
            InboundIdentity(kind="handle", value="BANKXYZ", namespace="sms"),
            "Kode OTP anda 123456",
            dt.datetime(2024, 5, 2, 3, 7, tzinfo=UTC),
            True,
        ),
    ]
    assert messages[0].meta == {"to": "628001234567", "keyword": "TIKET", "smsCount": 1}
    assert messages[2].automated_reason == "alphanumeric sender id"


@pytest.mark.parametrize(
    ("result", "body_text", "sent_at"),
    [
        ({"messageId": "a", "from": "081234567890", "text": ""}, "[empty SMS]", None),
        ({"messageId": 42, "from": "+62 812 3456 7890", "text": "ok"}, "ok", None),
    ],
)
def test_parse_minimal_results(adapter, channel, result, body_text, sent_at):
    [message] = adapter.parse(channel, json.dumps({"results": [result]}).encode())
    assert (message.body_text, message.sent_at, message.sender.value) == (body_text, sent_at, "+6281234567890")


def test_parse_no_results_is_empty(adapter, channel):
    assert adapter.parse(channel, b'{"results": [], "messageCount": 0, "pendingMessageCount": 0}') == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"from=0812&text=hi", "The body is not valid JSON: Expecting value: line 1 column 1 (char 0)."),
        (b'{"messages": []}', "$.results: missing."),
        (b'{"results": [{"from": "0812345678", "text": "x"}]}', "results[0].messageId: missing."),
        (b'{"results": [{"messageId": "1", "text": "x"}]}', "results[0].from: missing."),
        (b'{"results": [{"messageId": "1", "from": "0812345678"}]}', "results[0].text: missing."),
        (b'{"results": [{"messageId": "1", "from": "+1 2", "text": "x"}]}', "results[0].from: '+1 2' is not a phone number."),
        (
            b'{"results": [{"messageId": "1", "from": "0812345678", "text": "x", "receivedAt": "yesterday"}]}',
            "results[0].receivedAt: 'yesterday' is not an ISO-8601 timestamp.",
        ),
    ],
)
def test_parse_rejects_wrong_shape(adapter, channel, body, message):
    with pytest.raises(ParseError) as err:
        adapter.parse(channel, body)
    assert (err.value.code, err.value.message) == ("bad_payload", message)


# --- send -------------------------------------------------------------------------------


@pytest.mark.servers
@pytest.mark.parametrize(
    ("answer", "provider_id"),
    [
        ({"bulkId": "b1", "messages": [{"to": "6281234567890", "messageId": "ib-1", "status": {"groupName": "PENDING"}}]}, "ib-1"),
        ({"id": "gw-7"}, "gw-7"),
        ({}, ""),
    ],
)
def test_send_posts_to_and_text(adapter, provider_server, answer, provider_id):
    provider_server.respond(SEND_PATH, json=answer)
    channel = FakeChannel(kind="sms", send_url=provider_server.url(SEND_PATH))
    result = adapter.send(channel, OutboundEnvelope(to="0812 3456 7890", body_text="Tagihan sudah kami koreksi."))
    assert result == SendResult(provider_id=provider_id)
    [request] = provider_server.requests
    assert request.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert request.json() == {"to": "+6281234567890", "text": "Tagihan sudah kami koreksi."}


@pytest.mark.servers
@pytest.mark.parametrize(("status", "delay", "retryable"), [(500, 0.0, True), (400, 0.0, False), (200, 2.0, True)])
def test_send_failures(adapter, provider_server, status, delay, retryable):
    error = {"requestError": {"serviceException": {"messageId": "BAD_REQUEST", "text": "Invalid destination address"}}}
    provider_server.respond(SEND_PATH, status, json=error, delay=delay)
    channel = FakeChannel(kind="sms", send_url=provider_server.url(SEND_PATH), config={"send_timeout": 0.3})
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to="+60123456789", body_text="halo"))
    assert err.value.retryable is retryable
    if status != 200:
        assert str(err.value) == f"127.0.0.1 answered {status}: Invalid destination address"


@pytest.mark.servers
def test_send_uses_channel_default_country(adapter, provider_server):
    provider_server.respond(SEND_PATH, json={"id": "gw-8"})
    channel = FakeChannel(kind="sms", send_url=provider_server.url(SEND_PATH), config={"default_country": "60"})
    adapter.send(channel, OutboundEnvelope(to="012-345 6789", body_text="hai"))
    assert provider_server.requests[0].json() == {"to": "+60123456789", "text": "hai"}


@pytest.mark.parametrize(("to", "body_text"), [("BANKXYZ", "halo"), ("0812345678", " ")])
def test_send_rejects_before_network(adapter, to, body_text):
    channel = FakeChannel(kind="sms", send_url="http://127.0.0.1:9/never")
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to=to, body_text=body_text))
    assert err.value.retryable is False
