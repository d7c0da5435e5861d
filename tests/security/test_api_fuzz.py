"""Fuzzing the HTTP API with schemathesis, in-process through the WSGI application.

Every operation in /api/v1/openapi.json is called with generated valid and invalid input
(a bounded number of examples, derandomized: the same cases on every run), authenticated
with a real administrator's API token. Checks: no 5xx, every response's status code is one
the schema declares, and every response body matches the schema of its status code.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict({
    # TANGGAP_FUZZ_EXAMPLES=200 for a longer hunt by hand; TANGGAP_FUZZ_SEED=N for other random
    # cases than the fixed (derandomized) ones of the suite.
    "generation": {"max-examples": int(os.environ.get("TANGGAP_FUZZ_EXAMPLES", "10")), "database": "none",
                   "mode": "all", "deterministic": "TANGGAP_FUZZ_SEED" not in os.environ},
    **({"seed": int(os.environ["TANGGAP_FUZZ_SEED"])} if "TANGGAP_FUZZ_SEED" in os.environ else {}),
    "phases": {"stateful": {"enabled": False}},
})

# POST /channels/email/inbound takes a raw message as its body.
schemathesis.serializer.alias("message/rfc822", "text/plain")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """An administrator's API token and a few real rows, made once for the whole module in a
    transaction rolled back at its end (each test then runs in a savepoint inside it):
    tickets from the intake, their customers, an order, an incident, a pending remedy. Path
    ids are aimed at these rows (aim_at_existing_rows), so operations get past their 404s."""
    import importlib

    from django.apps import apps
    from django.test import override_settings

    from tanggap.accounts.services import agent_create, api_token_create
    from tests.conftest import SEEDS, ApiClient

    with django_db_blocker.unblock(), transaction.atomic():
        for module, function in SEEDS:
            getattr(importlib.import_module(module), function)(apps, None)
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            admin = agent_create(username="fuzz-admin", password="rahasia-123", role="admin", teams=[])
            agent = agent_create(username="fuzz-agent", password="rahasia-123", role="agent", teams=[])
        api = ApiClient(api_token_create(user=admin)[1])
        tickets = []
        for i, email in enumerate(["budi@example.co.id", "siti@example.com.my", "anna@example.com"]):
            r = api.post("/messages", {"channel": "api", "external_id": f"fuzz-{i}", "from": {"email": email},
                                       "subject": "Paket belum sampai", "body": "Paket saya belum sampai."})
            assert r.status_code == 201, r.body
            tickets.append(r.body["ticket_id"])
        customers = [api.get(f"/tickets/{t}").body["customer"]["id"] for t in tickets]
        assert api.post("/products", {"sku": "KAOS-1", "name": "Kaos", "price": "150000"}).status_code == 201
        order = api.post("/orders", {"external_id": "fuzz-o1", "customer_id": customers[0], "status": "delivered",
                                     "lines": [{"sku": "KAOS-1", "quantity": 2}]})
        assert order.status_code == 201, order.body
        incident = api.post("/incidents", {"title": "Kurir terlambat", "scope": {"courier": "JNE"}})
        assert incident.status_code == 201, incident.body
        # Requested by the ticket's agent (an admin's own request is approved at once): pending.
        assert api.patch(f"/tickets/{tickets[0]}", {"category": "billing", "assignee_id": agent.pk}).status_code == 200
        remedy = ApiClient(api_token_create(user=agent)[1]).post(
            f"/tickets/{tickets[0]}/remedies", {"kind": "refund", "order_id": order.body["id"], "amount": "100000"})
        assert remedy.status_code == 201 and remedy.body["status"] == "pending", remedy.body
        yield {"headers": api.headers, "ids": {
            "ticket_id": tickets, "customer_id": customers, "incident_id": [incident.body["id"]],
            "remedy_id": [remedy.body["id"]]}, "remedy_ticket_id": tickets[0]}
        transaction.set_rollback(True)


@pytest.fixture
def in_test_transaction(monkeypatch):
    """Django's WSGI handler closes the connection at the end of every request (it is inside
    the test's transaction, so 'obsolete'); the test client does the same as this fixture."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


WEBHOOK_KINDS = ["whatsapp", "sms", "instagram", "messenger", "x"]


def aim_at_existing_rows(case, world) -> None:
    """Three of four generated positive ids in the path are swapped for the id of a real row
    (the same one for the same generated value); the rest stay as generated (mostly 404).
    Likewise a channel kind in the path becomes a real one three times in four."""
    params = case.path_parameters or {}
    for name, value in params.items():
        ids = world["ids"].get(name)
        if ids and isinstance(value, int) and not isinstance(value, bool) and value > 0 and value % 4:
            params[name] = ids[value % len(ids)]
        elif name == "kind" and isinstance(value, str) and len(value) % 4:
            params[name] = WEBHOOK_KINDS[len(value) % len(WEBHOOK_KINDS)]
    if "remedy_id" in params and params["remedy_id"] in world["ids"]["remedy_id"]:
        params["ticket_id"] = world["remedy_ticket_id"]
    # POST /messages: a generated channel name is almost never a channel that exists.
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("channel"), str) and len(body["channel"]) % 4:
        body["channel"] = "api"


@schema.parametrize()
# A naive datetime compared with an aware one is a bug (a day boundary off by the time zone):
# raised inside a view, it becomes a 500 that not_a_server_error reports.
@pytest.mark.filterwarnings("error:.*received a naive datetime:RuntimeWarning")
# The fixtures (the test's savepoint, the signal handlers) are meant to be shared by every example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, world, db, in_test_transaction):
    aim_at_existing_rows(case, world)
    # Each request in its own savepoint, as each request has its own transaction in production:
    # a request the database refuses must not poison the next one through the test's transaction.
    with transaction.atomic():
        case.call_and_validate(headers=world["headers"], checks=CHECKS)


