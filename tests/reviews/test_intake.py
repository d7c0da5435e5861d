"""Reviews in: POST /api/v1/reviews with a staff token and the signed marketplace webhook."""

from __future__ import annotations

import json

import pytest

from tanggap.conversations.models import Ticket
from tanggap.customers.models import Identity
from tanggap.customers.services import order_create, product_upsert
from tanggap.journeys.models import JourneyEvent
from tanggap.reviews.models import Review
from tests.reviews.conftest import notification, signed_headers

pytestmark = pytest.mark.django_db


def test_positive_review_is_stored_on_the_customer_with_a_journey_event_and_no_ticket(api, review_in):
    product_upsert(sku="KOPI-250", name="Kopi Gayo 250 g")
    r = api.post("/reviews", review_in(product="KOPI-250"))
    assert r.status_code == 201, r.body
    assert r.body["negative"] is False and r.body["ticket_id"] is None and r.body["created"] is True
    assert r.body["product_name"] == "Kopi Gayo 250 g"
    review = Review.objects.get()
    assert review.customer.name == "Budi Santoso"
    assert Identity.objects.filter(customer=review.customer, kind="handle", namespace="marketplace",
                                   value="tokopedia:budi_s").exists()
    event = JourneyEvent.objects.get(kind="review_posted")
    assert (event.customer_id, event.product.sku, event.data["rating"]) == (review.customer_id, "KOPI-250", 5)
    assert Ticket.objects.count() == 0


def test_repeat_changes_nothing(api, review_in):
    first = api.post("/reviews", review_in(rating=1, text="Rusak"))
    again = api.post("/reviews", review_in(rating=5, text="ternyata bagus"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.body["created"] is False and again.body["id"] == first.body["id"]
    assert again.body["rating"] == 1 and again.body["text"] == "Rusak"
    assert (Review.objects.count(), Ticket.objects.count(), JourneyEvent.objects.count()) == (1, 1, 1)


def test_reviewer_found_like_channel_intake(api, review_in, inbound_message):
    """A reviewer with the email of an existing customer is that customer; their order links."""
    r = api.post("/messages", inbound_message(email="budi@example.co.id"))
    customer_id = Ticket.objects.get(pk=r.body["ticket_id"]).customer_id
    from tanggap.customers.models import Customer

    order_create(customer=Customer.objects.get(pk=customer_id), external_id="INV-1", lines=[])
    r = api.post("/reviews", review_in(reviewer={"name": "Budi", "email": "Budi@Example.co.id", "handle": "budi_s"},
                                       order="INV-1"))
    assert r.status_code == 201, r.body
    assert r.body["customer_id"] == customer_id and r.body["order"] == "INV-1"
    assert Review.objects.get().order.external_id == "INV-1"


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"rating": 0}, 422, "invalid_input"),
    ({"rating": 6}, 422, "invalid_input"),
    ({"reviewer": {"name": "Tanpa Kontak"}}, 422, "missing_reviewer"),
    ({"reviewer": {"email": "bukan-email"}}, 422, "invalid_email"),
    ({"reviewer": {"phone": "abc"}}, 422, "bad_phone"),
    ({"posted_at": "2026-11-20T10:00:00"}, 422, "naive_datetime"),
    ({"external_id": ""}, 422, "invalid_input"),
])
def test_bad_api_input_is_a_clear_4xx(api, review_in, change, status, code):
    r = api.post("/reviews", {**review_in(), **change})
    assert (r.status_code, r.body["error"]["code"]) == (status, code)
    assert Review.objects.count() == 0


def test_api_needs_a_staff_token(api_for, review_in):
    r = api_for(None).post("/reviews", review_in())
    assert r.status_code == 401 and Review.objects.count() == 0


def test_signed_webhook_opens_a_ticket_for_a_negative_review(marketplace, post_webhook):
    r = post_webhook(notification())
    assert r.status_code == 201, r.body
    assert r.body["received"] == 1 and r.body["created"] == 1
    review = Review.objects.get()
    assert (review.source, review.external_id, review.rating, review.negative) == ("tokopedia", "RV-900", 1, True)
    assert review.posted_at.timestamp() == 1795000000
    assert review.product_sku == "KOPI-250" and review.order_external_id == "INV-77"
    assert review.ticket is not None and review.ticket.priority == "high"
    assert r.body["reviews"][0]["ticket_id"] is None  # the marketplace is not told our ticket ids


def test_webhook_repeat_is_stored_once(marketplace, post_webhook):
    assert post_webhook(notification()).status_code == 201
    again = post_webhook(notification(text="diedit: tetap kecewa"))
    assert again.status_code == 200 and again.body["created"] == 0
    assert (Review.objects.count(), Ticket.objects.count()) == (1, 1)
    assert Review.objects.get().text == "Kopinya basi, kemasan bocor. Kecewa."


