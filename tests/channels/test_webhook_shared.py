"""Shared webhook plumbing: signatures, the GET handshake, phone numbers, the HTTP sender."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from tanggap.channels.adapters.base import SendError
from tanggap.channels.adapters.webhook import (
    answer_handshake,
    from_iso,
    from_unix,
    load_object,
    normalize_phone,
    post_json,
    sign_body,
    verify_hub_signature,
)
from tanggap.common.errors import DomainError, ParseError
from tests.channels.fixtures import SECRET, SEND_TOKEN, VERIFY_TOKEN, FakeChannel

BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_sign_body_is_hex_hmac_sha256_of_raw_body():
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert sign_body(SECRET, BODY) == f"sha256={expected}"


@pytest.mark.parametrize("header", [sign_body(SECRET, BODY), sign_body(SECRET, BODY).upper().replace("SHA256", "sha256")])
def test_verify_accepts_valid_signature(header):
    assert verify_hub_signature(SECRET, BODY, header) is None


@pytest.mark.parametrize(
    ("secret", "header", "message"),
    [
        (SECRET, None, "The X-Hub-Signature-256 header is missing."),
        (SECRET, "", "The X-Hub-Signature-256 header is missing."),
        (SECRET, "sha1=abc", "The X-Hub-Signature-256 header is not 'sha256=<hex>'."),
        (SECRET, "sha256=", "The X-Hub-Signature-256 header is not 'sha256=<hex>'."),
        (SECRET, sign_body("other-secret", BODY), "The X-Hub-Signature-256 signature does not match the body."),
        (SECRET, sign_body(SECRET, BODY + b" "), "The X-Hub-Signature-256 signature does not match the body."),
        (SECRET, "sha256=caf\u00e9", "The X-Hub-Signature-256 signature does not match the body."),
        ("", sign_body("", BODY), "This channel has no signing secret configured."),
    ],
)
def test_verify_rejects(secret, header, message):
    with pytest.raises(DomainError) as err:
        verify_hub_signature(secret, BODY, header)
    assert (err.value.code, err.value.status, err.value.message) == ("bad_signature", 401, message)


def test_handshake_returns_challenge():
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    assert answer_handshake(FakeChannel(kind="whatsapp"), query) == "1158201444"


@pytest.mark.parametrize(
    ("channel_token", "query"),
    [
        (VERIFY_TOKEN, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}),
        (VERIFY_TOKEN, {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}),
        (VERIFY_TOKEN, {"hub.mode": "subscribe", "hub.challenge": "1"}),
        (VERIFY_TOKEN, {}),
        ("", {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}),
    ],
)
def test_handshake_rejects_bad_token(channel_token, query):
    with pytest.raises(DomainError) as err:
        answer_handshake(FakeChannel(kind="whatsapp", verify_token=channel_token), query)
    assert (err.value.code, err.value.status) == ("bad_verify_token", 403)


def test_handshake_without_challenge_is_bad_request():
    with pytest.raises(DomainError) as err:
        answer_handshake(FakeChannel(kind="sms"), {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN})
    assert (err.value.code, err.value.status) == ("bad_handshake", 400)


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("081234567890", "62", "+6281234567890"),
        ("0812-3456-7890", "62", "+6281234567890"),
        ("0812 3456 7890", "62", "+6281234567890"),
        ("+62 812-3456-7890", "62", "+6281234567890"),
        ("6281234567890", "62", "+6281234567890"),
        ("+62 0812 3456 7890", "62", "+6281234567890"),
        ("+62 (0)812 3456 7890", "62", "+6281234567890"),
        ("006281234567890", "62", "+6281234567890"),
        ("(021) 555-1234", "62", "+62215551234"),
        ("+60 12-345 6789", "62", "+60123456789"),
        ("60123456789", "62", "+60123456789"),
        ("012-345 6789", "60", "+60123456789"),
        ("+1 (415) 555-0100", "62", "+14155550100"),
    ],
)
def test_normalize_phone(raw, country, expected):
    assert normalize_phone(raw, default_country=country) == expected


@pytest.mark.parametrize("raw", ["", "   ", "BANKXYZ", "+62 812 abc", "12345", "+1234567890123456", "++6281234567890"])
def test_normalize_phone_rejects(raw):
    with pytest.raises(ParseError) as err:
        normalize_phone(raw)
    assert err.value.code == "bad_phone"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "The body is not valid JSON: Expecting value: line 1 column 1 (char 0)."),
        (b"[1, 2]", "The body is a JSON list, not an object."),
        (b"\xff\xfe", None),
    ],
)
def test_load_object_rejects(body, message):
    with pytest.raises(ParseError) as err:
        load_object(body)
    assert err.value.code == "bad_payload"
    if message is not None:
        assert err.value.message == message


@pytest.mark.parametrize(
    ("value", "millis", "expected"),
    [
        ("1714619045", False, dt.datetime(2024, 5, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
        (1714619045, False, dt.datetime(2024, 5, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
        (1714619045123, True, dt.datetime(2024, 5, 2, 3, 4, 5, 123000, tzinfo=dt.timezone.utc)),
    ],
)
def test_from_unix(value, millis, expected):
    assert from_unix(value, "x", millis=millis) == expected


@pytest.mark.parametrize("value", [None, "soon", True, "nan"])
def test_from_unix_rejects(value):
    with pytest.raises(ParseError) as err:
        from_unix(value, "messages[0].timestamp")
    assert err.value.message.startswith("messages[0].timestamp: ")


@pytest.mark.parametrize(
    "value",
    ["2024-05-02T03:04:05.000+0000", "2024-05-02T10:04:05+07:00", "2024-05-02T03:04:05Z", "2024-05-02T03:04:05"],
)
def test_from_iso_is_aware_utc(value):
    assert from_iso(value, "x") == dt.datetime(2024, 5, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


# --- post_json against a real local server ----------------------------------------------


@pytest.mark.servers
def test_post_json_sends_json_with_bearer_and_returns_answer(provider_server):
    provider_server.respond("/send", json={"ok": True, "id": "p-1"})
    answer = post_json(provider_server.url("/send"), {"to": "+62812", "text": "hai"}, SEND_TOKEN, timeout=5)
    assert answer == {"ok": True, "id": "p-1"}
    [request] = provider_server.requests
    assert (request.method, request.path) == ("POST", "/send")
    assert request.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"to": "+62812", "text": "hai"}


@pytest.mark.servers
@pytest.mark.parametrize(("status", "body"), [(200, "accepted"), (202, ""), (200, "[1]")])
def test_post_json_2xx_without_json_object_is_success(provider_server, status, body):
    provider_server.respond("/send", status, body=body)
    assert post_json(provider_server.url("/send"), {}, SEND_TOKEN, timeout=5) == {}


@pytest.mark.servers
@pytest.mark.parametrize(
    ("status", "answer", "retryable", "message"),
    [
        (500, {"error": {"message": "Internal error"}}, True, "127.0.0.1 answered 500: Internal error"),
        (502, "Bad Gateway", True, "127.0.0.1 answered 502: Bad Gateway"),
        (503, "", True, "127.0.0.1 answered 503: Service Unavailable"),
        (429, {"error": {"message": "Rate limit hit", "code": 4}}, True, "127.0.0.1 answered 429: Rate limit hit"),
        (400, {"error": {"message": "Invalid parameter", "code": 100}}, False, "127.0.0.1 answered 400: Invalid parameter"),
        (
            401,
            {"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}}},
            False,
            "127.0.0.1 answered 401: Invalid login details",
        ),
        (404, {"message": "No such number"}, False, "127.0.0.1 answered 404: No such number"),
        (
            403,
            {"error": {"message": f"Token {SEND_TOKEN} is not allowed"}},
            False,
            "127.0.0.1 answered 403: Token *** is not allowed",
        ),
        (301, "", False, "127.0.0.1 answered 301: Moved Permanently"),
    ],
)
def test_post_json_classifies_failures(provider_server, status, answer, retryable, message):
    if isinstance(answer, dict):
        provider_server.respond("/send", status, json=answer)
    else:
        provider_server.respond("/send", status, body=answer)
    with pytest.raises(SendError) as err:
        post_json(provider_server.url("/send"), {"text": "x"}, SEND_TOKEN, timeout=5)
    assert (err.value.retryable, str(err.value)) == (retryable, message)
    assert SEND_TOKEN not in str(err.value)


@pytest.mark.servers
def test_post_json_slow_provider_is_retryable_timeout(provider_server):
    provider_server.respond("/send", json={"id": "late"}, delay=2.0)
    with pytest.raises(SendError) as err:
        post_json(provider_server.url("/send"), {"text": "x"}, SEND_TOKEN, timeout=0.3)
    assert err.value.retryable is True
    assert str(err.value) == "Timed out after 0.3s talking to 127.0.0.1 (ReadTimeout)."
    assert len(provider_server.requests) == 1


@pytest.mark.servers
def test_post_json_connection_refused_is_retryable(provider_server):
    url = provider_server.url("/send")
    provider_server.stop()
    with pytest.raises(SendError) as err:
        post_json(url, {"text": "x"}, SEND_TOKEN, timeout=2)
    assert err.value.retryable is True
    assert str(err.value).startswith("Could not reach 127.0.0.1: ")


@pytest.mark.parametrize("url", ["", "ftp://example.invalid/send", "not a url"])
def test_post_json_unusable_url_is_not_retryable(url):
    with pytest.raises(SendError) as err:
        post_json(url, {"text": "x"}, SEND_TOKEN, timeout=1)
    assert err.value.retryable is False


@pytest.mark.servers
def test_provider_server_scripts_in_order_and_repeats_last(provider_server):
    provider_server.respond("/send", 500, json={"error": {"message": "down"}})
    provider_server.respond("/send", json={"id": "ok"})
    with pytest.raises(SendError):
        post_json(provider_server.url("/send"), {}, "", timeout=5)
    assert post_json(provider_server.url("/send"), {}, "", timeout=5) == {"id": "ok"}
    assert post_json(provider_server.url("/send"), {}, "", timeout=5) == {"id": "ok"}
    assert [r.path for r in provider_server.requests_to("/send")] == ["/send"] * 3
    assert "authorization" not in provider_server.requests[0].headers