# --- Regressions: what the fuzzer found, one test each ----------------------------------------

BEYOND_64_BITS = 2**70


def assert_error(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert set(response.body["error"]) == {"code", "message"}
    if code:
        assert response.body["error"]["code"] == code


def test_ids_beyond_64_bits_are_refused_with_422(api):
    # Was a 500: the ids reached SQLite ("Python int too large to convert to SQLite INTEGER").
    assert_error(api.post("/notifications/read", {"ids": [1, BEYOND_64_BITS]}), 422, "invalid_input")
    for path in [f"/tickets/{BEYOND_64_BITS}", f"/tickets/{BEYOND_64_BITS}/timeline",
                 f"/customers/{BEYOND_64_BITS}", f"/incidents/{BEYOND_64_BITS}", f"/orders?customer_id={BEYOND_64_BITS}",
                 f"/products?after_id={BEYOND_64_BITS}"]:
        assert_error(api.get(path), 422, "invalid_input")
    assert_error(api.post("/customers/1/merge", {"source_id": BEYOND_64_BITS}), 422, "invalid_input")
    assert_error(api.patch("/tickets/1", {"assignee_id": BEYOND_64_BITS}), 422, "invalid_input")


def test_a_number_the_database_cannot_store_is_a_422_not_a_500(api):
    """The net under the schemas: a query parameter with no bound of its own (team_id) reaches
    the database. SQLite refuses it (OverflowError): 422 out_of_range. PostgreSQL compares it as
    a numeric and finds nothing: 200."""
    response = api.get(f"/tickets?team_id={BEYOND_64_BITS}")
    from django.db import connection

    if connection.vendor == "sqlite":
        assert_error(response, 422, "out_of_range")
    else:
        assert response.status_code == 200 and response.body["items"] == []


def test_negative_or_zero_limit_is_refused(api):
    # Was a 500: "Negative indexing is not supported."
    for path in ["/products?limit=-1", "/products?limit=0", "/orders?limit=-3466956", "/orders?after_id=-1"]:
        assert_error(api.get(path), 422, "invalid_input")
    assert api.get("/products?limit=1").status_code == 200
    assert api.get("/orders?limit=1000").status_code == 200


@pytest.mark.filterwarnings("error:.*received a naive datetime:RuntimeWarning")
def test_promise_report_dates_are_days_in_the_site_time_zone(api):
    # Was a naive datetime (read as UTC) compared with settled_at; Django warned on each call.
    response = api.get("/reports/promises?since=2000-01-01&until=2100-01-01")
    assert response.status_code == 200


def test_texts_longer_than_their_column_are_refused_on_every_database(api, inbound_message):
    """SQLite stored them whole, PostgreSQL refused them (value too long): now both give 422."""
    too_long_email = "a" * 320 + "@example.co.id"
    assert_error(api.post("/messages", inbound_message(email=too_long_email)), 422, "invalid_input")
    assert_error(api.post("/products", {"sku": "S-1", "name": "Kaos", "category": "k" * 101}), 422, "invalid_input")
    order = {"external_id": "o-1", "customer": {"email": "budi@example.co.id"}, "currency": "RUPIAH",
             "lines": [{"sku": "S-1"}]}
    assert_error(api.post("/orders", order), 422, "invalid_input")


def test_the_schema_names_the_errors_every_operation_can_answer(api):
    schema_doc = api.client.get("/api/v1/openapi.json").json()
    for path, operations in schema_doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, (method, path)
            if operation.get("requestBody"):
                assert "400" in responses, (method, path)


def test_nul_characters_are_refused_on_every_database(api, inbound_message):
    """PostgreSQL cannot store a NUL character in text (it answered 422 out_of_range through the
    DataError net); SQLite stored it. Now both refuse it before the database, body or query."""
    assert_error(api.post("/messages", inbound_message(body="Paket\x00 belum sampai")), 422, "invalid_input")
    assert "NUL" in api.post("/products", {"sku": "S\x00", "name": "Kaos"}).body["error"]["message"]
    assert_error(api.post("/products", {"sku": "S-1", "name": "Kaos", "x\x00": 1}), 422, "invalid_input")
    assert_error(api.get("/remedies/catalog?category=%00"), 422, "invalid_input")
    # A backslash-u text that is not a NUL is fine.
    assert api.post("/products", {"sku": "S-2", "name": "Kaos \\u0000"}).status_code == 201


def test_any_time_zone_offset_python_reads_is_stored_on_every_database(api, inbound_message):
    """PostgreSQL refused offsets beyond +-15:59 ("time zone displacement out of range") and
    answered 422 through the DataError net; SQLite stored them. Now an aware datetime is taken
    in UTC (the same instant) before it reaches the database."""
    incident = api.post("/incidents", {"title": "Kurir", "expected_resolution_at": "2030-09-18T11:19:47-23:32"})
    assert incident.status_code == 201, incident.body
    assert incident.body["expected_resolution_at"] == "2030-09-19T10:51:47Z"
    r = api.post("/messages", inbound_message(sent_at="2026-11-24T08:00:00+20:00"))
    assert r.status_code == 201, r.body
    # Before year 1 in UTC: a clear 422 on every database.
    assert_error(api.post("/incidents", {"title": "Kurir", "window_start": "0001-01-01T00:00:00+05:00"}),
                 422, "invalid_input")
