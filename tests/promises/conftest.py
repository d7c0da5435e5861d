"""Promise fixtures: an explicit calendar and policy (the seeded ones removed), a team lead,
and a guard against errors swallowed by the in-transaction handlers."""

from __future__ import annotations

import logging

import pytest

from tanggap.sla.models import SlaPolicy
from tests.promises.support import make_calendar, make_policy


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Staff users are made in most tests; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_swallowed_errors(caplog):
    """Promise and SLA handlers log and swallow exceptions; a test must not pass because of that."""
    caplog.set_level(logging.ERROR)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("tanggap")]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture
def calendar(db):
    SlaPolicy.objects.all().delete()
    return make_calendar()


@pytest.fixture
def policy(calendar):
    """Resolution in 8 business hours; promise warning 30 minutes before it lapses."""
    return make_policy(calendar=calendar, first_response_minutes=4 * 60, next_response_minutes=4 * 60,
                       resolution_minutes=8 * 60, warn_before_minutes=30)


@pytest.fixture
def lead(make_staff, team):
    user = make_staff("bayu", "lead", [team])
    team.lead = user
    team.save()
    return user
