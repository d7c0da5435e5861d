"""The score and its reasons, computed from what the other parts store (services.health_compute)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.health import reasons, scoring, services
from tanggap.health.models import CustomerHealth
from tests.health.conftest import NOW, background_shop, broken_promise, buy, customer, triage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def codes(row: CustomerHealth) -> list[str]:
    return [r["code"] for r in row.reasons]


@time_machine.travel(NOW, tick=False)
def test_broken_promises_and_negative_sentiment_lower_the_score_and_say_why():
    background_shop(40)
    calm, upset = customer("tenang@example.id"), customer("kecewa@example.id")
    for c in (calm, upset):
        buy(c, 200, 150, 100, 60, 20)
    for email, before, recent in (("tenang@example.id", 0.1, 0.2), ("kecewa@example.id", 0.1, -0.8)):
        triage(email, before, NOW - dt.timedelta(days=90))
        last = triage(email, recent, NOW - dt.timedelta(days=5))
    broken_promise(last, NOW - dt.timedelta(days=20))  # the upset customer's ticket
    broken_promise(last, NOW - dt.timedelta(days=10))
    services.model_fit()

    services.health_compute(customer_ids=[calm.pk, upset.pk])

    calm_row, upset_row = (CustomerHealth.objects.get(customer=c) for c in (calm, upset))
    assert upset_row.score < calm_row.score - 30
    assert {"broken_promises", "negative_trend"} <= set(codes(upset_row))
    assert not {"broken_promises", "negative_trend"} & set(codes(calm_row))
    broken = next(r for r in upset_row.reasons if r["code"] == "broken_promises")
    assert broken["params"] == {"count": 2} and broken["points"] < 0
    assert reasons.summary(upset_row.reasons) == "2 broken promises, negative trend"
    assert calm_row.band == "healthy" and upset_row.band == "at_risk"


@time_machine.travel(NOW, tick=False)
def test_a_regular_buyer_who_stopped_gets_a_low_p_alive_and_the_overdue_reason():
    background_shop(60)
    regular, stopped = customer("rutin@example.id"), customer("berhenti@example.id")
    buy(regular, *range(2, 300, 14))  # every two weeks up to two days ago
    buy(stopped, *range(122, 300, 14))  # every two weeks, then nothing for 122 days
    model = services.model_fit()
    assert model.kind == "bgnbd"

    services.health_compute(customer_ids=[regular.pk, stopped.pk])

    regular_row, stopped_row = (CustomerHealth.objects.get(customer=c) for c in (regular, stopped))
    assert regular_row.p_alive > 0.9
    assert stopped_row.p_alive < 0.1
    assert regular_row.expected_purchases_90d > 3 > stopped_row.expected_purchases_90d
    overdue = next(r for r in stopped_row.reasons if r["code"] == "no_order_for")
    assert overdue["params"] == {"days": 122, "usual_days": 14}
    assert reasons.text(overdue) == "no order for 122 days, usually every 14"
    assert "low_p_alive" in codes(stopped_row)
    assert regular_row.band == "healthy" and stopped_row.score < regular_row.score - 30


@time_machine.travel(NOW, tick=False)
def test_too_little_history_falls_back_to_the_recency_rule():
    few = [customer(f"sedikit{i}@example.id") for i in range(5)]
    for c in few[:4]:
        buy(c, 40, 20, 5)
    buy(few[4], 200, 170, 140)  # every 30 days, then 140 days of silence

    model = services.model_fit()
    services.health_compute()

    assert model.kind == "fallback" and model.note == "5 customers with orders (need 30)"
    rows = {r.customer_id: r for r in CustomerHealth.objects.all()}
    assert len(rows) == 5 and all(r.p_alive is None and r.model_id == model.pk for r in rows.values())
    gone = rows[few[4].pk]
    assert gone.components["activity"]["value"] == 0.0  # 140 days ≥ 4 × the usual 30
    assert gone.reasons[0]["code"] == "no_order_for" and gone.reasons[0]["params"] == {"days": 140, "usual_days": 30}
    assert rows[few[0].pk].components["activity"]["value"] == 1.0
    assert gone.score < rows[few[0].pk].score


def test_points_bands_and_missing_components():
    assert [scoring.band_of(s) for s in (100, 70, 69, 45, 44, 0)] == \
        ["healthy", "healthy", "watch", "watch", "at_risk", "at_risk"]
    # Only tickets and promises known (no orders, no triage, no survey): nothing else costs points.
    result = scoring.compute(scoring.Facts(now=NOW, open_tickets=2))
    assert set(result.components) == {"tickets", "promises"}
    assert result.score == 100 - 2 * scoring.OPEN_TICKET_POINTS == 84
    assert [r["code"] for r in result.reasons] == ["open_tickets", "no_orders"]
    # Every component is capped: ten broken promises cost 30, not 120.
    assert scoring.compute(scoring.Facts(now=NOW, broken_promises=10)).score == 70


def test_service_problems_turn_a_buying_customer_from_healthy_to_watch_and_at_risk():
    days = [NOW.date() - dt.timedelta(days=d) for d in range(120, 0, -20)]  # every 20 days, last 20 days ago
    buyer = dict(now=NOW, order_days=days, p_alive=0.95, currency="IDR", value=500_000,
                 reference={"recency_days": [5, 10, 20, 30, 40, 60, 90, 120, 150], "frequency": [0, 0, 1, 1, 2, 2, 3, 4, 6],
                            "value": {"IDR": [1e5, 2e5, 3e5, 4e5, 5e5, 6e5, 7e5, 8e5, 9e5]}})
    low_csat = [{"kind": "csat", "score": 2, "outcome": None, "low": True}]
    assert scoring.compute(scoring.Facts(**buyer)).band == "healthy"
    troubled = scoring.compute(scoring.Facts(**buyer, open_tickets=1, broken_promises=1, surveys=low_csat))
    assert troubled.band == "watch"
    assert [r["code"] for r in troubled.reasons][:3] == ["low_survey", "broken_promises", "open_tickets"]
    angry = scoring.compute(scoring.Facts(**buyer, open_tickets=1, broken_promises=2, surveys=low_csat,
                                          sentiments=[(NOW - dt.timedelta(days=2), -0.8)]))
    assert angry.band == "at_risk"


@pytest.mark.parametrize(("kind", "score", "outcome", "code", "text"), [
    ("csat", 1, None, "low_survey", "low CSAT score (1)"),
    ("nps", 3, None, "low_survey", "low NPS score (3)"),
    ("outcome", None, 5, "low_survey", "dissatisfied with a response (outcome 5 of 5)"),
    ("nps", 10, None, "promoter", "promoter (NPS 10)"),
])
def test_survey_answers_give_their_reason(kind, score, outcome, code, text):
    from tanggap.surveys.scoring import is_low

    facts = scoring.Facts(now=NOW, surveys=[{"kind": kind, "score": score, "outcome": outcome,
                                             "low": is_low(kind, score, outcome)}])
    result = scoring.compute(facts)
    reason = next(r for r in result.reasons if r["component"] == "surveys")
    assert reason["code"] == code and reasons.text(reason) == text


def test_reasons_translate(settings):
    from django.utils import translation

    reason = {"code": "broken_promises", "params": {"count": 2}, "effect": "negative"}
    overdue = {"code": "no_order_for", "params": {"days": 120, "usual_days": 30}, "effect": "negative"}
    with translation.override("id"):
        assert reasons.text(reason) == "2 janji diingkari"
        assert reasons.text(overdue) == "tidak ada pesanan selama 120 hari, biasanya setiap 30 hari"
    with translation.override("ms"):
        assert reasons.text(reason) == "2 janji dimungkiri"
    with translation.override("en"):
        assert reasons.text(reason) == "2 broken promises"
