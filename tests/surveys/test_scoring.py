"""Scores on known answers: CSAT, NPS, CES and article 004's five outcomes."""

import pytest

from tanggap.surveys import scoring


def test_csat_is_the_share_of_4_and_5():
    assert scoring.csat([5, 4, 3, 2, 1, 5]) == pytest.approx(3 / 6)
    assert scoring.csat([4, 4, 4]) == 1.0
    assert scoring.csat([]) is None


def test_nps_is_promoters_minus_detractors():
    # 4 promoters (9, 10), 3 passives (7, 8), 3 detractors (0-6): (4 - 3) / 10 = +10
    assert scoring.nps([10, 9, 9, 10, 7, 8, 8, 6, 0, 3]) == 10.0
    assert scoring.nps([0, 6, 5]) == -100.0
    assert scoring.nps([9, 10]) == 100.0


def test_ces_is_the_mean():
    assert scoring.ces([7, 6, 2, 5]) == 5.0


@pytest.mark.parametrize("satisfaction, feeling, outcome", [
    ("fully", "warm", 1), ("fully", "neutral", 2), ("fully", "negative", 3),
    ("slightly", "warm", 3), ("slightly", "neutral", 3), ("slightly", "negative", 3),
    ("dissatisfied", "warm", 4), ("dissatisfied", "neutral", 4), ("dissatisfied", "negative", 5),
    ("very_dissatisfied", "warm", 4), ("very_dissatisfied", "neutral", 4), ("very_dissatisfied", "negative", 5),
])
def test_the_five_outcomes_of_article_004(satisfaction, feeling, outcome):
    assert scoring.outcome_of(satisfaction, feeling) == outcome


def test_low_scores_open_recovery():
    assert scoring.is_low("csat", 2, None) and not scoring.is_low("csat", 3, None)
    assert scoring.is_low("nps", 6, None) and not scoring.is_low("nps", 7, None)
    assert scoring.is_low("ces", 3, None) and not scoring.is_low("ces", 4, None)
    assert scoring.is_low("outcome", None, 4) and scoring.is_low("outcome", None, 5)
    assert not scoring.is_low("outcome", None, 3)
