"""Survey fixtures: tickets through the real intake, solved by an agent; the built-in surveys;
a way to run the periodic job and to answer through the public page."""

from __future__ import annotations

import re

import pytest

from tanggap.conversations.models import Message, Ticket
from tanggap.conversations.services import ticket_update
from tanggap.customers.models import Customer
from tanggap.surveys.builtins import builtins_ensure
from tanggap.surveys.models import Survey, SurveySend
from tanggap.surveys.services import surveys_tick
from tests.web.support import receive


@pytest.fixture
def builtins(db):
    return builtins_ensure()


@pytest.fixture
def lead(make_staff, team):
    from tanggap.accounts.models import Team

    user = make_staff("bayu", "lead", [team])
    Team.objects.filter(pk=team.pk).update(lead=user)
    return user


@pytest.fixture
def make_ticket(db, team, agent):
    """A ticket opened by a customer email, assigned to ``agent`` on ``team``."""

    def make(*, email="rina@example.id", name="Rina", language="id", category="delivery", assignee=None,
             on_team=True, channel="email", phone=""):
        ticket = receive(email=email, name=name, subject="Paket belum sampai", body="Paket saya belum sampai.",
                         channel=channel, phone=phone)
        Ticket.objects.filter(pk=ticket.pk).update(category=category, team=team if on_team else None,
                                                   assignee=assignee or agent)
        Customer.objects.filter(pk=ticket.customer_id).update(language=language)
        return Ticket.objects.select_related("customer", "channel").get(pk=ticket.pk)

    return make


@pytest.fixture
def solve(django_capture_on_commit_callbacks, agent):
    """Solve the ticket as the agent, running the after-commit subscribers (the survey trigger)."""

    def run(ticket):
        with django_capture_on_commit_callbacks(execute=True):
            ticket_update(ticket=ticket, actor=agent, status="solved")
        return ticket

    return run


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return surveys_tick()

    return run


def token_in(message: Message) -> str:
    match = re.search(r"/portal/s/([A-Za-z0-9_-]+)/", message.body_text)
    assert match, message.body_text
    return match.group(1)


def only(survey_key: str, **filters):
    return SurveySend.objects.filter(survey__key=survey_key, **filters)


def activate(key: str, **fields):
    Survey.objects.filter(key=key).update(**{"active": True, **fields})


@pytest.fixture
def api_client_for(db):
    """A test client sending a staff user's API token."""
    from django.test import Client

    from tanggap.accounts.services import api_token_create

    def make(user):
        return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)[1]}"})

    return make
