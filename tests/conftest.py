"""Root fixtures: staff users with roles, an API client with a bearer token, and the
server fixtures (SMTP, IMAP, a provider stand-in) from tests/fixtures."""

from __future__ import annotations

import os

# Triage (issue 7) trains a model at its first use: off for the suite and the servers and workers it
# starts (they inherit the environment), on in tests/triage (its conftest).
os.environ.setdefault("TANGGAP_TRIAGE", "0")
# One thread for the embedding engine: the suite's runs share 2 cores, and OpenMP's second thread
# spins on a busy machine (200 texts: 15 s of CPU with 2 threads, 11 s with 1).
os.environ.setdefault("TANGGAP_TRIAGE_THREADS", "1")

import json
from pathlib import Path

import pytest
from django.test import Client

pytest_plugins = ["tests.fixtures.mail_servers", "tests.fixtures.http_servers"]

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Rows a fresh install gets from data migrations. A transactional test (live server, worker
# processes) ends by flushing every table, so later tests would otherwise run without them.
SEEDS = [("tanggap.sla.migrations.0003_default_policies", "create"),
         ("tanggap.remedies.migrations.0002_default_catalog", "add_defaults"),
         ("tanggap.automations.migrations.0002_default_rules", "create"),
         ("tanggap.reviews.migrations.0002_review_sla_policy", "create")]


@pytest.fixture(autouse=True)
def _seeded_defaults(request):
    marker = request.node.get_closest_marker("django_db")
    wants_db = marker is not None or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not wants_db:
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or \
        {"transactional_db", "live_server"} & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not transactional:
        # A test in a transaction may run `db_worker` in-process. The worker calls
        # close_old_connections(), which closes a connection whose autocommit is off, i.e. the
        # test's own (PostgreSQL; SQLite's in-memory one is never closed). Django's test client
        # keeps the connection open across requests for the same reason.
        from django_tasks_db.management.commands import db_worker

        request.getfixturevalue("monkeypatch").setattr(db_worker, "close_old_connections", lambda: None)
    import importlib

    from django.apps import apps

    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def team(db):
    from tanggap.accounts.services import team_get_or_create

    return team_get_or_create(name="Layanan Pelanggan")


@pytest.fixture
def make_staff(db):
    from tanggap.accounts.services import agent_create

    def make(username: str, role: str = "agent", teams=()):
        return agent_create(username=username, password="rahasia-123", role=role, teams=list(teams))

    return make


@pytest.fixture
def agent(make_staff, team):
    return make_staff("sari", "agent", [team])


@pytest.fixture
def admin_user(make_staff):
    return make_staff("admin", "admin")


class ApiClient:
    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method, path, data=None, content_type="application/json", **headers):
        if data is not None and not isinstance(data, (bytes, str)):
            data = json.dumps(data)
        kwargs = {"headers": {**self.headers, **headers}}
        if data is not None:
            kwargs.update(data=data, content_type=content_type)
        response = getattr(self.client, method)(f"/api/v1{path}", **kwargs)
        response.body = json.loads(response.content) if response["Content-Type"].startswith("application/json") else None
        return response

    def get(self, path, **kw):
        return self._call("get", path, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)


@pytest.fixture
def api_for(db):
    from tanggap.accounts.services import api_token_create

    def make(user) -> ApiClient:
        return ApiClient(api_token_create(user=user)[1] if user else None)

    return make


@pytest.fixture
def api(api_for, admin_user) -> ApiClient:
    return api_for(admin_user)


@pytest.fixture
def inbound_message():
    """A POST /messages payload builder."""

    def make(external_id="m-1", email="budi@example.co.id", body="Paket saya belum sampai.", **extra):
        payload = {"channel": "api", "external_id": external_id, "from": {"email": email, "name": "Budi"},
                   "subject": "Paket belum sampai", "body": body}
        payload.update(extra)
        return payload

    return make


# A test uses the database if it is marked django_db or needs one of these fixtures (directly
# or through other fixtures: item.fixturenames is the whole closure).
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, only the tests that use the database run (the others, e.g. the email
    parser's corpus and the CLI tests that start their own SQLite processes, already ran in
    the SQLite run and would only repeat it); TANGGAP_PG_ALL=1 runs them all.

    Tests marked `slow` (full benchmarks) stay out of the default run; ask for them with
    `-m slow` (or any -m expression naming slow) or TANGGAP_SLOW=1."""
    import os

    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("TANGGAP_PG_ALL") != "1":
        kept = [item for item in items if _uses_database(item)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if not _uses_database(item)])
            items[:] = kept

    if "slow" in (config.getoption("-m") or "") or os.environ.get("TANGGAP_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or TANGGAP_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _triage_off(settings):
    """Triage off in-process too (tests/triage turns it back on)."""
    settings.TANGGAP_TRIAGE = False


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory):
    """A SQLite database file migrated once per test run by the real command (`tanggap migrate`
    in a subprocess, as a user runs it), for the tests that drive the command line."""
    import subprocess
    import sys

    var = tmp_path_factory.mktemp("migrated") / "var"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TANGGAP_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="tanggap.settings")
    subprocess.run([sys.executable, "-m", "tanggap.cli", "migrate"], env=env, check=True, capture_output=True)
    return var / "tanggap.sqlite3"


@pytest.fixture
def migrated_var(tmp_path, _migrated_sqlite_template):
    """``tmp_path / "var"`` holding a copy of the migrated database (what `tanggap migrate` would
    leave there: each test gets its own file, copied with SQLite's backup API)."""
    import sqlite3

    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    src, dst = sqlite3.connect(_migrated_sqlite_template), sqlite3.connect(var / "tanggap.sqlite3")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return var
