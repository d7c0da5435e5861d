"""POST /api/v1/messages with `Prefer: respond-async`: stored and queued in one transaction,
answered at once (202), received by the worker; GET .../inbound/{id} tells what became of it.

Every test runs twice: through Django's test client, and through the WSGI application a server
runs, where the intake fast path (tanggap/api/fastpath.py) answers the 202s."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tanggap.channels.models import InboundRaw
from tanggap.channels.services import inbound_sweep
from tanggap.conversations.models import Message, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["test-client", "wsgi-fast-path"])
def api_for(request, db):
    from tanggap.accounts.services import api_token_create
    from tests.api.wsgi_client import WsgiApiClient
    from tests.conftest import ApiClient

    kind = WsgiApiClient if request.param == "wsgi-fast-path" else ApiClient
    if kind is WsgiApiClient:
        from tanggap.channels.lookup import channel_for

        channel_for(kind="api")  # else the first request goes Django's way, which makes it

    def make(user):
        return kind(api_token_create(user=user)[1] if user else None)

    return make

ASYNC = {"Prefer": "respond-async"}


def work():
    """The worker, in-process, until the queue is empty (what `tanggap worker` does)."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)


def test_accepted_at_once_and_received_by_the_worker(api, inbound_message):
    r = api.post("/messages", inbound_message(), **ASYNC)
    assert r.status_code == 202
    assert r["Preference-Applied"] == "respond-async"
    assert r.body["status"] == "received"
    assert r["Location"] == r.body["status_url"] == f"/api/v1/messages/inbound/{r.body['inbound_id']}"
    # Stored and queued, but no ticket yet: the worker does that.
    assert Ticket.objects.count() == 0
    assert InboundRaw.objects.get().status == "received"
    assert DBTaskResult.objects.filter(task_path__endswith="process_inbound").count() == 1
    pending = api.get(f"/messages/inbound/{r.body['inbound_id']}")
    assert (pending.body["status"], pending.body["messages"]) == ("received", [])

    work()

    done = api.get(f"/messages/inbound/{r.body['inbound_id']}")
    assert done.status_code == 200
    assert done.body["status"] == "processed" and done.body["processed_at"]
    [m] = done.body["messages"]
    assert m["created"] is True
    ticket = Ticket.objects.get(pk=m["ticket_id"])
    assert ticket.subject == "Paket belum sampai"
    assert list(ticket.messages.values_list("pk", flat=True)) == [m["message_id"]]


def test_without_the_preference_the_answer_waits_for_the_ticket(api, inbound_message):
    r = api.post("/messages", inbound_message(), Prefer="return=minimal")
    assert r.status_code == 201 and r.body["ticket_id"]
    assert not r.has_header("Preference-Applied")


def test_a_repeat_accepted_twice_is_received_once(api, inbound_message):
    first = api.post("/messages", inbound_message(), **ASYNC)
    second = api.post("/messages", inbound_message(), **{"Prefer": "wait=5, respond-async"})
    assert second.status_code == 202 and second.body["inbound_id"] != first.body["inbound_id"]
    work()
    assert Message.objects.count() == 1
    a = api.get(f"/messages/inbound/{first.body['inbound_id']}").body["messages"]
    b = api.get(f"/messages/inbound/{second.body['inbound_id']}").body["messages"]
    assert a[0]["created"] is True and b[0]["created"] is False
    assert a[0]["message_id"] == b[0]["message_id"]


def test_a_message_that_could_never_be_received_is_refused_at_once(api, inbound_message):
    r = api.post("/messages", inbound_message(**{"from": {"name": "No address"}}), **ASYNC)
    assert r.status_code == 422  # as without the preference
    assert r.body["error"]["code"] == "missing_field" and "email, phone or handle" in r.body["error"]["message"]
    assert not InboundRaw.objects.exists() and not DBTaskResult.objects.exists()