def test_webhook_takes_several_reviews(marketplace, post_webhook):
    payload = notification()
    payload["data"] = [notification(review_id="A", rating=5, text="Mantap")["data"],
                       notification(review_id="B", rating=2, text="Lambat")["data"]]
    r = post_webhook(payload)
    assert r.status_code == 201 and r.body["created"] == 2
    assert sorted(Review.objects.values_list("external_id", "negative")) == [("A", False), ("B", True)]


@pytest.mark.parametrize("headers", [
    {},                                                        # missing
    {"X-Hub-Signature-256": "sha256=" + "0" * 64},             # wrong
    {"X-Hub-Signature-256": "md5=abc"},                        # not sha256
], ids=["missing", "wrong", "scheme"])
def test_unsigned_or_wrongly_signed_webhook_is_refused(marketplace, post_webhook, headers):
    r = post_webhook(notification(), headers=headers)
    assert (r.status_code, r.body["error"]["code"]) == (401, "bad_signature")
    assert Review.objects.count() == 0


def test_signed_with_another_secret_is_refused(marketplace, post_webhook):
    body = json.dumps(notification()).encode()
    r = post_webhook(None, raw=body, headers=signed_headers(body, "another-secret"))
    assert r.status_code == 401 and Review.objects.count() == 0


def test_webhook_without_any_secret_refuses_everything(db, post_webhook, monkeypatch):
    monkeypatch.delenv("TANGGAP_MARKETPLACE_WEBHOOK_SECRET", raising=False)
    body = json.dumps(notification()).encode()
    r = post_webhook(None, raw=body, headers=signed_headers(body, ""))
    assert r.status_code == 401 and Review.objects.count() == 0


def test_secret_from_the_environment(db, post_webhook, monkeypatch):
    monkeypatch.setenv("TANGGAP_MARKETPLACE_WEBHOOK_SECRET", "dari-env")
    body = json.dumps(notification(rating=5, text="Mantap")).encode()
    assert post_webhook(None, raw=body, headers=signed_headers(body, "dari-env")).status_code == 201


@pytest.mark.parametrize(("raw", "where"), [
    (b"{not json", "not valid JSON"),
    (b"[]", "not an object"),
    (json.dumps({"data": {}}).encode(), "$.marketplace"),
    (json.dumps(notification(rating="lima")).encode(), "data.rating"),
    (json.dumps(notification(rating=4.5)).encode(), "data.rating"),
    (json.dumps(notification(review_id=None)).encode(), "data.review_id"),
    (json.dumps(notification(reviewer={"name": "X"})).encode(), "data.reviewer"),
    (json.dumps(notification(create_time="kemarin")).encode(), "data.create_time"),
    (json.dumps(notification(product="KOPI")).encode(), "data.product"),
    (json.dumps({**notification(), "data": []}).encode(), "data"),
])
def test_malformed_webhook_is_a_422_naming_where(marketplace, post_webhook, raw, where):
    r = post_webhook(None, raw=raw, headers=signed_headers(raw))
    assert (r.status_code, r.body["error"]["code"]) == (422, "bad_payload"), r.body
    assert where in r.body["error"]["message"]
    assert Review.objects.count() == 0


def test_list_filters_and_pages(api, review_in):
    for i in range(5):
        api.post("/reviews", review_in(external_id=f"R{i}", rating=1 + i, text="biasa",
                                       posted_at=f"2026-11-2{i}T10:00:00+07:00"))
    r = api.get("/reviews?limit=2")
    assert [x["external_id"] for x in r.body["items"]] == ["R4", "R3"] and r.body["next_cursor"]
    r2 = api.get(f"/reviews?limit=2&cursor={r.body['next_cursor']}")
    assert [x["external_id"] for x in r2.body["items"]] == ["R2", "R1"]
    neg = api.get("/reviews?negative=true")
    assert sorted(x["external_id"] for x in neg.body["items"]) == ["R0", "R1"]
    assert api.get("/reviews?rating=3").body["items"][0]["external_id"] == "R2"
    assert api.get("/reviews?cursor=zzz").status_code in (400, 422)
    assert api.get("/reviews?reply_state=bogus").body["error"]["code"] == "invalid_reply_state"


def test_ticket_link_only_for_callers_who_may_see_the_ticket(api, api_for, make_staff, review_in):
    from tanggap.accounts.services import team_get_or_create
    from tanggap.conversations.services import ticket_update

    r = api.post("/reviews", review_in(rating=1, text="Rusak"))
    ticket = Ticket.objects.get(pk=r.body["ticket_id"])
    other = team_get_or_create(name="Pembayaran")
    ticket_update(ticket=ticket, actor=None, team=other)
    outsider = make_staff("dewi", "agent", [team_get_or_create(name="Gudang")])
    seen = api_for(outsider).get(f"/reviews/{r.body['id']}")
    assert seen.status_code == 200 and seen.body["ticket_id"] is None
    assert api.get(f"/reviews/{r.body['id']}").body["ticket_id"] == ticket.pk
    assert api.get("/reviews/999999").status_code == 404
