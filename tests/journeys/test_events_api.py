"""POST /events: one event or a batch, idempotent by (source, external_id); the customer found
like channel intake finds a sender; order events move their order; journey.event after commit."""

import pytest

from tanggap.conversations.models import Ticket
from tanggap.customers.models import Customer, Order
from tanggap.events import names
from tanggap.events.bus import subscribe
from tanggap.journeys.models import JourneyEvent

pytestmark = pytest.mark.django_db


def visit(external_id="ga-1", **extra):
    event = {"kind": "site_visit", "external_id": external_id, "source": "analytics", "channel": "web",
             "occurred_at": "2026-11-20T10:00:00+07:00", "customer": {"email": "Rina@Example.id", "name": "Rina"},
             "summary": "Halaman pasta gigi herbal", "data": {"url": "/p/pg-190"}}
    event.update(extra)
    return event


def test_an_event_is_stored_once_per_source_and_external_id(api):
    first = api.post("/events", visit())
    assert (first.status_code, first.body["created"], first.body["kind"]) == (201, True, "site_visit")
    assert first.body["occurred_at"] == "2026-11-20T03:00:00Z"
    assert first.body["data"] == {"url": "/p/pg-190"}
    again = api.post("/events", visit(summary="changed"))
    assert (again.status_code, again.body["created"], again.body["id"]) == (200, False, first.body["id"])
    assert again.body["summary"] == "Halaman pasta gigi herbal"
    other_source = api.post("/events", visit(source="shop"))
    assert (other_source.status_code, other_source.body["created"]) == (201, True)
    assert JourneyEvent.objects.count() == 2


def test_a_batch_stores_each_event_and_says_which_were_new(api):
    api.post("/events", visit("ga-1"))
    r = api.post("/events", {"events": [visit("ga-1"), visit("ga-2", kind="search", summary="pasta gigi"),
                                        visit("ga-3", kind="ad_seen")]})
    assert r.status_code == 201
    assert r.body["created"] == 2
    assert [(e["external_id"], e["created"]) for e in r.body["events"]] == [("ga-1", False), ("ga-2", True), ("ga-3", True)]
    assert len({e["customer_id"] for e in r.body["events"]}) == 1
    repeat = api.post("/events", {"events": [visit("ga-2"), visit("ga-3")]})
    assert (repeat.status_code, repeat.body["created"]) == (200, 0)


def test_a_batch_with_one_bad_event_stores_nothing_and_names_its_position(api):
    r = api.post("/events", {"events": [visit("ga-1"), visit("ga-2", kind="teleported")]})
    assert (r.status_code, r.body["error"]["code"]) == (422, "unknown_kind")
    assert r.body["error"]["message"].startswith("events[1]: Unknown event kind 'teleported'")
    assert JourneyEvent.objects.count() == 0
    assert Customer.objects.count() == 0  # the customer made for events[0] was rolled back too


def test_a_batch_over_1000_events_is_refused(api):
    r = api.post("/events", {"events": [visit(f"ga-{i}") for i in range(1001)]})
    assert (r.status_code, r.body["error"]["code"]) == (413, "batch_too_large")
    assert JourneyEvent.objects.count() == 0


@pytest.mark.parametrize(("change", "code"), [
    ({"kind": "teleported"}, "unknown_kind"),
    ({"customer": None}, "missing_customer"),
    ({"customer": {"name": "Tanpa kontak"}}, "missing_customer"),
    ({"customer": None, "customer_id": 999999}, "customer_not_found"),
    ({"kind": "order_shipped", "order": "INV/TIDAK-ADA"}, "unknown_order"),
    ({"kind": "order_shipped"}, "order_required"),
    ({"product": "NOPE"}, "unknown_product"),
    ({"occurred_at": "2026-11-20T10:00:00"}, "naive_datetime"),
    ({"customer": {"phone": "nomor saya"}}, "bad_phone"),
    ({"customer": {"email": "bukan-email"}}, "invalid_email"),
])
def test_bad_events_are_422_with_a_stable_code(api, change, code):
    r = api.post("/events", visit(**change))
    assert (r.status_code, r.body["error"]["code"]) == (422, code)
    assert JourneyEvent.objects.count() == 0


def test_missing_required_fields_are_invalid_input(api):
    r = api.post("/events", {"kind": "search"})
    assert (r.status_code, r.body["error"]["code"]) == (422, "invalid_input")
    assert "external_id" in r.body["error"]["message"]


def test_events_need_a_token(api_for):
    r = api_for(None).post("/events", visit())
    assert (r.status_code, r.body["error"]["code"]) == (401, "unauthorized")


