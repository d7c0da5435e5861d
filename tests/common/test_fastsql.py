"""The hand-written SELECTs of intake's hot path (``common.fastsql``) give the same instances the
ORM gives, on SQLite and PostgreSQL, and read the database anew on every request: a revoked
token, a deactivated user or a changed role takes effect on the next request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tanggap.accounts.models import AgentProfile, ApiToken
from tanggap.accounts.selectors import role_of, user_for_token
from tanggap.accounts.services import api_token_create
from tanggap.channels.lookup import channel_for
from tanggap.channels.models import Channel
from tanggap.common.fastsql import Shape, fetch_one, quoted

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_row_becomes_the_instance_the_orm_would_load():
    used = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
    ch = Channel.objects.create(kind="whatsapp", slug="wa-toko", name="WA Toko", config={"nomor": "+62 812", "n": 3},
                                secret="s")
    shape = Shape((Channel, "c"))
    row = fetch_one(f"SELECT {shape.select} FROM {quoted(Channel)} c WHERE c.id = %s", [ch.pk])
    [loaded] = shape.instances(row)
    assert _fields(loaded) == _fields(Channel.objects.get(pk=ch.pk))
    assert loaded.config == {"nomor": "+62 812", "n": 3} and loaded.active is True
    assert not loaded._state.adding

    staff, _ = _agent("rina", "lead")
    token = ApiToken.objects.get(user=staff)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used)
    shape = Shape((ApiToken, "t"))
    [loaded] = shape.instances(fetch_one(f"SELECT {shape.select} FROM {quoted(ApiToken)} t WHERE t.id = %s", [token.pk]))
    assert loaded.last_used_at == used and loaded.last_used_at.tzinfo is not None
    assert _fields(loaded) == _fields(ApiToken.objects.get(pk=token.pk))


def _agent(username: str, role: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password="pw-123456789", first_name="Rina")
    AgentProfile.objects.create(user=user, role=role, language="ms")
    return user, api_token_create(user=user)[1]


def test_the_token_lookup_brings_the_user_and_profile_in_one_query():
    user, key = _agent("rina", "lead")
    with CaptureQueriesContext(connection) as queries:
        found = user_for_token(key)
        assert (found.pk, found.username, found.first_name) == (user.pk, "rina", "Rina")
        assert role_of(found) == "lead" and found.profile.language == "ms"
    # the lookup, and last_used_at written on first use (then at most once a minute)
    assert len(queries) == 2, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert role_of(user_for_token(key)) == "lead"
    assert len(queries) == 1


def test_revoking_deactivating_or_changing_a_role_counts_on_the_next_request():
    user, key = _agent("rina", "lead")
    assert role_of(user_for_token(key)) == "lead"
    AgentProfile.objects.filter(user=user).update(role="agent")
    assert role_of(user_for_token(key)) == "agent"
    AgentProfile.objects.filter(user=user).delete()
    assert role_of(user_for_token(key)) is None  # not staff any more: the API refuses it
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert user_for_token(key) is None
    type(user).objects.filter(pk=user.pk).update(is_active=True)
    assert user_for_token(key) is not None
    ApiToken.objects.filter(user=user).update(revoked=True)
    assert user_for_token(key) is None
    assert user_for_token("tg_not-a-token") is None


def test_the_default_channel_is_the_first_active_one_and_follows_changes():
    assert channel_for(kind="sms").slug == "sms"  # created on first use
    second = Channel.objects.create(kind="sms", slug="sms-2", name="SMS 2")
    assert channel_for(kind="sms").slug == "sms"
    Channel.objects.filter(slug="sms").update(active=False)
    assert channel_for(kind="sms").pk == second.pk


def test_insert_saves_what_create_would():
    from tanggap.channels.models import InboundRaw
    from tanggap.common.fastsql import insert

    ch = channel_for(kind="web")
    raw = insert(InboundRaw(channel=ch, body=b'{"a": 1}', size=8, content_type="application/json", source="api"))
    assert raw.pk is not None and not raw._state.adding
    twin = InboundRaw.objects.create(channel=ch, body=b'{"a": 1}', size=8, content_type="application/json", source="api")
    assert twin.pk == raw.pk + 1
    stored, made = InboundRaw.objects.get(pk=raw.pk), InboundRaw.objects.get(pk=twin.pk)
    skip = {"id", "received_at"}
    assert {k: v for k, v in _fields(stored).items() if k not in skip} == \
        {k: v for k, v in _fields(made).items() if k not in skip}
    assert bytes(stored.body) == b'{"a": 1}' and stored.received_at.tzinfo is not None


def test_a_job_queued_through_the_backend_is_the_row_the_library_writes_and_runs():
    from django_tasks_db.models import DBTaskResult

    from tanggap.channels import services
    from tanggap.channels.models import InboundRaw

    body = (b'{"channel": "web", "external_id": "q-1", "from": {"email": "sari@example.id", "name": "Sari"}, '
            b'"subject": "Paket", "body": "Paket saya belum sampai."}')
    raw = services.inbound_accept(channel=channel_for(kind="web"), body=body, content_type="application/json",
                                  source="api")
    job = DBTaskResult.objects.get()
    assert (job.task_path, job.args_kwargs, job.status, job.queue_name) == \
        ("tanggap.channels.tasks.process_inbound", {"args": [], "kwargs": {"raw_id": raw.pk}}, "READY", "default")
    assert job.enqueued_at is not None and job.run_after is not None and job.worker_ids == []
    from django.core.management import call_command

    call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*", verbosity=0)
    job.refresh_from_db()
    raw.refresh_from_db()
    assert (job.status, raw.status, raw.messages_created) == ("SUCCESSFUL", "processed", 1)


# --- Prepared: a query compiled once, run with new values ------------------------------------------


def _ticket_with_sla(subject: str, email: str):
    from tanggap.channels.normalized import InboundIdentity
    from tanggap.conversations.models import Ticket
    from tanggap.customers.services import customer_find_or_create
    from tanggap.sla.models import TicketSla

    customer, _ = customer_find_or_create(identity=InboundIdentity(kind="email", value=email, name=subject))
    at = dt.datetime(2026, 5, 4, 3, 2, 1, 654321, tzinfo=dt.UTC)
    ticket = Ticket.objects.create(subject=subject, customer=customer, channel=channel_for(kind="email"),
                                   created_at=at, updated_at=at, last_message_at=at)
    TicketSla.objects.create(ticket=ticket, evaluated_at=at)
    return ticket


def test_a_prepared_query_gives_the_instances_the_orm_gives_with_each_new_value():
    from tanggap.common.fastsql import Prepared
    from tanggap.conversations.models import Ticket

    first, second = _ticket_with_sla("Paket belum sampai", "ani@contoh.id"), _ticket_with_sla("Refund", "budi@contoh.id")
    prepared = Prepared(lambda pk: Ticket.objects.select_related("channel", "customer", "sla").filter(pk=pk))
    for ticket in (first, second, first):  # compiled once, then run with each value
        orm = Ticket.objects.select_related("channel", "customer", "sla").get(pk=ticket.pk)
        with CaptureQueriesContext(connection) as queries:
            got = prepared.get(ticket.pk)
            # the related objects came with it: no query to reach them
            related = (got.channel, got.customer, got.sla)
        assert len(queries) == 1
        assert _fields(got) == _fields(orm) and got.created_at.tzinfo is not None
        assert [_fields(r) for r in related] == [_fields(orm.channel), _fields(orm.customer), _fields(orm.sla)]
        assert not got._state.adding and got._state.db == "default"
    with pytest.raises(Ticket.DoesNotExist):
        prepared.get(second.pk + 1000)


def test_a_prepared_query_with_text_values_and_a_missing_related_row():
    from tanggap.common.fastsql import Prepared
    from tanggap.conversations.models import Ticket
    from tanggap.customers.models import Identity

    ticket = _ticket_with_sla("Tanya stok", "citra@contoh.id")
    ticket.sla.delete()
    by_identity = Prepared(lambda kind, namespace, value: Identity.objects.select_related("customer").filter(
        kind=kind, namespace=namespace, value=value).order_by("pk")[:1])
    found = by_identity.first("email", "", "citra@contoh.id")
    assert found is not None and found.customer.pk == ticket.customer_id
    assert by_identity.first("email", "", "tidak.ada@contoh.id") is None
    assert by_identity.first("phone", "", "citra@contoh.id") is None  # every value is a parameter
    with_sla = Prepared(lambda pk: Ticket.objects.select_related("sla").filter(pk=pk))
    loaded = with_sla.get(ticket.pk)
    with pytest.raises(Ticket.sla.RelatedObjectDoesNotExist):  # as the ORM: the LEFT JOIN found nothing
        loaded.sla  # noqa: B018


def test_a_prepared_query_refuses_a_parameter_that_does_not_reach_the_sql():
    from tanggap.common.fastsql import Prepared
    from tanggap.conversations.models import Ticket

    prepared = Prepared(lambda pk: Ticket.objects.filter(pk=1))  # the value is ignored: a bug to report
    with pytest.raises(ValueError, match="not every parameter"):
        prepared.list(5)


def test_update_writes_what_queryset_update_writes():
    from tanggap.common.fastsql import update
    from tanggap.conversations.models import Ticket
    from tanggap.sla.models import SlaPolicy, TicketSla

    ticket = _ticket_with_sla("Salah kirim", "dewi@contoh.id")
    twin = _ticket_with_sla("Salah kirim juga", "eka@contoh.id")
    policy = SlaPolicy.objects.create(name="Cepat", first_response_minutes=30)
    at = dt.datetime(2026, 7, 8, 9, 10, 11, 120000, tzinfo=dt.UTC)
    assert update(Ticket, ticket.pk, status="pending", waiting_since=None, sla_due_at=at) == 1
    Ticket.objects.filter(pk=twin.pk).update(status="pending", waiting_since=None, sla_due_at=at)
    got, want = Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=twin.pk)
    assert (got.status, got.waiting_since, got.sla_due_at) == (want.status, want.waiting_since, want.sla_due_at)
    assert got.sla_due_at == at and got.subject == "Salah kirim"  # other columns untouched
    # a related object stands for its key; the primary key may be a one-to-one field's
    assert update(TicketSla, ticket.pk, policy=policy, evaluated_at=at) == 1
    assert TicketSla.objects.get(pk=ticket.pk).policy_id == policy.pk
    assert update(TicketSla, twin.pk + 1000, policy=None, evaluated_at=at) == 0  # no such row
