"""Permission cases of reviews (issue 6): the API (staff tokens), the signed webhook (the
signature decides, for everyone alike) and the console's reviews page."""

from __future__ import annotations

from tests.security.matrix_base import Case, api, console, everyone

REVIEW = {"source": "tokopedia", "external_id": "matrix-rv-1", "rating": 5, "text": "Mantap",
          "reviewer": {"name": "Rina", "handle": "rina_m"}}


def _ticket_shown_only_to_admin(role, response, world):
    """The review's ticket is team Pembayaran's: its id is shown to the admin only."""
    ticket_id = response.json().get("ticket_id")
    expected = world.ids["review_b_ticket"] if role == "admin" else None
    return None if ticket_id == expected else f"ticket_id {ticket_id!r}, expected {expected!r}"


def _list_hides_ticket(role, response, world):
    for item in response.json()["items"]:
        if item["id"] == world.ids["review_b"]:
            return _ticket_shown_only_to_admin(role, _Json(item), world)
    return "review_b not listed"


def _page_links_ticket_b_only_for_admin(role, response, world):
    if role not in ("agent", "lead", "admin"):
        return None
    linked = f'href="/tickets/{world.ids["review_b_ticket"]}/"' in response.content.decode()
    return None if linked == (role == "admin") else f"link to ticket_b shown: {linked}"


class _Json:
    def __init__(self, data):
        self.data = data

    def json(self):
        return self.data


CASES = [
    Case("POST", "/api/v1/reviews", api(), REVIEW, "json"),
    Case("POST", "/api/v1/reviews/webhook", everyone(401), {"marketplace": "tokopedia", "data": {}}, "json",
         label="unsigned"),
    Case("GET", "/api/v1/reviews", api(), check=_list_hides_ticket),
    Case("GET", "/api/v1/reviews/{review_b}", api(), check=_ticket_shown_only_to_admin,
         label="ticket of another team"),
    Case("GET", "/reviews/", console(), check=_page_links_ticket_b_only_for_admin),
]


def build(world, users) -> None:
    """A review pointing at team Pembayaran's ticket (ticket_b): a new ticket here would change
    the shared cases' ticket lists, so the review is positive and linked by hand."""
    from tanggap.channels.adapters.marketplace import ReviewData
    from tanggap.reviews.models import Review
    from tanggap.reviews.services import review_receive

    review, _ = review_receive(data=ReviewData(source="shopee", external_id="matrix-rv-b", rating=5,
                                               text="Bagus", posted_at=None, reviewer_handle="bayu_b",
                                               reviewer_name="Bayu"))
    Review.objects.filter(pk=review.pk).update(ticket_id=world.ids["ticket_b"])
    world.ids["review_b"] = review.pk
    world.ids["review_b_ticket"] = world.ids["ticket_b"]
