"""The demo's surveys (tanggap/surveys/demo.py) on the package's one generated store."""

from __future__ import annotations

import pytest
from django.db.models import Count

from tanggap.accounts.models import Role
from tanggap.common.clock import now
from tanggap.journeys.models import JourneyEvent
from tanggap.surveys.models import RecoveryTask, SurveyResponse, SurveySend
from tanggap.surveys.selectors import results

pytestmark = pytest.mark.django_db


def test_hundreds_of_answers_over_weeks_with_all_five_outcomes(demo):
    counts = demo.counts["surveys"]
    print("demo surveys:", counts)
    assert counts["survey_responses"] >= 200, counts
    assert all(counts["survey_outcomes"][k] > 0 for k in range(1, 6)), counts
    kinds = dict(SurveyResponse.objects.values_list("kind").annotate(n=Count("id")))
    assert set(kinds) == {"csat", "nps", "ces", "outcome"}, kinds
    weeks = {r.isocalendar()[:2] for r in SurveyResponse.objects.values_list("answered_at", flat=True)}
    assert len(weeks) >= 4
    # one survey per customer per period, as the live sends
    per_period = SurveySend.objects.exclude(quota_period=None).values("customer_id", "quota_period").annotate(
        n=Count("id")).filter(n__gt=1)
    assert not per_period.exists()
    assert JourneyEvent.objects.filter(kind="survey_answered").count() == counts["survey_responses"]


def test_scores_differ_between_agents_and_channels(demo, make_staff):
    admin = make_staff("survey-admin", Role.ADMIN)
    data = results(user=admin, kind="csat", weeks=26, at=demo.now)
    agents = [g["score"] for g in data["groups"]["agent"] if g["answered"] >= 10]
    channels = [g["score"] for g in data["groups"]["channel"] if g["answered"] >= 10]
    assert len(agents) >= 2 and max(agents) - min(agents) >= 0.05, data["groups"]["agent"]
    assert len(channels) >= 2 and max(channels) - min(channels) >= 0.03, data["groups"]["channel"]
    assert 0 < data["total"]["rate"] < 1


def test_low_scores_have_recovery_tasks_one_overdue(demo):
    low_on_tickets = SurveyResponse.objects.filter(low=True, send__ticket__isnull=False).count()
    assert RecoveryTask.objects.count() == low_on_tickets >= 5
    open_tasks = RecoveryTask.objects.filter(done_at__isnull=True)
    assert open_tasks.count() == 3
    assert open_tasks.filter(due_at__lt=now()).count() >= 1
    assert all(t.ticket.status == "open" for t in open_tasks.select_related("ticket"))
    assert demo.counts["surveys"]["survey_sends"] > demo.counts["surveys"]["survey_responses"]
    assert demo.counts["surveys"]["seconds"] < 10
