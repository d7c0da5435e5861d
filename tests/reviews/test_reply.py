"""The agent's reply to a negative review goes back to the marketplace through the channel's
sender (the outbound delivery path, with retries and one Idempotency-Key), against a stand-in
for the marketplace's reply endpoint on 127.0.0.1, and is recorded on the review."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.channels.adapters.base import OutboundEnvelope, SendError, SendResult
from tanggap.channels.adapters.marketplace import MarketplaceAdapter
from tanggap.common.clock import now
from tanggap.conversations.delivery import message_deliver, outbound_sweep
from tanggap.conversations.models import Message
from tanggap.reviews.models import Review
from tests.channels.fixtures import FakeChannel
from tests.reviews.conftest import SEND_TOKEN

REPLY_PATH = "/v1/shop/reviews/reply"


def _negative_review(api, review_in, external_id="RV-7"):
    r = api.post("/reviews", review_in(external_id=external_id, rating=1, text="Kemasan bocor, kecewa"))
    return Review.objects.get(pk=r.body["id"])


@pytest.mark.servers
@pytest.mark.django_db
def test_reply_is_posted_once_after_a_500_and_recorded(api_for, agent, marketplace, provider_server, review_in, api):
    marketplace.send_url = provider_server.url(REPLY_PATH)
    marketplace.save()
    provider_server.respond(REPLY_PATH, 500, json={"error": "sedang gangguan"})
    provider_server.respond(REPLY_PATH, 200, json={"reply_id": "RP-42"})
    review = _negative_review(api, review_in)
    text = "Halo Kak Budi, mohon maaf atas kemasannya. Kami kirim pengganti hari ini."
    r = api_for(agent).post(f"/tickets/{review.ticket_id}/replies", {"body": text})
    assert r.status_code in (200, 201), r.body
    message = Message.objects.get(pk=r.body["id"])
    assert message.channel_kind == "marketplace" and message.meta["reply_to_external_id"] == "RV-7"
    review.refresh_from_db()
    # What is posted is the message as queued: the agent's text and, on a first reply, the promise.
    assert review.reply_text == message.body_text and review.reply_text.startswith(text)
    assert (review.reply_state, review.replied_by_id) == ("queued", agent.pk)

    assert message_deliver(message_id=message.pk) == "retry"
    review.refresh_from_db()
    assert review.reply_state == "queued" and review.reply_delivered_at is None
    with time_machine.travel(now() + dt.timedelta(minutes=5)):
        assert outbound_sweep() == 1  # the retry, when it is due
        assert outbound_sweep() == 0  # and never again
    first, second = provider_server.requests_to(REPLY_PATH)
    assert first.json() == second.json() == {"review_id": "RV-7", "reply": message.body_text}
    assert first.headers["authorization"] == f"Bearer {SEND_TOKEN}"
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] != ""
    review.refresh_from_db()
    assert (review.reply_state, review.reply_provider_id) == ("sent", "RP-42")
    assert review.reply_delivered_at is not None and review.replied_at is not None
    message.refresh_from_db()
    assert (message.delivery_status, message.attempts) == ("sent", 2)


@pytest.mark.servers
@pytest.mark.django_db
def test_refused_reply_is_recorded_as_failed(agent, api_for, api, marketplace, provider_server, review_in):
    marketplace.send_url = provider_server.url(REPLY_PATH)
    marketplace.save()
    provider_server.respond(REPLY_PATH, 400, json={"error": {"message": "review already answered"}})
    review = _negative_review(api, review_in)
    r = api_for(agent).post(f"/tickets/{review.ticket_id}/replies", {"body": "Mohon maaf"})
    assert message_deliver(message_id=r.body["id"]) == "failed"
    review.refresh_from_db()
    assert review.reply_state == "failed"
    assert len(provider_server.requests_to(REPLY_PATH)) == 1


@pytest.mark.django_db
def test_a_note_is_not_a_public_reply(agent, api_for, api, review_in):
    review = _negative_review(api, review_in)
    api_for(agent).post(f"/tickets/{review.ticket_id}/notes", {"body": "Cek gudang dulu"})
    review.refresh_from_db()
    assert review.reply_state == "none" and review.reply_text == ""


@pytest.mark.servers
def test_adapter_send_shape(provider_server):
    provider_server.respond(REPLY_PATH, json={"reply_id": "RP-1"})
    channel = FakeChannel(kind="marketplace", send_url=provider_server.url(REPLY_PATH), send_token=SEND_TOKEN)
    result = MarketplaceAdapter().send(channel, OutboundEnvelope(to="tokopedia:budi", body_text="Terima kasih",
                                                                 reply_to_external_id="RV-1", idempotency_key="k-1"))
    assert result == SendResult(provider_id="RP-1")
    [request] = provider_server.requests
    assert request.json() == {"review_id": "RV-1", "reply": "Terima kasih"}
    assert request.headers["idempotency-key"] == "k-1"


@pytest.mark.servers
@pytest.mark.parametrize(("status", "delay", "retryable"), [(503, 0.0, True), (429, 0.0, True), (404, 0.0, False),
                                                             (200, 1.0, True)])
def test_adapter_send_failures(provider_server, status, delay, retryable):
    provider_server.respond(REPLY_PATH, status, json={"error": "x"}, delay=delay)
    channel = FakeChannel(kind="marketplace", send_url=provider_server.url(REPLY_PATH), config={"send_timeout": 0.3})
    with pytest.raises(SendError) as err:
        MarketplaceAdapter().send(channel, OutboundEnvelope(to="x", body_text="halo", reply_to_external_id="RV-1"))
    assert err.value.retryable is retryable
    assert SEND_TOKEN not in str(err.value)


@pytest.mark.parametrize(("review_id", "body_text"), [("", "halo"), ("RV-1", "  ")])
def test_adapter_refuses_before_the_network(review_id, body_text):
    channel = FakeChannel(kind="marketplace", send_url="http://127.0.0.1:9/never")
    with pytest.raises(SendError) as err:
        MarketplaceAdapter().send(channel, OutboundEnvelope(to="x", body_text=body_text, reply_to_external_id=review_id))
    assert err.value.retryable is False
