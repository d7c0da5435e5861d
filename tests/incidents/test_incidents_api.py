"""The incidents API: open, list, read, update (leads and admins), link a ticket
(idempotent, only tickets the caller can see); auth and 404s."""

from __future__ import annotations

import pytest

from tanggap.conversations.models import Message, TimelineEntry
from tanggap.customers.services import product_upsert
from tanggap.incidents.models import Incident, IncidentTicket
from tests.web.support import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(api):
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    r = api.post("/incidents", {"title": "Pasta gigi batch 42 cacat", "problem_type": "defective_batch",
                                "scope": {"products": ["PG-190"], "region": " Medan "},
                                "customer_status": {"id": "Kami menarik batch 42."}})
    assert r.status_code == 201, r.body
    return r.body


def test_open_list_read_and_update(api, incident, make_staff):
    assert incident["scope"] == {"product_ids": [incident["scope"]["product_ids"][0]], "region": "Medan"}
    assert incident["opened_by"] == "admin" and incident["tickets"] == [] and incident["alert_ids"] == []
    assert [i["id"] for i in api.get("/incidents").body] == [incident["id"]]
    assert api.get("/incidents?status=resolved").body == []
    assert api.get("/incidents?status=active").body[0]["ticket_count"] == 0

    r = api.patch(f"/incidents/{incident['id']}", {"status": "monitoring", "customer_status": {
        "ms": "Kami menarik balik kelompok 42.", "id": ""}, "expected_resolution_at": "2026-11-26T15:00:00+07:00"})
    assert r.status_code == 200, r.body
    assert r.body["status"] == "monitoring"
    assert r.body["customer_status"] == {"ms": "Kami menarik balik kelompok 42."}
    assert r.body["expected_resolution_at"].startswith("2026-11-26T08:00:00")
    r = api.patch(f"/incidents/{incident['id']}", {"status": "resolved"})
    assert r.body["resolved_at"] and r.body["window_end"] and r.body["expected_resolution_at"]
    r = api.patch(f"/incidents/{incident['id']}", {"status": "open", "expected_resolution_at": None})
    assert (r.body["resolved_at"], r.body["window_end"], r.body["expected_resolution_at"]) == (None, None, None)


def test_validation_errors(api, incident):
    bad = api.post("/incidents", {"title": "x", "scope": {"colour": "red"}})
    assert (bad.status_code, bad.body["error"]["code"]) == (422, "invalid_scope")
    bad = api.post("/incidents", {"title": "x", "problem_type": "meteor"})
    assert bad.body["error"]["code"] == "invalid_problem_type"
    bad = api.patch(f"/incidents/{incident['id']}", {"status": "closed"})
    assert (bad.status_code, bad.body["error"]["code"]) == (422, "invalid_status")
    bad = api.patch(f"/incidents/{incident['id']}", {"customer_status": {"fr": "non"}})
    assert bad.body["error"]["code"] == "invalid_language"


def test_linking_by_hand_is_idempotent_and_can_answer(api, incident):
    ticket = receive(email="siti@example.id", name="Siti")
    url = f"/incidents/{incident['id']}/tickets"
    r = api.post(url, {"ticket_id": ticket.pk})
    assert r.status_code == 201 and r.body["created"] is True and r.body["linked_by"] == "admin"
    assert r.body["answered"] is False
    again = api.post(url, {"ticket_id": ticket.pk, "answer": True})
    assert again.status_code == 200 and again.body["created"] is False and again.body["answered"] is True
    assert api.post(url, {"ticket_id": ticket.pk, "answer": True}).body["answered"] is True
    assert IncidentTicket.objects.filter(ticket=ticket).count() == 1
    assert TimelineEntry.objects.filter(ticket=ticket, kind="incident.linked").count() == 1
    sent = Message.objects.get(ticket=ticket, meta__purpose="incident_status")
    assert "Kami menarik batch 42." in sent.body_text and sent.automated
    detail = api.get(f"/incidents/{incident['id']}").body
    assert [t["ticket_id"] for t in detail["tickets"]] == [ticket.pk]


def test_auth_permissions_and_404s(api, api_for, incident, make_staff, team):
    anonymous = api_for(None)
    assert anonymous.get("/incidents").status_code == 401
    assert anonymous.post("/signals", {"source": "m", "external_id": "1", "name": "outage"}).status_code == 401
    assert anonymous.get("/alerts").status_code == 401
    assert api.get("/incidents/999999").status_code == 404
    assert api.get("/incidents/999999").body["error"]["code"] == "incident_not_found"
    assert api.patch("/incidents/999999", {"status": "resolved"}).status_code == 404
    ticket = receive(email="siti@example.id", name="Siti")
    assert api.post("/incidents/999999/tickets", {"ticket_id": ticket.pk}).status_code == 404
    assert api.post(f"/incidents/{incident['id']}/tickets", {"ticket_id": 999999}).status_code == 404

    # an agent sees incidents but does not change them, and links only tickets they can see
    from tanggap.accounts.services import team_get_or_create
    from tanggap.conversations.models import Ticket

    other_team = team_get_or_create(name="Gudang")
    Ticket.objects.filter(pk=ticket.pk).update(team=other_team)
    agent = api_for(make_staff("rudi", "agent", [team]))
    assert agent.get(f"/incidents/{incident['id']}").status_code == 200
    r = agent.patch(f"/incidents/{incident['id']}", {"status": "resolved"})
    assert (r.status_code, r.body["error"]["code"]) == (403, "not_a_manager")
    assert agent.post(f"/incidents/{incident['id']}/tickets", {"ticket_id": ticket.pk}).status_code == 404
    assert not IncidentTicket.objects.exists()
    assert agent.post("/incidents", {"title": "Aplikasi tidak bisa dibuka", "problem_type": "outage"}).status_code == 201
    assert Incident.objects.count() == 2
