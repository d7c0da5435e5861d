"""Ticket status changes keep the times a customer-facing report relies on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.conversations import services
from tanggap.conversations.models import Ticket
from tests.web.support import receive

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)


def test_closing_a_solved_ticket_keeps_the_time_it_was_solved(agent):
    with time_machine.travel(T0, tick=False) as clock:
        ticket = receive()
        clock.move_to(T0 + dt.timedelta(hours=2))
        services.ticket_update(ticket=ticket, actor=agent, status="solved")
        clock.move_to(T0 + dt.timedelta(days=3))
        services.ticket_update(ticket=ticket, actor=agent, status="closed")
    assert Ticket.objects.get(pk=ticket.pk).resolved_at == T0 + dt.timedelta(hours=2)


def test_reopening_clears_the_resolution_time(agent):
    with time_machine.travel(T0, tick=False):
        ticket = receive()
        services.ticket_update(ticket=ticket, actor=agent, status="solved")
        services.ticket_update(ticket=ticket, actor=agent, status="open")
    assert Ticket.objects.get(pk=ticket.pk).resolved_at is None
