"""The weekly measures on a small known dataset, and the manager screens."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.incidents.models import Incident, Notice
from tanggap.incidents.services import incident_link_ticket
from tanggap.proactive.charts import bar_chart
from tanggap.proactive.measures import weekly_measures
from tanggap.proactive.services import incident_start_from_playbook, notices_send
from tests.proactive.conftest import write_in

MON = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # Monday 30 November 2026, 09:00 WIB (ISO week 49)


def test_weekly_measures_on_a_known_dataset(make_customer, make_order, courier_playbook):
    a, b, c, d = (make_customer(email=f"{n}@example.id", name=n) for n in "abcd")
    for customer in (a, b, c, d):
        make_order(customer)
    with time_machine.travel(MON, tick=False) as clock:
        # Week 49: b complains at 09:00; the incident is started at 09:30 from an alert raised at 09:20.
        early = write_in(b).ticket
        clock.move_to(MON + dt.timedelta(minutes=30))
        result = incident_start_from_playbook(playbook=courier_playbook, title="JNT terlambat", actor=None,
                                              scope={"courier": "JNT"},
                                              expected_resolution_at=MON + dt.timedelta(days=2),
                                              first_alert_at=MON + dt.timedelta(minutes=20))
        incident = result.incident
        incident_link_ticket(incident=incident, ticket=early)
        # c writes at 09:31, before the sender's run; a and d are told at 09:32; d then replies.
        clock.move_to(MON + dt.timedelta(minutes=31))
        write_in(c)
        clock.move_to(MON + dt.timedelta(minutes=32))
        assert notices_send()["sent"] == 2
        clock.move_to(MON + dt.timedelta(hours=3))
        write_in(d, in_reply_to=Notice.objects.get(incident=incident, customer=d).message.message_id_header)
        # Week 50: an incident caught before anyone complained (alert, nobody wrote).
        clock.move_to(MON + dt.timedelta(days=7, hours=1))
        Incident.objects.create(title="Gateway", problem_type="payment_failure", first_alert_at=MON,
                                scope={"courier": "X"})
        rows = weekly_measures(weeks=3, until=MON + dt.timedelta(days=8))
    w48, w49, w50 = rows
    assert [w.label for w in rows] == ["2026-W48", "2026-W49", "2026-W50"]
    assert w48.contacts == 0 and w48.proactive_share is None and w48.incidents == 0
    # Tickets in week 49: b's and c's (customer), a's and d's notices (company); d's reply is no new contact.
    assert (w49.contacts, w49.company_initiated, w49.proactive_share) == (4, 2, 0.5)
    assert w49.incidents == 1
    assert w49.delays == [20.0] and w49.median_delay == 20.0 and w49.caught_first == 0  # alert 20 min after b wrote
    # Affected: a, b, c, d; b (linked before the send) and c wrote first: skipped, still counted as affected.
    assert (w49.affected, w49.notified_before) == (4, 2)
    assert w50.incidents == 1 and w50.caught_first == 1 and w50.delays == [] and w50.contacts == 0


def test_detection_delay_is_negative_when_caught_before_the_first_complaint(make_customer, make_order,
                                                                           courier_playbook):
    c = make_customer(email="late@example.id")
    make_order(c)
    with time_machine.travel(MON, tick=False) as clock:
        incident = incident_start_from_playbook(playbook=courier_playbook, title="JNT", actor=None,
                                                scope={"courier": "JNT"}, first_alert_at=MON).incident
        clock.move_to(MON + dt.timedelta(minutes=45))
        ticket = write_in(c).ticket
        incident_link_ticket(incident=incident, ticket=ticket)
        week = weekly_measures(weeks=1, until=MON)[0]
    assert week.delays == [-45.0] and week.caught_first == 1


def test_bar_chart_geometry():
    chart = bar_chart([0.5, None, 1.0], ["W1", "W2", "W3"], percent=True)
    assert [b.text for b in chart.bars] == ["50%", "–", "100%"]
    assert chart.bars[1].empty and chart.bars[2].height == pytest.approx(2 * chart.bars[0].height, abs=0.2)
    neg = bar_chart([-30.0, 10.0], ["a", "b"])
    assert neg.bars[0].negative and neg.bars[0].y == neg.zero_y and neg.bars[1].y < neg.zero_y


@pytest.fixture
def lead_client(client, make_staff, team):
    client.force_login(make_staff("lead", "lead", [team]))
    return client


def test_start_from_playbook_screen_and_incident_page(lead_client, make_customer, make_order, courier_playbook):
    make_order(make_customer(email="rina@example.id", name="Rina"))
    page = lead_client.get("/proactive/playbooks/")
    assert page.status_code == 200 and courier_playbook.name in page.content.decode()
    response = lead_client.post("/proactive/playbooks/", {
        "playbook": courier_playbook.pk, "title": "JNT terlambat", "courier": "JNT", "region": "",
        "products": "", "expected_resolution_at": "2099-12-03T17:00"})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proactive/incidents/{incident.pk}/"
    assert incident.tasks.count() == courier_playbook.steps.count() and incident.notices.count() == 1
    body = lead_client.get(response["Location"]).content.decode()
    assert "JNT terlambat" in body and courier_playbook.steps.first().title in body
    task = incident.tasks.first()
    assert lead_client.post(f"/proactive/incidents/{incident.pk}/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    refused = lead_client.post("/proactive/playbooks/", {"playbook": courier_playbook.pk, "title": "Kosong"})
    assert refused.status_code == 400 and Incident.objects.count() == 1


def test_measures_screen_in_each_language(lead_client):
    for language, heading in (("id", "Ukuran layanan proaktif"), ("ms", "Ukuran penjagaan proaktif"),
                              ("en", "Proactive care measures")):
        lead_client.cookies["django_language"] = language
        page = lead_client.get("/proactive/measures/", headers={"Accept-Language": language})
        assert page.status_code == 200
        body = page.content.decode()
        assert heading in body and body.count("<svg") == 4


def test_screens_are_for_managers(client, agent):
    client.force_login(agent)
    assert client.get("/proactive/measures/").status_code == 403
    assert client.get("/proactive/playbooks/").status_code == 403
