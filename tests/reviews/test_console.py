"""The console: the reviews page (filters, pages, escaped text), the side-nav entry, the review
and its reply template beside the ticket's reply box, and the customer page's reviews card."""

from __future__ import annotations

import pytest

from tanggap.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, agent):
    client.force_login(agent)
    return client


def test_reviews_page_lists_and_filters(logged_in, api, review_in, django_assert_max_num_queries):
    api.post("/reviews", review_in(external_id="N", rating=1, text="Barang rusak, kecewa"))
    api.post("/reviews", review_in(external_id="P", rating=5, text="Mantap sekali"))
    with django_assert_max_num_queries(12):
        page = logged_in.get("/reviews/").content.decode()
    assert "Barang rusak, kecewa" in page and "Mantap sekali" in page
    assert 'href="/reviews/"' in page  # the side-nav entry (console.nav panel)
    assert "<h1>Ulasan</h1>" in page and "Belum dibalas" in page  # Indonesian by default
    ticket = Review.objects.get(external_id="N").ticket
    assert f'href="/tickets/{ticket.pk}/"' in page
    negative = logged_in.get("/reviews/?lane=negative").content.decode()
    assert "Barang rusak" in negative and "Mantap sekali" not in negative
    assert "Mantap sekali" in logged_in.get("/reviews/?rating=5").content.decode()
    assert "Barang rusak" not in logged_in.get("/reviews/?reply=sent").content.decode()


def test_reviews_page_pages(logged_in, api, review_in):
    for i in range(27):
        api.post("/reviews", review_in(external_id=f"R{i:02}", rating=5, text=f"ulasan-{i:02}",
                                       posted_at=f"2026-11-01T{i % 24:02}:{i:02}:00+07:00"))
    first = logged_in.get("/reviews/")
    assert first.content.decode().count('class="stars') == 25 and 'rel="next"' in first.content.decode()
    cursor = first.context["page"].next_cursor
    second = logged_in.get(f"/reviews/?cursor={cursor}").content.decode()
    assert second.count('class="stars') == 2
    assert logged_in.get("/reviews/?cursor=rusak").status_code == 200  # a bad cursor: first page, an error line


def test_review_text_is_never_html(logged_in, api, review_in):
    api.post("/reviews", review_in(rating=1, text='<script>alert("x")</script><b>jelek</b>'))
    page = logged_in.get("/reviews/").content.decode()
    assert '<script>alert' not in page and "&lt;script&gt;alert" in page


def test_ticket_page_shows_the_review_and_its_template(logged_in, api, review_in):
    r = api.post("/reviews", review_in(rating=1, text="Barang sampai rosak, sangat hampa",
                                       reviewer={"name": "Aminah", "handle": "aminah"}, product_name="Tudung"))
    page = logged_in.get(f"/tickets/{r.body['ticket_id']}/").content.decode()
    assert 'id="review-reply"' in page and "Barang sampai rosak, sangat hampa" in page
    assert "Hai Aminah, terima kasih kerana meluangkan masa menulis ulasan untuk Tudung" in page
    assert 'data-fill-reply="review-template-' in page and 'id="reply_body_text"' in page
    assert "reviews/fill_reply.js" in page


def test_ordinary_ticket_has_no_review_panel(logged_in, api, inbound_message):
    r = api.post("/messages", inbound_message())
    assert 'id="review-reply"' not in logged_in.get(f"/tickets/{r.body['ticket_id']}/").content.decode()


def test_customer_page_shows_their_reviews(logged_in, api, review_in):
    r = api.post("/reviews", review_in(rating=5, text="Mantap, sesuai pesanan"))
    page = logged_in.get(f"/customers/{r.body['customer_id']}/").content.decode()
    assert 'id="customer-reviews"' in page and "Mantap, sesuai pesanan" in page


def test_console_page_needs_staff(client, django_user_model):
    assert client.get("/reviews/").status_code == 302
    client.force_login(django_user_model.objects.create(username="tamu"))
    assert client.get("/reviews/").status_code == 403
