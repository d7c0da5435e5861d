"""Incident screens in the console and the {% incident_panel ticket %} tag."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from tanggap.incidents.models import Incident, IncidentTicket
from tanggap.incidents.services import incident_link_ticket, incident_open
from tests.web.support import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(db):
    return incident_open(title="Keterlambatan kurir SiCepat", problem_type="courier_delay",
                         scope={"courier": "SiCepat"},
                         customer_status={"id": "Paket SiCepat terlambat dua hari.", "en": "SiCepat is two days late."})


def test_list_and_detail_for_an_agent(client, agent, incident):
    client.force_login(agent)
    page = client.get("/incidents/").content.decode()
    assert "Keterlambatan kurir SiCepat" in page and f'href="/incidents/{incident.pk}/"' in page
    detail = client.get(f"/incidents/{incident.pk}/")
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "SiCepat" in body and "Paket SiCepat terlambat dua hari." in body
    assert 'action="/incidents/%d/edit/"' % incident.pk not in body  # agents do not edit
    assert "Yang disampaikan ke pelanggan" in body and "Tiket tertaut" in body  # the console speaks Indonesian
    assert client.get("/incidents/999999/").status_code == 404
    client.logout()
    assert client.get("/incidents/").status_code == 302  # to the login page


def test_a_lead_edits_status_and_wording(client, make_staff, incident):
    client.force_login(make_staff("lina", "lead"))
    r = client.post(f"/incidents/{incident.pk}/edit/", {
        "status": "monitoring", "status_id": "Sudah normal kembali sebagian.", "status_ms": "Bungkusan mula bergerak.",
        "status_en": "", "expected_resolution_at": "2026-11-26T15:00", "courier": "SiCepat", "region": "Medan"})
    assert r.status_code == 302, r.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.status == "monitoring" and incident.scope == {"courier": "SiCepat", "region": "Medan"}
    assert incident.customer_status == {"id": "Sudah normal kembali sebagian.", "ms": "Bungkusan mula bergerak."}
    assert incident.expected_resolution_at.isoformat() == "2026-11-26T08:00:00+00:00"
    bad = client.post(f"/incidents/{incident.pk}/edit/", {"status": "open", "products": "NOPE-1"})
    assert bad.status_code == 422 and "NOPE-1" in bad.content.decode()


def test_an_agent_cannot_edit_but_can_link_and_open(client, agent, incident):
    client.force_login(agent)
    assert client.post(f"/incidents/{incident.pk}/edit/", {"status": "resolved"}).status_code == 403
    ticket = receive(email="siti@example.id", name="Siti")
    r = client.post(f"/incidents/{incident.pk}/link/", {"ticket": ticket.reference})
    assert r.status_code == 302
    assert IncidentTicket.objects.get(ticket=ticket).linked_by == agent
    r = client.post(f"/incidents/{incident.pk}/link/", {"ticket": "TG-999999"})
    assert r.status_code == 422 and "field-invalid" in r.content.decode()
    r = client.post("/incidents/new/", {"title": "Pembayaran gagal", "problem_type": "payment_failure",
                                        "courier": "", "region": "", "products": "", "category": "billing",
                                        "channel": ""})
    assert r.status_code == 302
    assert Incident.objects.get(title="Pembayaran gagal").scope == {"category": "billing"}


def test_the_panel_tag_shows_linked_incidents_only(agent, incident):
    ticket = receive(email="siti@example.id", name="Siti")
    template = Template("{% load incident_tags %}{% incident_panel ticket %}")
    assert "incident-panel" not in template.render(Context({"ticket": ticket}))
    incident_link_ticket(incident=incident, ticket=ticket, automatic=True)
    html = template.render(Context({"ticket": ticket}))
    assert 'id="incident-panel"' in html and f'href="/incidents/{incident.pk}/"' in html
    assert "Keterlambatan kurir SiCepat" in html and "Paket SiCepat terlambat dua hari." in html
