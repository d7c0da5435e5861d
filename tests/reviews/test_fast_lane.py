"""A negative review opens a high-priority ticket on the marketplace channel with the short SLA
(first response within one working hour) and a reply template in the reviewer's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tanggap.conversations.models import Message, Ticket
from tanggap.reviews.models import Review
from tanggap.reviews.replies import reply_template
from tanggap.sla.models import SlaTarget

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def first_response(ticket_id: int) -> SlaTarget:
    return SlaTarget.objects.get(ticket_id=ticket_id, key="first_response")


@pytest.mark.parametrize(("now", "due"), [
    (wib(2026, 11, 24, 10, 0), wib(2026, 11, 24, 11, 0)),   # Tuesday morning: one hour later
    (wib(2026, 11, 24, 11, 30), wib(2026, 11, 24, 13, 30)),  # over the lunch break (12-13)
    (wib(2026, 11, 27, 16, 30), wib(2026, 11, 28, 8, 30)),   # Friday 16:30: Saturday's opening hours
    (wib(2026, 11, 28, 20, 0), wib(2026, 11, 30, 9, 0)),     # Saturday night: Monday 09:00
])
def test_negative_review_gets_high_priority_and_one_working_hour(api, review_in, now, due):
    with time_machine.travel(now, tick=False):
        r = api.post("/reviews", review_in(rating=1, text="Barang rusak, kecewa"))
    ticket = Ticket.objects.select_related("channel", "sla__policy").get(pk=r.body["ticket_id"])
    assert ticket.priority == "high" and ticket.channel.kind == "marketplace"
    assert ticket.sla.policy.name == "Ulasan negatif"
    assert first_response(ticket.pk).due_at == due
    assert list(ticket.tags.values_list("name", flat=True)) == ["ulasan-negatif"]


def test_the_review_is_the_customers_message_on_the_ticket(api, review_in):
    r = api.post("/reviews", review_in(rating=2, text="Pengiriman lambat", product_name="Kopi Gayo 250 g"))
    message = Message.objects.get(ticket_id=r.body["ticket_id"])
    assert message.direction == "in" and message.channel_kind == "marketplace"
    assert message.body_text == "★★☆☆☆ Kopi Gayo 250 g\nPengiriman lambat"
    assert message.ticket.subject == "Ulasan 2★ Tokopedia: Kopi Gayo 250 g"


def test_each_negative_review_is_its_own_ticket(api, review_in):
    a = api.post("/reviews", review_in(external_id="A", rating=1, text="rusak"))
    b = api.post("/reviews", review_in(external_id="B", rating=2, text="lambat"))
    assert a.body["ticket_id"] != b.body["ticket_id"]


@pytest.mark.parametrize(("rating", "text", "ticket"), [
    (3, "Barangnya tidak sesuai foto, kecewa", True),
    (3, "Lumayan, sesuai harga", False),
    (4, "Bagus tapi agak lambat", False),
    (5, "Mantap!", False),
])
def test_only_negative_reviews_take_the_fast_lane(api, review_in, rating, text, ticket):
    r = api.post("/reviews", review_in(rating=rating, text=text))
    assert r.status_code == 201
    assert (r.body["ticket_id"] is not None) is ticket
    assert Ticket.objects.count() == int(ticket)
    assert Review.objects.get().negative is ticket


@pytest.mark.parametrize(("text", "language", "start"), [
    ("Barang sampai rosak, sangat hampa dengan servis", "ms", "Hai Aminah, terima kasih kerana"),
    ("Pengiriman lama banget, kecewa", "id", "Halo Kak Aminah, terima kasih sudah"),
    ("The item arrived broken", "en", "Hi Aminah, thank you for taking the time"),
])
def test_reply_template_in_the_reviewers_language(api, review_in, text, language, start):
    r = api.post("/reviews", review_in(rating=1, text=text, reviewer={"name": "Aminah", "handle": "aminah"},
                                       product_name="Tudung Bawal", order="INV-9"))
    review = Review.objects.get(pk=r.body["id"])
    assert review.language == language
    template = reply_template(language=review.language, name=review.reviewer_name, product=review.product_name,
                              order=review.order_external_id)
    assert template.startswith(start)
    assert "Tudung Bawal" in template and "INV-9" in template


def test_language_given_by_the_marketplace_wins(api, review_in):
    r = api.post("/reviews", review_in(rating=1, text="rusak", language="en"))
    assert r.body["language"] == "en"
