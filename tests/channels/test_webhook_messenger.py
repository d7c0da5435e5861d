"""Facebook Messenger adapter: verify, handshake, parse, send; and through the real endpoint
(stored raw first, duplicates once, bad signatures refused) to a reply delivered to a
provider stand-in on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from tanggap.channels.adapters.base import InboundRequest, OutboundEnvelope, SendError, SendResult, get_adapter
from tanggap.channels.adapters.messenger import MessengerAdapter
from tanggap.channels.adapters.webhook import sign_body
from tanggap.channels.models import Channel, InboundRaw
from tanggap.channels.normalized import InboundIdentity, NormalizedMessage
from tanggap.common.errors import DomainError, ParseError
from tanggap.conversations import delivery
from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import reply_send
from tanggap.customers.models import Identity
from tests.channels.fixtures import SECRET, SEND_TOKEN, VERIFY_TOKEN, FakeChannel, payload, signed

UTC = dt.timezone.utc
PAGE_ID = "104729381562730"
SEND_PATH = f"/v21.0/{PAGE_ID}/messages"
PSID = "7214306851925432"
TEXT_MID = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"
URL = "/api/v1/channels/messenger/webhook"


def fb(value: str) -> InboundIdentity:
    return InboundIdentity(kind="handle", value=value, namespace="messenger")


@pytest.fixture
def adapter() -> MessengerAdapter:
    return get_adapter("messenger")


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel(kind="messenger")


def test_registered_on_import():
    assert isinstance(get_adapter("messenger"), MessengerAdapter)


def test_verify_accepts_signed_payload(adapter, channel):
    assert adapter.verify(channel, signed(payload("messenger", "text"))) is None


@pytest.mark.parametrize("headers", [{}, {"x-hub-signature-256": "sha256=deadbeef"},
                                     {"x-hub-signature": "sha1=0000000000000000000000000000000000000000"}])
def test_verify_rejects(adapter, channel, headers):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, InboundRequest(body=payload("messenger", "text"), headers=headers))
    assert (err.value.code, err.value.status) == ("bad_signature", 401)


def test_verify_signed_with_other_secret(adapter, channel):
    with pytest.raises(DomainError) as err:
        adapter.verify(channel, signed(payload("messenger", "text"), secret="someone-else"))
    assert err.value.code == "bad_signature"


def test_verify_without_secret_refuses_everything(adapter):
    with pytest.raises(DomainError) as err:
        adapter.verify(FakeChannel(kind="messenger", secret=""), signed(payload("messenger", "text"), secret=""))
    assert err.value.code == "bad_signature"


@pytest.mark.parametrize(("token", "ok"), [(VERIFY_TOKEN, True), (VERIFY_TOKEN + "x", False)])
def test_handshake(adapter, channel, token, ok):
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
    if ok:
        assert adapter.handshake(channel, query) == "1158201444"
    else:
        with pytest.raises(DomainError) as err:
            adapter.handshake(channel, query)
        assert (err.value.code, err.value.status) == ("bad_verify_token", 403)


def test_parse_text(adapter, channel):
    assert adapter.parse(channel, payload("messenger", "text")) == [
        NormalizedMessage(
            channel="messenger",
            external_id=TEXT_MID,
            sender=fb(PSID),
            body_text="Kak, pesanan saya INV-2024-0517 belum sampai",
            sent_at=dt.datetime(2024, 5, 2, 3, 4, 5, 123000, tzinfo=UTC),
            meta={"recipient_id": PAGE_ID},
        )
    ]


def test_parse_image_attachment(adapter, channel):
    url = "https://scontent.xx.fbcdn.net/v/t1.15752-9/441234567_n.jpg?_nc_cat=1&oh=00_AfA"
    assert adapter.parse(channel, payload("messenger", "image")) == [
        NormalizedMessage(
            channel="messenger",
            external_id="m_image_0002",
            sender=fb(PSID),
            body_text=f"[image] {url}",
            sent_at=dt.datetime(2024, 5, 2, 3, 5, 0, 500000, tzinfo=UTC),
            meta={"attachments": [{"type": "image", "url": url}], "recipient_id": PAGE_ID},
        )
    ]


def test_parse_multiple_skips_deliveries_reads_and_reactions(adapter, channel):
    messages = adapter.parse(channel, payload("messenger", "multiple"))
    assert [(m.external_id, m.sender, m.body_text, m.in_reply_to) for m in messages] == [
        ("m_multi_1", fb(PSID),
         "Ini fotonya\n[image] https://scontent.xx.fbcdn.net/v/1.jpg\n[file] https://cdn.fbsbx.com/v/t59/invoice.pdf", ""),
        ("m_multi_2", fb("6120987654321098"), "Ya, yang ini", "m_outbound_7"),
        ("m_multi_3", fb("5550001112223334"), "[postback] Cek status pesanan", ""),
        ("m_multi_4", fb("5550001112223334"),
         "[sticker] https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png", ""),
        ("m_multi_5", fb("5550001112223334"),
         "https://tokoku.example/produk/kaos-polos\n"
         "[fallback] Kaos Polos Cotton Combed 30s https://tokoku.example/produk/kaos-polos", ""),
    ]
    assert [m.sent_at for m in messages] == [
        dt.datetime(2024, 5, 2, 3, 6, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 7, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 8, 5, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 8, 6, tzinfo=UTC),
        dt.datetime(2024, 5, 2, 3, 8, 7, tzinfo=UTC),
    ]
    assert messages[1].meta == {"quick_reply_payload": "CONFIRM_ADDRESS", "recipient_id": PAGE_ID}
    assert messages[2].meta == {"payload": "ORDER_STATUS", "recipient_id": PAGE_ID}


@pytest.mark.parametrize("name", ["echo", "delivery_read"])
def test_parse_echo_delivery_read_standby_yield_nothing(adapter, channel, name):
    assert adapter.parse(channel, payload("messenger", name)) == []


def test_parse_location(adapter, channel):
    body = _event({"sender": {"id": "1"}, "recipient": {"id": PAGE_ID}, "timestamp": 1000, "message": {
        "mid": "m_loc", "attachments": [{"type": "location", "title": "Lokasi saya",
                                         "payload": {"coordinates": {"lat": -6.2, "long": 106.816666}}}]}})
    [message] = adapter.parse(channel, body)
    assert message.body_text == "[location] Lokasi saya https://maps.google.com/?q=-6.2,106.816666"


def _event(event: dict) -> bytes:
    return json.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1, "messaging": [event]}]}).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "The body is a JSON list, not an object."),
        (b'{"object": "instagram", "entry": []}', "object: is 'instagram', expected 'page'."),
        (b'{"object": "page", "entry": {}}', "$.entry: is not a list."),
        (
            _event({"recipient": {"id": PAGE_ID}, "timestamp": 1, "message": {"mid": "m", "text": "hi"}}),
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


# --- send -------------------------------------------------------------------------------


@pytest.mark.servers
def test_send_posts_the_send_api_shape(adapter, provider_server):
    provider_server.respond(SEND_PATH, json={"recipient_id": PSID, "message_id": "m_out_1"})
    channel = FakeChannel(kind="messenger", send_url=provider_server.url(SEND_PATH))
    result = adapter.send(channel, OutboundEnvelope(to=PSID, body_text="Sudah kami kirim ulang, kak!",
                                                    idempotency_key="tanggap-7-1"))
    assert result == SendResult(provider_id="m_out_1")
    [request] = provider_server.requests
    assert (request.method, request.path) == ("POST", SEND_PATH)
    assert request.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert request.headers["idempotency-key"] == "tanggap-7-1"
    assert request.json() == {"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
                              "message": {"text": "Sudah kami kirim ulang, kak!"}}


@pytest.mark.servers
@pytest.mark.parametrize(("status", "delay", "retryable"), [(500, 0.0, True), (400, 0.0, False), (200, 2.0, True)])
def test_send_failures(adapter, provider_server, status, delay, retryable):
    error = {"error": {"message": "(#10) This message is sent outside of allowed window.", "type": "OAuthException",
                       "code": 10, "error_subcode": 2018278}}
    provider_server.respond(SEND_PATH, status, json=error, delay=delay)
    channel = FakeChannel(kind="messenger", send_url=provider_server.url(SEND_PATH), config={"send_timeout": 0.3})
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to=PSID, body_text="halo"))
    assert err.value.retryable is retryable
    if status != 200:
        assert str(err.value) == f"127.0.0.1 answered {status}: (#10) This message is sent outside of allowed window."


@pytest.mark.parametrize(("to", "body_text"), [("", "halo"), (PSID, "  ")])
def test_send_rejects_before_network(adapter, to, body_text):
    channel = FakeChannel(kind="messenger", send_url="http://127.0.0.1:9/never")
    with pytest.raises(SendError) as err:
        adapter.send(channel, OutboundEnvelope(to=to, body_text=body_text))
    assert err.value.retryable is False


# --- through the endpoint ---------------------------------------------------------------


def post(body: bytes, signature: str | None = "good"):
    headers = {}
    if signature == "good":
        headers["X-Hub-Signature-256"] = sign_body(SECRET, body)
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    return Client().post(URL, data=body, content_type="application/json", headers=headers)


@pytest.fixture
def fb_page(db):
    return Channel.objects.create(kind="messenger", slug="fb-page", name="Toko Kita (Facebook)", secret=SECRET,
                                  verify_token=VERIFY_TOKEN)


def test_a_signed_message_opens_a_ticket_for_the_psid(fb_page):
    r = post(payload("messenger", "text"))
    assert r.status_code == 200
    assert r.json()["received"] == r.json()["created"] == 1
    ticket = Ticket.objects.get()
    assert ticket.channel == fb_page
    message = ticket.messages.get()
    assert (message.channel_kind, message.external_id, message.body_text) == (
        "messenger", TEXT_MID, "Kak, pesanan saya INV-2024-0517 belum sampai")
    assert list(Identity.objects.filter(customer=ticket.customer).values_list("kind", "namespace", "value")) == [
        ("handle", "messenger", PSID)]
    raw = InboundRaw.objects.get()
    assert (raw.channel, raw.status, bytes(raw.body)) == (fb_page, "processed", payload("messenger", "text"))


def test_a_second_message_from_the_same_person_joins_their_open_ticket(fb_page):
    first = json.loads(payload("messenger", "text"))
    second = json.loads(payload("messenger", "text"))
    event = second["entry"][0]["messaging"][0]
    event["message"] = {"mid": "m_second-message", "text": "Halo kak, ada kabar?"}
    event["timestamp"] += 60_000
    assert post(json.dumps(first).encode()).json()["created"] == 1
    assert post(json.dumps(second).encode()).json()["created"] == 1
    ticket = Ticket.objects.get()  # a chat-like channel threads by conversation, not one ticket per message
    assert list(ticket.messages.order_by("id").values_list("external_id", flat=True)) == [TEXT_MID, "m_second-message"]


def test_a_redelivery_is_stored_once(fb_page):
    body = payload("messenger", "multiple")
    first = post(body).json()
    assert (first["received"], first["created"]) == (5, 5)
    again = post(body).json()
    assert (again["received"], again["created"]) == (5, 0)
    assert Message.objects.count() == 5
    assert InboundRaw.objects.count() == 2  # every delivery is kept raw


def test_echoes_and_receipts_open_nothing(fb_page):
    for name in ("echo", "delivery_read"):
        r = post(payload("messenger", name))
        assert (r.status_code, r.json()["received"]) == (200, 0)
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, sign_body("other-app", b"{}")])
def test_a_bad_signature_is_refused_and_nothing_is_stored(fb_page, signature):
    r = post(payload("messenger", "text"), signature=signature)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"
    assert InboundRaw.objects.count() == 0 and Ticket.objects.count() == 0


def test_a_signed_but_malformed_payload_is_kept_raw_with_the_reason(fb_page):
    r = post(_event({"sender": {"id": "1"}, "timestamp": 1, "message": {"text": "hi"}}))
    assert r.status_code == 422
    raw = InboundRaw.objects.get()
    assert (raw.status, raw.reason_code) == ("rejected", "bad_payload")
    assert raw.reason == "entry[0].messaging[0].message.mid: missing."


def test_the_verification_handshake(fb_page):
    good = Client().get(URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert (good.status_code, good.content, good["content-type"]) == (200, b"1158201444", "text/plain")
    bad = Client().get(URL, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"})
    assert bad.status_code == 403
    assert bad.json()["error"]["code"] == "bad_verify_token"


@pytest.mark.servers
def test_a_reply_goes_back_through_the_send_api(fb_page, agent, provider_server):
    fb_page.send_url = provider_server.url(SEND_PATH)
    fb_page.send_token = SEND_TOKEN
    fb_page.save()
    provider_server.respond(SEND_PATH, 503, json={"error": {"message": "Service temporarily unavailable", "code": 2}})
    provider_server.respond(SEND_PATH, json={"recipient_id": PSID, "message_id": "m_out_reply"})
    post(payload("messenger", "text"))
    ticket = Ticket.objects.get()
    reply = reply_send(ticket=ticket, author=agent, body_text="Mohon maaf, kak. Kami cek ke kurir sekarang.")
    assert (reply.channel_kind, reply.recipient) == ("messenger", PSID)

    assert delivery.message_deliver(message_id=reply.pk) == "retry"
    Message.objects.filter(pk=reply.pk).update(next_attempt_at=reply.created_at)  # due again
    assert delivery.message_deliver(message_id=reply.pk) == "sent"

    reply.refresh_from_db()
    assert (reply.delivery_status, reply.provider_id, reply.attempts) == ("sent", "m_out_reply", 2)
    first, second = provider_server.requests_to(SEND_PATH)
    assert first.body == second.body
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == delivery.idempotency_key(reply)
    assert second.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    sent = second.json()
    assert (sent["recipient"], sent["messaging_type"]) == ({"id": PSID}, "RESPONSE")
    assert sent["message"]["text"].startswith("Mohon maaf, kak. Kami cek ke kurir sekarang.")
