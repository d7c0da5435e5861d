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


def test_the_detail_shows_the_alerts_and_admins_edit_stream_sensitivity(client, admin_user):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from tanggap.alerts import services as alerts
    from tanggap.alerts.models import Alert, Stream

    signal, _ = alerts.signal_record(source="courier-monitor", external_id="x-1", name="courier_delay",
                                     summary="212 paket terlambat", scope={"courier": "SiCepat"})
    incident = signal.alert.incident
    stream = Stream.objects.create(key="region:Medan", dimension="region", value="Medan")
    hour = alerts.hour_floor(incident.opened_at)
    alerts.alert_raise(alert=Alert.objects.create(stream=stream, bucket=hour, observed=12, expected=2.1,
                                                  p_value=3.2e-7), incident=incident)
    client.force_login(admin_user)
    body = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "region:Medan" in body and "12 tiket padahal yang diperkirakan 2,1 (p = 3.2e-07)" in body
    assert "courier-monitor: courier_delay" in body and "212 paket terlambat" in body

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    assert client.get("/admin/alerts/stream/").status_code == 200
    stream.sensitivity = "very"
    with pytest.raises(ValidationError):
        stream.full_clean()
    stream.sensitivity = "0.001"
    stream.full_clean()
    assert alerts.stream_config(stream).p_threshold == 0.001
    assert dt.timedelta(hours=1) == alerts.HOUR
