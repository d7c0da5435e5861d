"""Customers (get, merge), products and orders over the API."""

import pytest

from tanggap.conversations.models import Ticket
from tanggap.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_products_are_created_then_updated_by_sku(api):
    r = api.post("/products", {"sku": "PG-190", "name": "Pasta Gigi Herbal 190g", "category": "perawatan", "price": "18500"})
    assert (r.status_code, r.body["created"]) == (201, True)
    r = api.post("/products", {"sku": "PG-190", "name": "Pasta Gigi Herbal 190 g", "price": "19000"})
    assert (r.status_code, r.body["created"], r.body["price"]) == (200, False, "19000.00")
    assert [p["name"] for p in api.get("/products").body] == ["Pasta Gigi Herbal 190 g"]


def test_an_order_is_idempotent_by_external_id_and_totals_its_lines(api):
    api.post("/products", {"sku": "PG-190", "name": "Pasta Gigi", "price": "18500"})
    api.post("/products", {"sku": "SK-01", "name": "Sikat Gigi", "price": "12000"})
    order = {"external_id": "INV/2026/0001", "customer": {"email": "Rina@Example.id", "name": "Rina"},
             "lines": [{"sku": "PG-190", "quantity": 2}, {"sku": "SK-01"}], "courier": "JNE", "region": "Bandung"}
    first = api.post("/orders", order)
    assert (first.status_code, first.body["total"], first.body["created"]) == (201, "49000.00", True)
    again = api.post("/orders", order)
    assert (again.status_code, again.body["id"], again.body["created"]) == (200, first.body["id"], False)
    customer = api.get(f"/customers/{first.body['customer_id']}").body
    assert customer["identities"] == [{"kind": "email", "namespace": "", "value": "rina@example.id"}]
    assert [o["external_id"] for o in customer["orders"]] == ["INV/2026/0001"]


def test_an_order_with_an_unknown_product_is_refused_whole(api):
    r = api.post("/orders", {"external_id": "X1", "customer": {"email": "a@b.id"}, "lines": [{"sku": "NOPE"}]})
    assert r.status_code == 404
    assert r.body["error"]["code"] == "unknown_product"
    assert api.get("/orders").body == []


def test_merging_two_customers_moves_identities_orders_and_tickets(api, inbound_message):
    by_mail = api.post("/messages", inbound_message(external_id="m1", email="dewi@example.id")).body
    by_phone = api.post("/messages", {"channel": "whatsapp", "external_id": "wa1", "from": {"phone": "+62 812 1111 2222"},
                                      "body": "Ini Dewi, dari nomor WA."}).body
    a = Ticket.objects.get(pk=by_mail["ticket_id"]).customer
    b = Ticket.objects.get(pk=by_phone["ticket_id"]).customer
    assert a.pk != b.pk
    r = api.post(f"/customers/{a.pk}/merge", {"source_id": b.pk})
    assert r.status_code == 200
    assert sorted(i["value"] for i in r.body["identities"]) == ["+6281211112222", "dewi@example.id"]
    assert sorted(t["id"] for t in r.body["tickets"]) == sorted([by_mail["ticket_id"], by_phone["ticket_id"]])
    assert Customer.objects.get(pk=b.pk).merged_into_id == a.pk
    # the old id still resolves, and new messages from the phone land on the merged customer
    assert api.get(f"/customers/{b.pk}").body["id"] == a.pk
    later = api.post("/messages", {"channel": "sms", "external_id": "sms1", "from": {"phone": "081211112222"}, "body": "Halo"}).body
    assert Ticket.objects.get(pk=later["ticket_id"]).customer_id == a.pk
    assert Ticket.objects.get(pk=by_phone["ticket_id"]).timeline.filter(kind="customer.merged").count() == 1


def test_a_customer_cannot_be_merged_into_itself(api, inbound_message):
    cid = Ticket.objects.get(pk=api.post("/messages", inbound_message()).body["ticket_id"]).customer_id
    r = api.post(f"/customers/{cid}/merge", {"source_id": cid})
    assert (r.status_code, r.body["error"]["code"]) == (400, "same_customer")


def test_an_unknown_customer_is_404(api):
    r = api.get("/customers/999999")
    assert (r.status_code, r.body["error"]["code"]) == (404, "customer_not_found")


def test_every_way_of_writing_one_phone_number_finds_the_same_customer(api):
    forms = ["0812-3456-7890", "+62 812 3456 7890", "0062 812 3456 7890", "+62 (0)812 3456 7890", "6281234567890"]
    tickets = [api.post("/messages", {"channel": "sms", "external_id": f"p{i}", "from": {"phone": phone}, "body": "Halo"}).body
               for i, phone in enumerate(forms)]
    assert len({Ticket.objects.get(pk=t["ticket_id"]).customer_id for t in tickets}) == 1
    assert Customer.objects.get().identities.get().value == "+6281234567890"


def test_a_phone_that_is_not_a_number_is_refused_and_no_customer_is_made(api):
    r = api.post("/messages", {"channel": "sms", "external_id": "bad", "from": {"phone": "nomor saya"}, "body": "Halo"})
    assert (r.status_code, r.body["error"]["code"]) == (422, "bad_phone")
    assert Customer.objects.count() == 0


def test_the_customer_carries_health_recommendations_and_next_actions(api, inbound_message):
    """GET /customers/{id} gathers what issue 7 computes: health (null until computed), the
    recommended products, and the next best actions (here: answer the waiting message)."""
    from tanggap.health.services import health_compute

    r = api.post("/messages", inbound_message())
    customer_id = api.get(f"/tickets/{r.body['ticket_id']}").body["customer"]["id"]
    body = api.get(f"/customers/{customer_id}").body
    assert body["health"] is None and isinstance(body["recommendations"], list)
    assert body["next_actions"][0]["kind"] == "answer_waiting"
    assert body["next_actions"][0]["ticket_id"] == r.body["ticket_id"]
    health_compute(customer_ids=[customer_id])
    health = api.get(f"/customers/{customer_id}").body["health"]
    assert health["customer_id"] == customer_id and 0 <= health["score"] <= 100