def test_a_message_the_worker_cannot_receive_is_rejected_with_its_reason(api, inbound_message, monkeypatch):
    from tanggap.channels import services
    from tanggap.common.errors import DomainError

    r = api.post("/messages", inbound_message(), **ASYNC)

    def refuse(**kw):
        raise DomainError("customer_blocked", "This sender is blocked.")

    monkeypatch.setattr(services, "message_receive", refuse)  # a refusal found only while receiving
    work()
    status = api.get(f"/messages/inbound/{r.body['inbound_id']}").body
    assert status["status"] == "rejected"
    assert status["error"] == {"code": "customer_blocked", "message": "This sender is blocked."}
    assert status["messages"] == [] and not Ticket.objects.exists()


def test_an_accepted_message_whose_job_was_lost_is_received_by_the_sweep(api, inbound_message):
    r = api.post("/messages", inbound_message(), **ASYNC)
    DBTaskResult.objects.all().delete()  # as if the job never ran (a queue wiped, a bug)
    assert inbound_sweep() == 0  # too fresh: its job may still be on its way
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)):
        assert inbound_sweep() == 1
    assert api.get(f"/messages/inbound/{r.body['inbound_id']}").body["status"] == "processed"
    assert Ticket.objects.count() == 1
    work()  # nothing left to do, nothing done twice
    assert Message.objects.count() == 1


def test_the_job_running_twice_receives_once(api, inbound_message):
    from tanggap.channels.tasks import process_inbound

    r = api.post("/messages", inbound_message(), **ASYNC)
    work()
    assert process_inbound.call(raw_id=r.body["inbound_id"]) == 0
    assert Message.objects.count() == 1


def test_an_unknown_inbound_id_is_a_clear_404(api):
    r = api.get("/messages/inbound/999999")
    assert r.status_code == 404
    assert r.body["error"]["code"] == "inbound_not_found"


def test_only_staff_tokens_may_post_or_look(api_for, inbound_message):
    anonymous = api_for(None)
    assert anonymous.post("/messages", inbound_message(), **ASYNC).status_code == 401
    assert anonymous.get("/messages/inbound/1").status_code == 401
    assert not InboundRaw.objects.exists()


def test_a_repeat_is_found_by_the_external_id_as_intake_stored_it(api, inbound_message):
    first = api.post("/messages", inbound_message(external_id="m-7"), **ASYNC)
    padded = api.post("/messages", inbound_message(external_id="  m-7  "), **ASYNC)  # stored stripped
    work()
    assert Message.objects.count() == 1
    [b] = api.get(f"/messages/inbound/{padded.body['inbound_id']}").body["messages"]
    [a] = api.get(f"/messages/inbound/{first.body['inbound_id']}").body["messages"]
    assert b == {**a, "created": False}


def test_the_sla_counts_from_when_the_message_arrived_not_from_when_the_worker_got_to_it(api, inbound_message):
    """A burst (or a crash) can keep an accepted message in the queue; its customer waited all
    that time, so the ticket, the message and the SLA clocks start at the payload's arrival."""
    arrived = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # a Tuesday, 10:00 in Jakarta
    with time_machine.travel(arrived, tick=False):
        queued = api.post("/messages", inbound_message(external_id="late-1", email="late@example.co.id"), **ASYNC)
        at_once = api.post("/messages", inbound_message(external_id="now-1", email="now@example.co.id"))
    assert (queued.status_code, at_once.status_code) == (202, 201)
    with time_machine.travel(arrived + dt.timedelta(minutes=45), tick=False):
        work()
    late = Ticket.objects.get(customer__identities__value="late@example.co.id")
    now_ = Ticket.objects.get(customer__identities__value="now@example.co.id")
    assert late.created_at == arrived and late.messages.get().created_at == arrived
    assert late.timeline.get(kind="message.in").at == arrived
    # the queue's 45 minutes did not come off the first-response budget
    assert late.sla_due_at is not None and late.sla_due_at == now_.sla_due_at
    processed = InboundRaw.objects.get(pk=queued.body["inbound_id"]).processed_at
    assert processed == arrived + dt.timedelta(minutes=45)
