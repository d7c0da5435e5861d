"""Fixtures of the settings-screen tests: a logged-in team lead, and a recorder standing in
for ``sla.services.sla_settings_changed`` (so the tests see it called and start no background
work; a stub module is used while the SLA services module has not landed yet)."""

from __future__ import annotations

import sys
import types

import pytest


@pytest.fixture(autouse=True)
def _no_seeded_settings(db):
    """Migrations seed a default calendar, policies and remedy catalog; these tests start empty."""
    from tanggap.remedies.models import RemedyRule
    from tanggap.sla.models import BusinessCalendar, SlaPolicy

    SlaPolicy.objects.all().delete()
    BusinessCalendar.objects.all().delete()
    RemedyRule.objects.all().delete()


@pytest.fixture(autouse=True)
def sla_changes(monkeypatch):
    calls: list[int] = []
    try:
        import tanggap.sla.services as module
    except ImportError:
        module = types.ModuleType("tanggap.sla.services")
        monkeypatch.setitem(sys.modules, "tanggap.sla.services", module)
    monkeypatch.setattr(module, "sla_settings_changed", lambda: calls.append(1), raising=False)
    return calls


@pytest.fixture
def lead(make_staff, team):
    return make_staff("rina", "lead", [team])


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client
