"""Fuzzing the HTTP API with schemathesis, in-process through the WSGI application.

Every operation in /api/v1/openapi.json is called with generated valid and invalid input
(a bounded number of examples, derandomized: the same cases on every run), authenticated
with a real administrator's API token. Checks: no 5xx, every response's status code is one
the schema declares, and every response body matches the schema of its status code.
"""

from __future__ import annotations

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
    "generation": {"max-examples": 10, "deterministic": True, "database": "none", "mode": "all"},
    "phases": {"stateful": {"enabled": False}},
})

# POST /channels/email/inbound takes a raw message as its body.
schemathesis.serializer.alias("message/rfc822", "text/plain")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture
def bearer(db, make_staff):
    from tanggap.accounts.services import api_token_create

    return {"Authorization": f"Bearer {api_token_create(user=make_staff('fuzz-admin', 'admin'))[1]}"}


@pytest.fixture
def in_test_transaction(monkeypatch):
    """Django's WSGI handler closes the connection at the end of every request (it is inside
    the test's transaction, so 'obsolete'); the test client does the same as this fixture."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# The fixtures (a token, the test's transaction) are meant to be shared by every example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, bearer, in_test_transaction):
    # Each request in its own savepoint, as each request has its own transaction in production:
    # a request the database refuses must not poison the next one through the test's transaction.
    with transaction.atomic():
        case.call_and_validate(headers=bearer, checks=CHECKS)
