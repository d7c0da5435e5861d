"""The next best action (issue 7): per customer and across customers, ranked, with reasons,
scoped to the tickets the caller may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tanggap.common.clock import now
from tanggap.conversations.services import reply_send, ticket_update
from tanggap.nextbest import selectors
from tanggap.promises.models import Promise
from tests.web.support import receive

pytestmark = pytest.mark.django_db


def promise_due(ticket, at):
    """The ticket's active promise (the first answer made one: promises) now falls due at ``at``."""
    if not Promise.objects.filter(ticket=ticket, status="active").update(due_at=at):
        Promise.objects.create(ticket=ticket, due_at=at)


def kinds(actions):
    return [a.kind for a in actions]


@pytest.fixture
def other_team(db):
    from tanggap.accounts.services import team_get_or_create

    return team_get_or_create(name="Keuangan")


def test_a_due_promise_comes_before_a_waiting_message_and_each_says_why(agent):
    waiting = receive(subject="Paket belum sampai", body="Paket saya belum sampai.")
    promised = receive(subject="Refund", body="Refund saya kapan?")
    reply_send(ticket=promised, author=agent, body_text="Kami proses hari ini.")
    promise_due(promised, now() + dt.timedelta(hours=3))
    actions = selectors.for_customer(user=agent, customer=waiting.customer)
    assert kinds(actions)[:2] == ["keep_promise", "answer_waiting"]
    assert actions[0].ticket == promised and promised.reference in actions[0].reason
    assert actions[1].ticket == waiting and "waiting" in actions[1].reason or "menunggu" in actions[1].reason
    # Answered: no longer waiting.
    reply_send(ticket=waiting, author=agent, body_text="Sudah kami cek.")
    assert "answer_waiting" not in kinds(selectors.for_customer(user=agent, customer=waiting.customer))


def test_a_late_promise_outranks_everything(agent):
    t = receive()
    reply_send(ticket=t, author=agent, body_text="Besok kami kabari.")
    promise_due(t, now() - dt.timedelta(hours=1))
    [first, *_] = selectors.for_customer(user=agent, customer=t.customer)
    assert first.kind == "keep_promise" and first.weight == 110


def test_tickets_of_another_team_stay_out_of_an_agents_list(agent, admin_user, other_team):
    t = receive(subject="Tagihan", body="Tagihan saya dobel.")
    ticket_update(ticket=t, actor=admin_user, team=other_team)
    assert "answer_waiting" not in kinds(selectors.for_customer(user=agent, customer=t.customer))
    assert "answer_waiting" in kinds(selectors.for_customer(user=admin_user, customer=t.customer))
    assert t.pk not in [a.ticket.pk for a in selectors.work_list(user=agent) if a.ticket]
    assert t.pk in [a.ticket.pk for a in selectors.work_list(user=admin_user) if a.ticket]


def test_an_incident_the_customer_was_not_told_about(agent, admin_user):
    from tanggap.incidents.services import incident_link_ticket, incident_open

    t = receive(subject="Tidak bisa bayar", body="Pembayaran saya gagal terus.")
    incident = incident_open(title="Gangguan pembayaran", actor=admin_user)
    incident_link_ticket(incident=incident, ticket=t, actor=admin_user)
    [action] = [a for a in selectors.for_customer(user=agent, customer=t.customer) if a.kind == "tell_incident"]
    assert "Gangguan pembayaran" in action.reason


def test_customers_at_risk_and_near_a_tier_get_their_actions(agent, admin_user):
    from tanggap.health.models import CustomerHealth
    from tanggap.loyalty.models import EntryKind, Tier
    from tanggap.loyalty.services import _post

    t = receive(email="rina@example.co.id", name="Rina")
    reply_send(ticket=t, author=agent, body_text="Sudah sampai?")
    customer = t.customer
    CustomerHealth.objects.create(customer=customer, score=18, band="at_risk", reasons=[
        {"code": "broken_promises", "params": {"n": 2}, "effect": "negative", "component": "promises", "points": -20}])
    Tier.objects.create(code="gold", name_id="Emas", threshold=1000)
    _post(customer_id=customer.pk, kind=EntryKind.EARN, delta=850, note="pesanan")
    actions = selectors.for_customer(user=agent, customer=customer)
    assert kinds(actions) == ["win_back", "invite_tier"] or kinds(actions)[:2] == ["win_back", "invite_tier"]
    assert actions[0].reason.startswith("Health 18/100") or "18/100" in actions[0].reason
    assert "150" in actions[1].reason and "Emas" in actions[1].reason
    # Far from the tier: no invitation.
    Tier.objects.update(threshold=5000)
    assert "invite_tier" not in kinds(selectors.for_customer(user=agent, customer=customer))
    assert [a.customer_id for a in selectors.work_list(user=agent, kind="win_back")] == [customer.pk]


def test_the_customer_page_the_ticket_side_the_work_list_and_the_api(agent, api_for):
    t = receive(subject="Paket belum sampai", body="Paket saya belum sampai.", name="Budi")
    client = Client()
    client.force_login(agent)
    page = client.get(f"/customers/{t.customer_id}/").content.decode()
    assert 'id="next-actions"' in page and t.reference in page
    assert 'id="next-actions"' in client.get(f"/tickets/{t.pk}/").content.decode()
    work = client.get("/work/")
    assert work.status_code == 200 and t.reference in work.content.decode() and "Budi" in work.content.decode()
    assert t.reference not in client.get("/work/?kind=keep_promise").content.decode()
    api = api_for(agent)
    r = api.get(f"/customers/{t.customer_id}/next-actions")
    assert r.status_code == 200 and r.body[0]["kind"] == "answer_waiting" and r.body[0]["ticket_id"] == t.pk
    assert api.get("/customers/999999/next-actions").status_code == 404
    assert [a["ticket_id"] for a in api.get("/next-actions?kind=answer_waiting").body] == [t.pk]
    assert api.get("/next-actions?kind=nonsense").status_code == 422
