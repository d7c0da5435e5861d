"""The calls API end to end (staff tokens): an agent logs a call, lists calls with filters and
keyset pages, sees only calls on tickets they may see; and calls count as contacts like every
other message (the customer's journey, the proactive share of contacts)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.accounts.services import team_get_or_create
from tanggap.calls.models import Call
from tanggap.conversations.services import ticket_update
from tanggap.journeys.selectors import customer_journey
from tests.calls.conftest import WIB, Pbx, event, receive_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(db):
    return receive_message(external_id="sms-1", phone="0812-3456-7890")


def test_an_agent_logs_a_call_over_the_api(api_for, agent, known):
    client = api_for(agent)
    response = client.post("/calls", {"customer_id": known.ticket.customer_id, "direction": "inbound",
                                      "outcome": "answered", "duration_seconds": 130, "notes": "Tanya resi",
                                      "ticket_id": known.ticket.pk})
    assert response.status_code == 201, response.body
    body = response.body
    assert (body["direction"], body["number"], body["ticket_id"], body["agent"], body["source"]) == (
        "inbound", "+6281234567890", known.ticket.pk, "sari", "api")
    assert body["state"] == "ended" and body["message_id"] is not None


def test_a_new_problem_over_the_api_opens_a_ticket(api_for, agent, known):
    response = api_for(agent).post("/calls", {"customer_id": known.ticket.customer_id, "direction": "outbound",
                                              "outcome": "answered", "duration_seconds": 60, "new_ticket": True,
                                              "notes": "Tawarkan penukaran barang"})
    assert response.status_code == 201
    ticket_id = response.body["ticket_id"]
    assert ticket_id != known.ticket.pk
    ticket = api_for(agent).get(f"/tickets/{ticket_id}").body
    assert ticket["subject"] == "Tawarkan penukaran barang" and ticket["initiated_by"] == "company"


@pytest.mark.parametrize("change, status, code", [
    ({"ticket_id": None}, 422, "no_ticket"),
    ({"outcome": "missed"}, 422, "duration_not_connected"),
    ({"duration_seconds": 0}, 422, "missing_duration"),
    ({"number": "12"}, 422, "bad_phone"),
    ({"new_ticket": True, "notes": ""}, 422, "ticket_and_new_ticket"),
    ({"ticket_id": None, "new_ticket": True, "notes": " "}, 422, "new_ticket_needs_notes"),
    ({"started_at": "2030-01-01T00:00:00+07:00"}, 422, "future_call"),
    ({"direction": "sideways"}, 422, "invalid_input"),
    ({"customer_id": 999999}, 404, "customer_not_found"),
    ({"ticket_id": 999999}, 404, "ticket_not_found"),
])
def test_invalid_calls_are_refused_with_a_code(api, known, change, status, code):
    payload = {"customer_id": known.ticket.customer_id, "direction": "inbound", "outcome": "answered",
               "duration_seconds": 30, "ticket_id": known.ticket.pk, **change}
    response = api.post("/calls", payload)
    assert (response.status_code, response.body["error"]["code"]) == (status, code)
    assert not Call.objects.exists()


def test_a_ticket_of_another_customer_is_refused(api, known):
    other = receive_message(external_id="sms-2", phone="0813-0000-1111", name="Budi")
    response = api.post("/calls", {"customer_id": known.ticket.customer_id, "direction": "inbound",
                                   "outcome": "missed", "ticket_id": other.ticket.pk})
    assert (response.status_code, response.body["error"]["code"]) == (409, "ticket_of_other_customer")


def test_agents_see_only_calls_on_tickets_they_may_see(api_for, agent, admin_user, known):
    other = receive_message(external_id="sms-2", phone="0813-0000-1111", name="Budi")
    ticket_update(ticket=other.ticket, actor=None, team=team_get_or_create(name="Pembayaran"))
    admin = api_for(admin_user)
    for received in (known, other):
        assert admin.post("/calls", {"customer_id": received.ticket.customer_id, "direction": "inbound",
                                     "outcome": "missed", "ticket_id": received.ticket.pk}).status_code == 201
    seen = api_for(agent).get("/calls").body["items"]
    assert [c["ticket_id"] for c in seen] == [known.ticket.pk]
    assert len(admin.get("/calls").body["items"]) == 2
    assert api_for(agent).post("/calls", {"customer_id": other.ticket.customer_id, "direction": "inbound",
                                          "outcome": "missed", "ticket_id": other.ticket.pk}).status_code == 404


def test_list_filters_and_keyset_pages(api, known):
    other = receive_message(external_id="sms-2", phone="0813-0000-1111", name="Budi")
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB)
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=WIB), tick=False):
        for i in range(5):
            received = known if i % 2 == 0 else other
            api.post("/calls", {"customer_id": received.ticket.customer_id,
                                "direction": "inbound" if i < 3 else "outbound", "outcome": "answered",
                                "duration_seconds": 60, "ticket_id": received.ticket.pk,
                                "started_at": (base + dt.timedelta(days=i)).isoformat()})
    everything = api.get("/calls").body["items"]
    assert [c["started_at"][:10] for c in everything] == ["2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21",
                                                          "2026-11-20"]
    first = api.get("/calls?limit=2").body
    second = api.get(f"/calls?limit=2&cursor={first['next_cursor']}").body
    third = api.get(f"/calls?limit=2&cursor={second['next_cursor']}").body
    assert [c["id"] for c in first["items"] + second["items"] + third["items"]] == [c["id"] for c in everything]
    assert third["next_cursor"] is None
    assert len(api.get(f"/calls?customer_id={known.ticket.customer_id}").body["items"]) == 3
    assert len(api.get(f"/calls?ticket_id={other.ticket.pk}").body["items"]) == 2
    assert len(api.get("/calls?direction=outbound").body["items"]) == 2
    assert len(api.get("/calls?since=2026-11-23T00:00:00%2B07:00").body["items"]) == 2
    assert api.get("/calls?since=2026-11-23T00:00:00").body["error"]["code"] == "naive_datetime"
    assert api.get("/calls?cursor=rusak").body["error"]["code"] == "bad_cursor"


def test_list_queries_do_not_grow_with_the_page(api, known, django_assert_max_num_queries):
    for _ in range(10):
        api.post("/calls", {"customer_id": known.ticket.customer_id, "direction": "inbound", "outcome": "missed",
                            "ticket_id": known.ticket.pk})
    with django_assert_max_num_queries(6):
        assert len(api.get("/calls?limit=10").body["items"]) == 10


def test_calls_count_as_customer_or_company_initiated_contacts(agent, admin_user, known, phone_channel):
    """Inbound call = customer-initiated contact, outbound = company-initiated, on the customer's
    journey and in the tickets the proactive measures count."""
    from tanggap.calls.services import call_log
    from tanggap.proactive.measures import weekly_measures

    customer = known.ticket.customer
    call_log(actor=agent, customer=customer, direction="out", number="0812-3456-7890", outcome="answered",
             duration_seconds=90, ticket=known.ticket)
    call_log(actor=agent, customer=customer, direction="out", number="0812-3456-7890", outcome="answered",
             duration_seconds=90, new_ticket=True, notes="Konfirmasi alamat baru")
    Pbx().post(event("ended", "pbx-55", caller="6281234567890", outcome="missed"))
    Pbx().post(event("ended", "pbx-56", caller="6281234567890", outcome="answered", duration=40))
    journey = customer_journey(customer=customer, user=admin_user, limit=20).items
    calls = [(i.kind, i.channel, i.initiated_by) for i in journey if i.channel == "phone" and i.kind.startswith("message")]
    assert calls == [
        ("message.out", "phone", "customer"), ("message.in", "phone", "customer"),  # answered: the call and our answer
        ("message.in", "phone", "customer"),  # missed: the customer's contact, still waiting
        ("message.out", "phone", "company"), ("message.out", "phone", "company"),  # the agent's outbound calls
    ]
    week = weekly_measures(weeks=1)[-1]
    assert (week.contacts, week.company_initiated) == (2, 1)  # the SMS ticket and the outbound call's new ticket


def test_calls_follow_a_customer_merge(api, agent, known):
    from tanggap.calls.services import call_log
    from tanggap.customers.services import customer_merge

    duplicate = receive_message(external_id="mail-1", email="rina@example.id").ticket.customer
    call_log(actor=agent, customer=duplicate, direction="in", number="0813-2222-3333", outcome="missed",
             new_ticket=True, notes="Tanya ongkir")
    survivor = customer_merge(source=duplicate, target=known.ticket.customer, actor=agent)
    assert list(Call.objects.values_list("customer_id", flat=True)) == [survivor.pk]
    assert len(api.get(f"/calls?customer_id={survivor.pk}").body["items"]) == 1
