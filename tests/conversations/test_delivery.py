"""Outbound delivery by the worker: success, retries with backoff, permanent failure,
recovery after a crash — against a provider stand-in on 127.0.0.1."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command

from tanggap.channels.models import Channel
from tanggap.channels.services import channel_for, inbound_receive
from tanggap.conversations import delivery
from tanggap.conversations.models import DeliveryAttempt, Message
from tanggap.conversations.services import reply_send
from tanggap.schedule import jobs, run_due

pytestmark = [pytest.mark.django_db, pytest.mark.servers]
T0 = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def wa_ticket(provider_server, settings):
    settings.TANGGAP_OUTBOUND_BACKOFF_SECONDS = 30
    Channel.objects.create(kind="whatsapp", slug="whatsapp", name="WA", secret="s", verify_token="v",
                           send_url=provider_server.url("/v17/123/messages"), send_token="tok")
    body = json.dumps({"channel": "whatsapp", "external_id": "wamid.1", "from": {"phone": "0812-3456-7890"},
                       "body": "Halo, pesanan saya rusak."}).encode()
    return inbound_receive(channel=channel_for(kind="whatsapp"), body=body, source="api")[0].ticket


def _reply(ticket, agent):
    return reply_send(ticket=ticket, author=agent, body_text="Mohon maaf, kami kirim pengganti hari ini.")


def test_a_reply_is_delivered_to_the_provider(wa_ticket, agent, provider_server):
    provider_server.respond("/v17/123/messages", 200, json={"messages": [{"id": "wamid.OUT1"}]})
    msg = _reply(wa_ticket, agent)
    assert delivery.message_deliver(message_id=msg.pk) == "sent"
    msg.refresh_from_db()
    assert (msg.delivery_status, msg.provider_id, msg.attempts) == ("sent", "wamid.OUT1", 1)
    sent = provider_server.requests_to("/v17/123/messages")[0]
    assert sent.json()["to"] == "6281234567890"
    # the first answer carries the promise (issue 3), appended to the agent's words
    assert sent.json()["text"]["body"].startswith("Mohon maaf, kami kirim pengganti hari ini.\n\nKami akan menyelesaikan")
    assert sent.headers["authorization"] == "Bearer tok"
    assert list(DeliveryAttempt.objects.values_list("outcome", flat=True)) == ["sent"]
    assert wa_ticket.timeline.filter(kind="delivery.sent").count() == 1
    # delivered once: a second run does nothing
    assert delivery.message_deliver(message_id=msg.pk) == "skipped"
    assert len(provider_server.requests_to("/v17/123/messages")) == 1


def test_a_provider_error_is_retried_with_exponential_backoff(wa_ticket, agent, provider_server):
    provider_server.respond("/v17/123/messages", 503, json={"error": {"message": "busy"}})
    provider_server.respond("/v17/123/messages", 503, json={"error": {"message": "busy"}})
    provider_server.respond("/v17/123/messages", 200, json={"messages": [{"id": "wamid.OK"}]})
    with time_machine.travel(T0, tick=False):
        msg = _reply(wa_ticket, agent)
        assert delivery.message_deliver(message_id=msg.pk) == "retry"
        msg.refresh_from_db()
        assert (msg.delivery_status, msg.attempts) == ("queued", 1)
        assert msg.next_attempt_at == T0 + dt.timedelta(seconds=30)
        assert "busy" in msg.last_error
        assert delivery.message_deliver(message_id=msg.pk) == "skipped"  # not due yet
    with time_machine.travel(T0 + dt.timedelta(seconds=31), tick=False):
        assert delivery.message_deliver(message_id=msg.pk) == "retry"
        msg.refresh_from_db()
        assert msg.next_attempt_at == T0 + dt.timedelta(seconds=31 + 60)
    with time_machine.travel(T0 + dt.timedelta(seconds=95), tick=False):
        assert delivery.outbound_sweep() == 1
    msg.refresh_from_db()
    assert (msg.delivery_status, msg.attempts) == ("sent", 3)
    assert list(msg.delivery_attempts.order_by("number").values_list("outcome", flat=True)) == ["retry", "retry", "sent"]


def test_a_permanent_refusal_fails_at_once_and_is_shown_on_the_ticket(wa_ticket, agent, provider_server):
    provider_server.respond("/v17/123/messages", 400, json={"error": {"message": "Recipient not on WhatsApp"}})
    msg = _reply(wa_ticket, agent)
    assert delivery.message_deliver(message_id=msg.pk) == "failed"
    msg.refresh_from_db()
    assert msg.delivery_status == "failed"
    assert "Recipient not on WhatsApp" in msg.last_error
    assert "tok" not in msg.last_error.split()
    assert wa_ticket.timeline.filter(kind="delivery.failed").count() == 1


def test_retries_stop_after_the_maximum(wa_ticket, agent, provider_server, settings):
    settings.TANGGAP_OUTBOUND_MAX_ATTEMPTS = 2
    provider_server.respond("/v17/123/messages", 500)
    with time_machine.travel(T0, tick=False):
        msg = _reply(wa_ticket, agent)
        assert delivery.message_deliver(message_id=msg.pk) == "retry"
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        assert delivery.message_deliver(message_id=msg.pk) == "failed"
    assert Message.objects.get(pk=msg.pk).delivery_status == "failed"


def test_a_message_left_sending_by_a_crashed_worker_is_picked_up_again(wa_ticket, agent, provider_server):
    provider_server.respond("/v17/123/messages", 200, json={"messages": [{"id": "wamid.R"}]})
    with time_machine.travel(T0, tick=False):
        msg = _reply(wa_ticket, agent)
        Message.objects.filter(pk=msg.pk).update(delivery_status="sending", next_attempt_at=T0)  # the crash
        assert delivery.outbound_sweep() == 0
    with time_machine.travel(T0 + dt.timedelta(minutes=11), tick=False):
        assert delivery.outbound_sweep() == 1
    assert Message.objects.get(pk=msg.pk).delivery_status == "sent"


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_sends_what_the_console_queued(wa_ticket, agent, provider_server):
    """The real path: reply → event on commit → stored task → db_worker runs it."""
    provider_server.respond("/v17/123/messages", 200, json={"messages": [{"id": "wamid.W"}]})
    msg = _reply(wa_ticket, agent)
    call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)
    assert Message.objects.get(pk=msg.pk).delivery_status == "sent"
    assert len(provider_server.requests_to("/v17/123/messages")) == 1


@pytest.mark.django_db(transaction=True)
def test_periodic_jobs_run_once_per_interval_however_many_workers_ask():
    with time_machine.travel(T0, tick=False):
        assert sorted(run_due()) == sorted(jobs())  # every job is due on the first call
        assert run_due() == []
    with time_machine.travel(T0 + dt.timedelta(seconds=31), tick=False):
        assert run_due() == ["sweep_outbound"]