def test_the_customer_is_found_by_email_or_phone_exactly_like_intake(api, inbound_message):
    by_mail = Ticket.objects.get(pk=api.post("/messages", inbound_message(email="dewi@example.id")).body["ticket_id"])
    by_wa = Ticket.objects.get(pk=api.post("/messages", {"channel": "whatsapp", "external_id": "wa1",
                                                         "from": {"phone": "6281211112222"}, "body": "Halo"}).body["ticket_id"])
    e1 = api.post("/events", visit("e1", customer={"email": " DEWI@example.ID "})).body
    e2 = api.post("/events", visit("e2", customer={"phone": "0812-1111-2222"})).body
    e3 = api.post("/events", visit("e3", customer={"handle": "dewi.ig"}, channel="instagram")).body
    assert e1["customer_id"] == by_mail.customer_id
    assert e2["customer_id"] == by_wa.customer_id
    ig = Customer.objects.get(pk=e3["customer_id"]).identities.get()
    assert (ig.kind, ig.namespace, ig.value) == ("handle", "instagram", "dewi.ig")
    # ... and an Instagram message from that handle lands on the same customer
    dm = api.post("/messages", {"channel": "instagram", "external_id": "ig1", "from": {"handle": "dewi.ig"}, "body": "Hai"})
    assert Ticket.objects.get(pk=dm.body["ticket_id"]).customer_id == e3["customer_id"]


def test_an_event_for_a_merged_customer_lands_on_the_survivor_and_merges_move_events(api, rina):
    other = api.post("/events", visit("e1", customer={"phone": "+62 812 3333 4444"})).body["customer_id"]
    api.post(f"/customers/{rina.pk}/merge", {"source_id": other})
    assert JourneyEvent.objects.get().customer_id == rina.pk
    later = api.post("/events", visit("e2", customer_id=other, customer=None)).body
    assert later["customer_id"] == rina.pk


def test_an_order_event_takes_the_orders_customer_and_refuses_another(api, order, rina):
    r = api.post("/events", visit("s1", kind="order_shipped", order=order.external_id, customer=None))
    assert (r.status_code, r.body["customer_id"], r.body["order"]) == (201, rina.pk, "INV/2026/0001")
    r = api.post("/events", visit("s2", kind="order_shipped", order=order.external_id, customer={"email": "lain@x.id"}))
    assert (r.status_code, r.body["error"]["code"]) == (422, "order_customer_mismatch")


def order_event(api, kind, at, n, order):
    return api.post("/events", {"kind": kind, "external_id": f"{kind}-{n}", "source": "shop", "order": order.external_id,
                                "occurred_at": at})


def test_order_events_move_the_order_forward_and_set_delivered_at(api, order):
    assert order_event(api, "order_paid", "2026-11-01T09:00:00+07:00", 1, order).status_code == 201
    order.refresh_from_db()
    assert (order.status, order.delivered_at) == ("paid", None)
    order_event(api, "order_shipped", "2026-11-02T09:00:00+07:00", 1, order)
    order_event(api, "order_delivered", "2026-11-04T15:30:00+07:00", 1, order)
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.delivered_at.isoformat() == "2026-11-04T08:30:00+00:00"


def test_late_order_events_never_move_the_order_back_in_time(api, order):
    order_event(api, "order_delivered", "2026-11-04T15:30:00+07:00", 1, order)
    order_event(api, "order_shipped", "2026-11-02T09:00:00+07:00", 1, order)  # arrives late
    order_event(api, "order_delivered", "2026-11-03T10:00:00+07:00", 2, order)  # an older delivery report
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.delivered_at.isoformat() == "2026-11-04T08:30:00+00:00"
    order_event(api, "order_returned", "2026-11-06T10:00:00+07:00", 1, order)
    order.refresh_from_db()
    assert (order.status, order.delivered_at.isoformat()) == ("returned", "2026-11-04T08:30:00+00:00")


def test_an_event_never_moves_an_order_imported_further_along(api, rina):
    from tanggap.customers.services import LineInput, order_create, product_upsert

    product_upsert(sku="SK-1", name="Sikat Gigi")
    shipped = order_create(external_id="INV-2", customer=rina, lines=[LineInput(sku="SK-1")], status="shipped")[0]
    order_event(api, "order_paid", "2026-11-01T09:00:00+07:00", 9, shipped)
    assert Order.objects.get(pk=shipped.pk).status == "shipped"
    order_event(api, "order_delivered", "2026-11-03T09:00:00+07:00", 9, shipped)
    assert Order.objects.get(pk=shipped.pk).status == "delivered"


def test_a_stored_event_publishes_journey_event_after_commit_and_a_repeat_does_not(api, order, rina,
                                                                                   django_capture_on_commit_callbacks):
    seen = []
    handler = subscribe(names.JOURNEY_EVENT)(lambda event: seen.append(event.data))
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            r = api.post("/events", {"kind": "order_shipped", "external_id": "s1", "order": order.external_id})
        assert seen == []  # nothing before the transaction commits
        for callback in callbacks:
            callback()
        assert seen == [{"event_id": r.body["id"], "kind": "order_shipped", "customer_id": rina.pk, "order_id": order.pk}]
        with django_capture_on_commit_callbacks(execute=True):
            api.post("/events", {"kind": "order_shipped", "external_id": "s1", "order": order.external_id})
        assert len(seen) == 1
    finally:
        from tanggap.events.bus import _subscribers

        _subscribers[names.JOURNEY_EVENT].remove(handler)


def test_a_rejected_event_publishes_nothing(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        api.post("/events", visit(kind="teleported"))
    assert callbacks == []
