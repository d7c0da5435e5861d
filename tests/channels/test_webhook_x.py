"""X (Twitter) direct messages: signature, CRC, parse, send; and through the real endpoint
(stored raw first, duplicates once, bad signatures refused) to a reply delivered to a
provider stand-in on 127.0.0.1."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.test import Client

from tanggap.channels.adapters.base import InboundRequest, OutboundEnvelope, SendError, SendResult, get_adapter
from tanggap.channels.adapters.x import XAdapter
from tanggap.channels.models import Channel, InboundRaw
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError, ParseError
from tanggap.conversations import delivery
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import reply_send
from tanggap.customers.models import Identity
from tests.channels.fixtures import SECRET, SEND_TOKEN, FakeChannel, payload

UTC = dt.timezone.utc
OURS = "1512345678901234567"
SITI = "2244994945"
SEND_PATH = f"/2/dm_conversations/with/{SITI}/messages"
URL = "/api/v1/channels/x/webhook"


def b64_hmac(secret: str, data: bytes) -> str:
    """Written out here, not taken from the adapter, so a wrong signer fails these tests."""
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha256).digest()).decode()


def signed(body: bytes, secret: str = SECRET) -> InboundRequest:
    return InboundRequest(body=body, headers={"x-twitter-webhooks-signature": b64_hmac(secret, body)})


def x_user(value: str, name: str = "") -> InboundIdentity:
    return InboundIdentity(kind="handle", value=value, name=name, namespace="x")


@pytest.fixture
def adapter() -> XAdapter:
    return get_adapter("x")


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel(kind="x")


def test_registered_on_import():
    assert isinstance(get_adapter("x"), XAdapter)


def test_verify_accepts_signed_payload(adapter, channel):
    assert adapter.verify(channel, signed(payload("x", "text"))) is None


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "The x-twitter-webhooks-signature header is missing."),
        ({"x-twitter-webhooks-signature": "sha256="}, "The x-twitter-webhooks-signature header is not 'sha256=<base64>'."),
        ({"x-twitter-webhooks-signature": "sha1=abc"}, "The x-twitter-webhooks-signature header is not 'sha256=<base64>'."),
        # Meta's hex signature of the same body is not X's base64 one
        ({"x-twitter-webhooks-signature": "sha256=" + hmac.new(SECRET.encode(), payload("x", "text"), hashlib.sha256).hexdigest()},
         "The x-twitter-webhooks-signature signature does not match the body."),
        ({"x-hub-signature-256": b64_hmac(SECRET, payload("x", "text"))},
         "The x-twitter-webhooks-signature header is missing."),
    ],
)
def test_verify_rejects(adapter, channel, headers, message):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, InboundRequest(body=payload("x", "text"), headers=headers))
    assert (err.value.code, err.value.status, err.value.message) == ("bad_signature", 401, message)


@pytest.mark.parametrize(("secret", "body"), [("someone-else", payload("x", "text")), (SECRET, payload("x", "text") + b" ")])
def test_verify_rejects_other_secret_or_changed_body(adapter, channel, secret, body):
    request = InboundRequest(body=body, headers={"x-twitter-webhooks-signature": b64_hmac(secret, payload("x", "text"))})
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, request)
    assert err.value.message == "The x-twitter-webhooks-signature signature does not match the body."


def test_verify_without_secret_refuses_everything(adapter):
    with pytest.raises(DomainError) as err:
        adapter.verify(FakeChannel(kind="x", secret=""), signed(payload("x", "text"), secret=""))
    assert (err.value.code, err.value.message) == ("bad_signature", "This channel has no signing secret configured.")


def test_crc_is_answered_with_the_base64_hmac_of_the_token(adapter, channel):
    answer = adapter.handshake(channel, {"crc_token": "dBHCxz8CPhYtjZSNLrJp4b0Y"})
    assert json.loads(answer) == {"response_token": b64_hmac(SECRET, b"dBHCxz8CPhYtjZSNLrJp4b0Y")}


@pytest.mark.parametrize(
    ("channel_secret", "query", "code", "status"),
    [(SECRET, {}, "bad_handshake", 400), (SECRET, {"crc_token": ""}, "bad_handshake", 400),
     ("", {"crc_token": "abc"}, "bad_verify_token", 403)],
)
def test_crc_refused(adapter, channel_secret, query, code, status):
    with pytest.raises(DomainError) as err:
        adapter.handshake(FakeChannel(kind="x", secret=channel_secret), query)
    assert (err.value.code, err.value.status) == (code, status)


def test_parse_text_expands_links_and_names_the_sender(adapter, channel):
    assert adapter.parse(channel, payload("x", "text")) == [
        NormalizedMessage(
            channel="x",
            external_id="1785634512345678901",
            sender=x_user(SITI, "Siti Rahmawati"),
            body_text="Min, paket saya belum sampai. Resinya https://cekresi.example/jne/CGK1234567890",
            sent_at=dt.datetime(2024, 5, 2, 3, 4, 5, 123000, tzinfo=UTC),
            meta={"screen_name": "siti_rhm", "recipient_id": OURS},
        )
    ]


def test_parse_photo(adapter, channel):
    url = "https://ton.twitter.com/1.1/ton/data/dm/1785634599999999999/1785634500000000000/AbCdEf.jpg"
    [message] = adapter.parse(channel, payload("x", "media"))
    assert (message.external_id, message.body_text) == ("1785634599999999999", f"Barangnya datang begini\n[photo] {url}")
    assert message.meta == {"attachments": [{"type": "photo", "url": url}], "screen_name": "siti_rhm",
                            "recipient_id": OURS}
    assert message.sent_at == dt.datetime(2024, 5, 2, 3, 5, 0, 500000, tzinfo=UTC)


def test_parse_multiple_skips_our_own_dm(adapter, channel):
    messages = adapter.parse(channel, payload("x", "multiple"))
    video = "https://video.twimg.com/dm_video/1785634600000000099/vid/720x1280/high.mp4"
    assert [(m.external_id, m.sender, m.body_text, m.sent_at) for m in messages] == [
        ("1785634600000000001", x_user(SITI, "Siti Rahmawati"), "Halo min", dt.datetime(2024, 5, 2, 3, 6, tzinfo=UTC)),
        ("1785634600000000003", x_user("987654321", "Ahmad bin Yusof"), f"Ini videonya\n[video] {video}",
         dt.datetime(2024, 5, 2, 3, 7, tzinfo=UTC)),
    ]
    assert messages[1].meta == {"attachments": [{"type": "video", "url": video}],
                                "quick_reply_payload": "complaint_damaged", "screen_name": "ahmadyusof_my",
                                "recipient_id": OURS}


def test_the_media_link_is_dropped_even_when_listed_among_the_urls(adapter, channel):
    body = json.loads(payload("x", "media"))
    data = body["direct_message_events"][0]["message_create"]["message_data"]
    data["entities"]["urls"] = [
        {"url": "https://t.co/XyZ9876543", "expanded_url": "https://twitter.com/messages/media/1785634599999999999"},
        {"url": "", "expanded_url": "https://example.invalid/"},  # an empty url must not be replaced everywhere
    ]
    [message] = adapter.parse(channel, json.dumps(body).encode())
    assert message.body_text.split("\n")[0] == "Barangnya datang begini"


@pytest.mark.parametrize("name", ["outgoing", "typing_read"])
def test_parse_own_dms_typing_and_reads_yield_nothing(adapter, channel, name):
    assert adapter.parse(channel, payload("x", name)) == []


def test_parse_other_activity_is_not_a_message(adapter, channel):
    body = {"for_user_id": OURS, "favorite_events": [{"id": "a7ba59eab0bfcba386f7acedac279542"}]}
    assert adapter.parse(channel, json.dumps(body).encode()) == []


def test_a_sender_missing_from_users_has_no_name(adapter, channel):
    body = json.loads(payload("x", "text"))
    del body["users"]
    [message] = adapter.parse(channel, json.dumps(body).encode())
    assert (message.sender, "screen_name" in message.meta) == (x_user(SITI), False)


def _dm(create: dict, **event) -> bytes:
    return json.dumps({"for_user_id": OURS, "direct_message_events": [
        {"type": "message_create", "id": "1", "created_timestamp": "1714619045123", "message_create": create,
         **event}]}).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "The body is a JSON list, not an object."),
        (b'{"direct_message_events": {}}', "$.direct_message_events: is not a list."),
        (json.dumps({"direct_message_events": [{"type": "message_create"}]}).encode(), "$.for_user_id: missing."),
        (_dm({"message_data": {"text": "hi"}}), "direct_message_events[0].message_create.sender_id: missing."),
        (_dm({"sender_id": SITI}), "direct_message_events[0].message_create.message_data: missing."),
        (_dm({"sender_id": SITI, "message_data": {"text": ""}}),
         "direct_message_events[0].message_create.message_data: has no text or attachment."),
        (_dm({"sender_id": SITI, "message_data": {"text": "hi"}}, id=None), "direct_message_events[0].id: missing."),
        (_dm({"sender_id": SITI, "message_data": {"text": "hi"}}, created_timestamp="kemarin"),
         "direct_message_events[0].created_timestamp: 'kemarin' is not a unix timestamp."),
    ],
)
def test_parse_rejects_wrong_shape(adapter, channel, body, message):
    with pytest.raises(ParseError) as err:
        adapter.parse(channel, body)
    assert (err.value.code, err.value.message) == ("bad_payload", message)


# --- send -------------------------------------------------------------------------------


@pytest.mark.servers
def test_send_posts_text_to_the_dm_conversation(adapter, provider_server):
    provider_server.respond(SEND_PATH, 201, json={"data": {"dm_conversation_id": f"{SITI}-{OURS}",
                                                           "dm_event_id": "1785634800000000001"}})
    channel = FakeChannel(kind="x", send_url=provider_server.url("/"))
    result = adapter.send(channel, OutboundEnvelope(to=SITI, body_text="Kami cek dulu ya, kak.",
                                                    idempotency_key="tanggap-9-1"))
    assert result == SendResult(provider_id="1785634800000000001")
    [request] = provider_server.requests
    assert (request.method, request.path) == ("POST", SEND_PATH)
    assert request.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert request.headers["idempotency-key"] == "tanggap-9-1"
    assert request.json() == {"text": "Kami cek dulu ya, kak."}


@pytest.mark.servers
@pytest.mark.parametrize(("status", "delay", "retryable"), [(503, 0.0, True), (429, 0.0, True), (403, 0.0, False),
                                                            (201, 2.0, True)])
def test_send_failures(adapter, provider_server, status, delay, retryable):
    error = {"title": "Forbidden", "type": "about:blank", "status": status,
             "detail": "You are not permitted to send a direct message to this user."}
    provider_server.respond(SEND_PATH, status, json=error, delay=delay)
    channel = FakeChannel(kind="x", send_url=provider_server.url(""), config={"send_timeout": 0.3})
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to=SITI, body_text="halo"))
    assert err.value.retryable is retryable
    if delay == 0:
        assert str(err.value) == f"127.0.0.1 answered {status}: You are not permitted to send a direct message to this user."


@pytest.mark.parametrize(("to", "body_text", "send_url"), [
    ("", "halo", "http://127.0.0.1:9"), ("siti_rhm", "halo", "http://127.0.0.1:9"),
    ("../../2/users", "halo", "http://127.0.0.1:9"), (SITI, " ", "http://127.0.0.1:9"), (SITI, "halo", ""),
])
def test_send_rejects_before_network(adapter, to, body_text, send_url):
    with pytest.raises(SendError) as err:
        adapter.send(FakeChannel(kind="x", send_url=send_url), OutboundEnvelope(to=to, body_text=body_text))
    assert err.value.retryable is False


# --- through the endpoint ---------------------------------------------------------------


def post(body: bytes, signature: str | None = "good"):
    headers = {}
    if signature == "good":
        headers["x-twitter-webhooks-signature"] = b64_hmac(SECRET, body)
    elif signature:
        headers["x-twitter-webhooks-signature"] = signature
    return Client().post(URL, data=body, content_type="application/json", headers=headers)


@pytest.fixture
def account(db):
    return Channel.objects.create(kind="x", slug="x-tokokita", name="@tokokita_id", secret=SECRET)


def test_a_signed_dm_opens_a_ticket_for_the_user_id(account):
    r = post(payload("x", "text"))
    assert r.status_code == 200
    assert r.json()["received"] == r.json()["created"] == 1
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.customer.name) == (account, "Siti Rahmawati")
    message = ticket.messages.get()
    assert (message.channel_kind, message.external_id) == ("x", "1785634512345678901")
    assert list(Identity.objects.filter(customer=ticket.customer).values_list("kind", "namespace", "value")) == [
        ("handle", "x", SITI)]
    raw = InboundRaw.objects.get()
    assert (raw.channel, raw.status, bytes(raw.body)) == (account, "processed", payload("x", "text"))


def test_a_second_dm_from_the_same_person_joins_their_open_ticket(account):
    second = json.loads(payload("x", "text"))
    event = second["direct_message_events"][0]
    event["id"], event["created_timestamp"] = "1785634599999999999", str(int(event["created_timestamp"]) + 60_000)
    event["message_create"]["message_data"] = {"text": "Min, ada kabar?"}
    assert post(payload("x", "text")).json()["created"] == 1
    assert post(json.dumps(second).encode()).json()["created"] == 1
    ticket = Ticket.objects.get()  # a chat-like channel threads by conversation, not one ticket per message
    assert list(ticket.messages.order_by("id").values_list("external_id", flat=True)) == [
        "1785634512345678901", "1785634599999999999"]


def test_a_redelivery_is_stored_once(account):
    body = payload("x", "multiple")
    first = post(body).json()
    assert (first["received"], first["created"]) == (2, 2)
    again = post(body).json()
    assert (again["received"], again["created"]) == (2, 0)
    assert Message.objects.count() == 2
    assert InboundRaw.objects.count() == 2


def test_our_own_dms_and_indicators_open_nothing(account):
    for name in ("outgoing", "typing_read"):
        r = post(payload("x", name))
        assert (r.status_code, r.json()["received"]) == (200, 0)
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("signature", [None, "sha256=" + base64.b64encode(b"\0" * 32).decode(),
                                       b64_hmac("other-app", b"{}")])
def test_a_bad_signature_is_refused_and_nothing_is_stored(account, signature):
    r = post(payload("x", "text"), signature=signature)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"
    assert InboundRaw.objects.count() == 0 and Ticket.objects.count() == 0


def test_a_meta_style_signature_is_not_accepted_for_x(account):
    body = payload("x", "text")
    r = Client().post(URL, data=body, content_type="application/json",
                      headers={"X-Hub-Signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()})
    assert r.status_code == 401
    assert InboundRaw.objects.count() == 0


def test_a_signed_but_malformed_payload_is_kept_raw_with_the_reason(account):
    r = post(_dm({"message_data": {"text": "hi"}}))
    assert r.status_code == 422
    raw = InboundRaw.objects.get()
    assert (raw.status, raw.reason_code, raw.reason) == (
        "rejected", "bad_payload", "direct_message_events[0].message_create.sender_id: missing.")


def test_the_crc_check(account):
    good = Client().get(URL, {"crc_token": "dBHCxz8CPhYtjZSNLrJp4b0Y"})
    assert (good.status_code, good["content-type"]) == (200, "application/json")
    assert good.json() == {"response_token": b64_hmac(SECRET, b"dBHCxz8CPhYtjZSNLrJp4b0Y")}
    missing = Client().get(URL)
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "bad_handshake")


def test_the_crc_check_of_a_channel_without_secret_is_refused(db):
    r = Client().get(URL, {"crc_token": "abc"})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "bad_verify_token")


@pytest.mark.servers
def test_a_reply_goes_back_as_a_dm(account, agent, provider_server):
    account.send_url = provider_server.url("")
    account.send_token = SEND_TOKEN
    account.save()
    provider_server.respond(SEND_PATH, 503, json={"title": "Service Unavailable", "detail": "Service Unavailable"})
    provider_server.respond(SEND_PATH, 201, json={"data": {"dm_conversation_id": f"{SITI}-{OURS}",
                                                           "dm_event_id": "1785634800000000002"}})
    post(payload("x", "text"))
    ticket = Ticket.objects.get()
    reply = reply_send(ticket=ticket, author=agent, body_text="Resi sudah kami cek: paket tiba besok, kak.")
    assert (reply.channel_kind, reply.recipient) == ("x", SITI)

    assert delivery.message_deliver(message_id=reply.pk) == "retry"
    Message.objects.filter(pk=reply.pk).update(next_attempt_at=reply.created_at)  # due again
    assert delivery.message_deliver(message_id=reply.pk) == "sent"

    reply.refresh_from_db()
    assert (reply.delivery_status, reply.provider_id, reply.attempts) == ("sent", "1785634800000000002", 2)
    first, second = provider_server.requests_to(SEND_PATH)
    assert first.body == second.body
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == delivery.idempotency_key(reply)
    assert second.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert second.json()["text"].startswith("Resi sudah kami cek: paket tiba besok, kak.")
