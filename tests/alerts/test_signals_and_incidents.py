"""Streams, counting, detection, signals and the incidents they open or join; new tickets
linked to an incident and answered with its status."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from tanggap.alerts import services
from tanggap.alerts.models import Alert, Bucket, CountedHour, Signal, Stream
from tanggap.channels.normalized import InboundIdentity
from tanggap.conversations.models import Message, Ticket, TimelineEntry
from tanggap.customers.models import Customer
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert
from tanggap.incidents.models import Incident, IncidentTicket
from tanggap.incidents.services import incident_auto_link, incident_update
from tanggap.sla.models import SlaTarget
from tests.promises.support import receive

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
HOUR = dt.timedelta(hours=1)


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def customer(email: str, *, region: str = "", language: str = "id", name: str = "Budi") -> Customer:
    c = customer_find_or_create(identity=InboundIdentity(kind="email", value=email, name=name), language=language)[0]
    Customer.objects.filter(pk=c.pk).update(region=region, language=language)
    c.refresh_from_db()
    return c


def complaint(at: dt.datetime, *, email: str, region: str = "", category: str = "delivery", **kw) -> Ticket:
    """A customer (from ``region``) writes in at ``at``; the ticket is about ``category``."""
    if region:
        customer(email, region=region)
    with time_machine.travel(at, tick=False):
        result = receive(email=email, **kw)
    Ticket.objects.filter(pk=result.ticket.pk).update(category=category)
    return result.ticket


def detect_at(at: dt.datetime) -> list[Alert]:
    with time_machine.travel(at, tick=False):
        return services.detect_due()


# --- counting -----------------------------------------------------------------------------------

def test_counting_an_hour_twice_gives_the_same_buckets(db):
    hour = wib(2026, 11, 23, 10)
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    c = customer("a@example.id", region="Medan")
    order_create(external_id="INV-1", customer=c, lines=[LineInput(sku="PG-190")], courier="SiCepat",
                 region="Deli Serdang", status="shipped", placed_at=hour - dt.timedelta(days=2))
    complaint(hour + dt.timedelta(minutes=5), email="a@example.id")
    complaint(hour + dt.timedelta(minutes=20), email="b@example.id", region="Medan", category="billing")
    complaint(hour + dt.timedelta(minutes=70), email="c@example.id", region="Medan")  # the next hour
    # a second line in the same WhatsApp conversation counts once
    customer("d@example.id", region="Aceh")
    with time_machine.travel(hour + dt.timedelta(minutes=30), tick=False):
        receive(phone="+6281234567890", channel="whatsapp", name="Dewi")
    with time_machine.travel(hour + dt.timedelta(minutes=31), tick=False):
        receive(phone="+6281234567890", channel="whatsapp", name="Dewi", body="Halo?")

    first = services.count_inbound(hour=hour)
    rows = dict(Bucket.objects.filter(start=hour).values_list("stream__key", "count"))
    assert services.count_inbound(hour=hour) == first
    assert dict(Bucket.objects.filter(start=hour).values_list("stream__key", "count")) == rows == first
    # Dewi's WhatsApp ticket is not categorised yet ("other"): no category stream counts it.
    assert rows == {"region:Medan": 2, "category:delivery": 1, "category:billing": 1,
                    "channel:email": 2, "channel:whatsapp": 1, "product:PG-190": 1, "courier:SiCepat": 1,
                    "region:Deli Serdang": 1}
    assert CountedHour.objects.get(hour=hour).tickets == 3
    assert Stream.objects.get(key="courier:SiCepat").dimension == "courier"
    # new streams start at their dimension's default: products (many, thin) "low", others "normal"
    assert Stream.objects.get(key="product:PG-190").sensitivity == "low"
    assert Stream.objects.get(key="courier:SiCepat").sensitivity == "normal"
    # a signal in the hour counts in its own stream, and recounting still agrees
    services.signal_record(source="mon", external_id="s-1", name="payment_errors", severity="info",
                           occurred_at=hour + dt.timedelta(minutes=40))
    assert services.count_inbound(hour=hour)["signal:payment_errors"] == 1
    assert services.count_inbound(hour=hour)["signal:payment_errors"] == 1


# --- detection → incident -----------------------------------------------------------------------

REGIONS = ["Jakarta", "Surabaya", "Medan", "Bandung"]


@pytest.fixture
def quiet_baseline(db):
    """Nine days of delivery questions, one every three hours, from four regions in turn
    (Medan twice a day)."""
    start = wib(2026, 11, 14, 0, 10)
    n = 0
    t = start
    burst = wib(2026, 11, 23, 10)
    while t < burst - HOUR:
        complaint(t, email=f"base{n}@example.id", region=REGIONS[n % 4])
        n += 1
        t += 3 * HOUR
    return burst


def test_a_burst_from_medan_opens_one_incident_scoped_to_the_region_and_the_next_alert_joins_it(quiet_baseline):
    burst = quiet_baseline
    detect_at(burst + dt.timedelta(minutes=5))  # the baseline: nothing to report
    assert not Incident.objects.exists()
    for i in range(10):
        complaint(burst + dt.timedelta(minutes=3 * i + 1), email=f"medan{i}@example.id", region="Medan")
    alerts = detect_at(burst + HOUR + dt.timedelta(minutes=5))
    assert Incident.objects.count() == 1
    incident = Incident.objects.get()
    assert incident.scope == {"region": "Medan"}
    assert incident.title == "Lonjakan pesan dari wilayah Medan"
    assert incident.status == "open" and incident.window_start == burst
    assert incident.first_alert_at == burst + HOUR + dt.timedelta(minutes=5)
    region_alert = Alert.objects.get(stream__key="region:Medan")
    assert (region_alert.bucket, region_alert.observed, region_alert.incident_id) == (burst, 10, incident.pk)
    assert region_alert.expected < 1 and region_alert.p_value < 1e-4
    # the same tickets lifted category:delivery and channel:email: their alerts join, not open
    assert {a.incident_id for a in alerts} == {incident.pk}
    assert {a.stream.key for a in alerts} >= {"region:Medan", "category:delivery"}
    # the ten tickets behind the alert are linked, once each, and not answered (no status yet)
    links = list(incident.ticket_links.select_related("ticket__customer"))
    assert sorted(link.ticket.customer.region for link in links) == ["Medan"] * 10
    assert not any(link.answered for link in links)
    assert TimelineEntry.objects.filter(kind="incident.linked", data__incident_id=incident.pk).count() == 10

    # running again in the same hour does nothing new
    assert detect_at(burst + HOUR + dt.timedelta(minutes=10)) == []

    # the burst goes on: the next hour's alert joins the incident
    for i in range(8):
        complaint(burst + HOUR + dt.timedelta(minutes=5 * i + 1), email=f"medan-b{i}@example.id", region="Medan")
    detect_at(burst + 2 * HOUR + dt.timedelta(minutes=5))
    assert Incident.objects.count() == 1
    second = Alert.objects.get(stream__key="region:Medan", bucket=burst + HOUR)
    assert second.incident_id == incident.pk and second.opens is False
    incident.refresh_from_db()
    assert incident.first_alert_at == burst + HOUR + dt.timedelta(minutes=5)  # the first alert's, kept


def test_a_quiet_stream_with_sensitivity_low_needs_more(quiet_baseline):
    burst = quiet_baseline
    detect_at(burst + dt.timedelta(minutes=5))
    Stream.objects.filter(key__startswith="region:").update(sensitivity="0.0000000001")
    Stream.objects.filter(key__startswith="category:").update(active=False)
    Stream.objects.filter(key__startswith="channel:").update(active=False)
    for i in range(5):
        complaint(burst + dt.timedelta(minutes=3 * i + 1), email=f"medan{i}@example.id", region="Medan")
    detect_at(burst + HOUR + dt.timedelta(minutes=5))
    assert not Incident.objects.exists()
    state = Stream.objects.get(key="region:Medan").state
    assert state["config"]["p_threshold"] == 1e-10 and state["last_bucket"] is not None


def test_first_run_looks_back_two_weeks_and_later_runs_continue(db):
    t = wib(2026, 11, 1, 9, 30)
    complaint(t, email="old@example.id", region="Medan")
    detect_at(wib(2026, 11, 23, 10, 5))
    hours = CountedHour.objects.order_by("hour")
    assert hours.count() == services.BACKFILL_HOURS
    assert hours.last().hour == wib(2026, 11, 23, 9)
    detect_at(wib(2026, 11, 23, 12, 1))
    assert CountedHour.objects.order_by("-hour").first().hour == wib(2026, 11, 23, 11)


# --- signals ------------------------------------------------------------------------------------

def courier_delay(api, external_id="sc-1", **extra):
    payload = {"source": "courier-monitor", "external_id": external_id, "name": "courier_delay",
               "severity": "warning", "value": 212, "summary": "SiCepat hub Medan: 212 parcels late",
               "scope": {"courier": "SiCepat"}}
    payload.update(extra)
    return api.post("/signals", payload)


def test_a_courier_delay_signal_opens_an_incident_scoped_to_the_courier_once(api):
    r = courier_delay(api)
    assert r.status_code == 201, r.body
    assert r.body["created"] is True and r.body["alert_id"] and r.body["incident_id"]
    incident = Incident.objects.get(pk=r.body["incident_id"])
    assert incident.scope == {"courier": "SiCepat"}
    assert incident.title == "Keterlambatan kurir SiCepat (dari courier-monitor)"
    assert incident.problem_type == "courier_delay" and incident.first_alert_at is not None
    again = courier_delay(api)
    assert again.status_code == 200 and again.body["created"] is False
    assert (again.body["id"], again.body["incident_id"]) == (r.body["id"], incident.pk)
    assert Signal.objects.count() == 1 and Alert.objects.count() == 1
    # another report of the same courier joins the incident
    other = courier_delay(api, external_id="sc-2")
    assert other.status_code == 201 and other.body["incident_id"] == incident.pk
    assert Incident.objects.count() == 1 and incident.alerts.count() == 2
    # an info signal is recorded but raises nothing
    info = courier_delay(api, external_id="sc-3", severity="info", scope={"courier": "JNE"})
    assert info.status_code == 201 and info.body["alert_id"] is None and Incident.objects.count() == 1
    listed = api.get("/alerts").body
    assert [a["incident_id"] for a in listed] == [incident.pk, incident.pk]
    assert api.get(f"/alerts?incident_id={incident.pk}&limit=1").body[0]["id"] == other.body["alert_id"]


def test_signal_validation(api):
    assert courier_delay(api, name="Courier Delay!").body["error"]["code"] == "invalid_name"
    assert courier_delay(api, severity="panic").body["error"]["code"] == "invalid_severity"
    assert courier_delay(api, scope={"planet": "Mars"}).body["error"]["code"] == "invalid_scope"
    assert courier_delay(api, scope={"products": ["NOPE"]}).body["error"]["code"] == "unknown_product"
    r = courier_delay(api, occurred_at="2026-11-24T10:00:00")
    assert (r.status_code, r.body["error"]["code"]) == (422, "naive_datetime")
    assert not Signal.objects.exists()


# --- new tickets matching an incident -----------------------------------------------------------

@pytest.fixture
def sicepat_incident(api):
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    with time_machine.travel(wib(2026, 11, 24, 9, 0), tick=False):
        incident = Incident.objects.get(pk=courier_delay(api).body["incident_id"])
        incident_update(incident=incident, customer_status={
            "id": "Paket SiCepat di hub Medan terlambat sekitar dua hari.",
            "ms": "Bungkusan SiCepat di hab Medan lewat kira-kira dua hari.",
            "en": "SiCepat parcels at the Medan hub are about two days late."},
            expected_resolution_at=wib(2026, 11, 26, 15, 0))
    return incident


def shopper(email, *, language, courier, status="shipped", name="Aminah", country=""):
    c = customer(email, language=language, name=name)
    Customer.objects.filter(pk=c.pk).update(country=country)
    order_create(external_id=f"INV-{email}", customer=c, lines=[LineInput(sku="PG-190")], courier=courier,
                 status=status, placed_at=wib(2026, 11, 20, 12, 0), region="Medan")
    return c


def test_a_new_ticket_about_an_undelivered_sicepat_order_is_linked_and_answered_in_malay(
        sicepat_incident, django_capture_on_commit_callbacks):
    shopper("aminah@example.my", language="ms", courier="SiCepat", country="MY")
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(wib(2026, 11, 24, 10, 0), tick=False):
            ticket = receive(email="aminah@example.my", name="Aminah", language="ms",
                             body="Bungkusan saya belum sampai.").ticket
    link = IncidentTicket.objects.get(ticket=ticket)
    assert (link.incident_id, link.answered, link.linked_by) == (sicepat_incident.pk, True, None)
    out = Message.objects.get(ticket=ticket, direction="out", meta__purpose="incident_status")
    assert (out.automated, out.author) == (True, None)
    assert out.body_text == (
        f"Hai Aminah, terima kasih kerana menghubungi kami ({ticket.reference}). Ketika ini terdapat gangguan yang "
        "berkemungkinan besar berkaitan dengan mesej anda, dan pasukan kami sedang menguruskannya. Bungkusan SiCepat "
        "di hab Medan lewat kira-kira dua hari. Dijangka pulih seperti biasa: Khamis, 26 November, jam 16.00 MYT. "
        "Petugas kami tetap akan membalas mesej anda.")
    row = TimelineEntry.objects.get(ticket=ticket, kind="incident.linked")
    assert row.data == {"incident_id": sicepat_incident.pk, "title": sicepat_incident.title, "automatic": True}
    # an automated answer is no first response: the clock keeps running for a person's answer
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    first = SlaTarget.objects.get(ticket=ticket, kind="first_response")
    assert (first.status, first.met_at) == ("running", None)

    # running the link again (a repeated event) changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        incident_auto_link(ticket_id=ticket.pk)
    assert IncidentTicket.objects.filter(ticket=ticket).count() == 1
    assert TimelineEntry.objects.filter(ticket=ticket, kind="incident.linked").count() == 1
    assert Message.objects.filter(ticket=ticket, meta__purpose="incident_status").count() == 1


def test_tickets_outside_the_scope_or_window_are_not_linked(sicepat_incident, django_capture_on_commit_callbacks):
    shopper("jne@example.id", language="id", courier="JNE")
    shopper("delivered@example.id", language="id", courier="SiCepat", status="delivered")
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(wib(2026, 11, 24, 10, 0), tick=False):
            jne = receive(email="jne@example.id").ticket
            nobody = receive(email="new@example.id").ticket
        # delivered more than two weeks after ordering is not "recent" any more
        with time_machine.travel(wib(2026, 12, 30, 10, 0), tick=False):
            late = receive(email="delivered@example.id").ticket
    assert not IncidentTicket.objects.filter(ticket__in=[jne, nobody, late]).exists()
    assert not Message.objects.filter(meta__purpose="incident_status").exists()
    # a resolved incident links nothing
    incident_update(incident=sicepat_incident, status="resolved")
    shopper("after@example.id", language="id", courier="SiCepat")
    with django_capture_on_commit_callbacks(execute=True):
        receive(email="after@example.id")
    assert not IncidentTicket.objects.exists()


def test_a_matching_ticket_in_indonesian_and_without_status_text(api, django_capture_on_commit_callbacks):
    product_upsert(sku="PG-190", name="Pasta Gigi Herbal 190g", price=18500)
    incident = Incident.objects.get(pk=courier_delay(api).body["incident_id"])
    shopper("budi@example.id", language="id", courier="sicepat", name="Budi")  # case does not matter
    with django_capture_on_commit_callbacks(execute=True):
        ticket = receive(email="budi@example.id", name="Budi").ticket
    out = Message.objects.get(ticket=ticket, meta__purpose="incident_status")
    assert out.body_text == (
        f"Halo Budi, terima kasih telah menghubungi kami ({ticket.reference}). Saat ini ada gangguan yang "
        "kemungkinan besar berkaitan dengan pesan Anda, dan tim kami sedang menanganinya. Petugas kami tetap "
        "akan membalas pesan Anda.")
    assert IncidentTicket.objects.get(ticket=ticket).incident_id == incident.pk


def test_default_sensitivity_per_dimension_from_settings(db, settings):
    settings.TANGGAP_ALERT_SENSITIVITY = {"product": "high", "region": "0.001", "channel": "nonsense"}
    assert services.default_sensitivity("product") == "high"
    assert services.default_sensitivity("region") == "0.001"
    assert services.default_sensitivity("channel") == "normal"  # not a sensitivity: the default
    assert services.default_sensitivity("courier") == "normal"
    streams = services.streams_for({("product", "PG-190"), ("region", "Medan")})
    assert streams["product:PG-190"].sensitivity == "high"
    assert services.stream_config(streams["region:Medan"]).p_threshold == 0.001
