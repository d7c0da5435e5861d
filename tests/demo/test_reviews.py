"""The demo's reviews (tanggap/reviews/demo.py) on the package's one generated store."""

from __future__ import annotations

import pytest

from tanggap.conversations.choices import Status
from tanggap.journeys.models import JourneyEvent
from tanggap.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_dozens_of_reviews_in_three_languages_mostly_positive(demo):
    counts = demo.counts["reviews"]
    print("demo reviews:", counts)
    reviews = Review.objects.filter(external_id__startswith="DEMO-RV-")
    assert counts["reviews"] == reviews.count() >= 30
    assert all(counts["languages"][lang] > 0 for lang in ("id", "ms", "en")), counts
    negative = reviews.filter(negative=True).count()
    assert 3 <= negative < reviews.count() / 3
    assert not reviews.filter(negative=False).exclude(ticket=None).exists()  # positive: no ticket
    assert JourneyEvent.objects.filter(kind="review_posted", source="reviews").count() >= reviews.count()


def test_a_negative_review_handled_and_one_waiting(demo):
    negatives = Review.objects.filter(external_id__startswith="DEMO-RV-", negative=True).select_related("ticket")
    assert all(r.ticket is not None and r.ticket.priority == "high" for r in negatives)
    handled = [r for r in negatives if r.reply_state == "sent"]
    assert handled, "no negative review was answered"
    for r in handled:
        assert r.ticket.status == Status.SOLVED and r.replied_by is not None and r.reply_delivered_at is not None
        assert r.reply_text and r.reply_message.delivery_status == "sent"
    waiting = [r for r in negatives if r.reply_state == "none"]
    assert waiting and all(r.ticket.status in (Status.NEW, Status.OPEN) for r in waiting)
