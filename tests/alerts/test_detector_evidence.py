"""The bench's analysis of misses: the evidence each incident's counts hold, and the ceilings."""

from __future__ import annotations

import copy

import pytest

from bench.alerts import synthetic


@pytest.fixture(scope="module")
def month():
    return synthetic.generate(n_streams=8, days=10, warmup_days=7, seed=11)


def test_evidence_is_zero_or_less_when_the_counts_did_not_rise_and_large_when_they_did(month):
    streams, incidents = month
    assert incidents
    flat, risen = copy.deepcopy(streams), copy.deepcopy(streams)
    bases = synthetic._true_baselines(streams, incidents)
    for inc in incidents:
        for j in range(inc.duration):
            t = inc.start + j
            base = bases[inc.stream][t]
            flat[inc.stream].counts[t] = round(base)
            risen[inc.stream].counts[t] = round(base + inc.excess * (0.5 if j == 0 else 1.0))
    # counts at the baseline favour "no incident" (up to the rounding of a fraction of a message)
    assert all(e < 0.5 for e in synthetic.incident_evidence(flat, incidents))
    # counts at baseline + excess favour the incident, more the longer it lasts
    risen_ev = synthetic.incident_evidence(risen, incidents)
    assert all(e > 1.0 for e in risen_ev)
    assert max(risen_ev) > 10


def test_relative_rise_is_the_excess_over_the_true_baseline(month):
    streams, incidents = month
    bases = synthetic._true_baselines(streams, incidents)
    for inc in incidents:
        mean = sum(bases[inc.stream][inc.start:inc.end + 1]) / inc.duration
        assert synthetic.relative_rise(streams, incidents, inc) == pytest.approx(inc.excess / mean)


def test_a_second_cusum_in_the_ceiling_only_adds_alerts(month):
    streams, incidents = month
    first_eval = 7 * 24
    one = synthetic.oracle_cusum(streams, incidents, 3.0, first_eval)
    two = synthetic.oracle_cusum(streams, incidents, 3.0, first_eval, also=((1.0, 3.5),))
    assert two.detected >= one.detected and two.alerts >= one.alerts
    # a second CUSUM identical to the first changes nothing
    same = synthetic.oracle_cusum(streams, incidents, 3.0, first_eval, also=((2.0, 3.0),))
    assert (same.detected, same.alerts, same.false_alerts) == (one.detected, one.alerts, one.false_alerts)


def test_a_one_day_month_still_gets_incidents_that_fit_in_it():
    # `python -m bench.alerts --days 1` used to stop on an empty randrange (a 24-hour incident
    # cannot start and end in a 24-hour scored period)
    streams, incidents = synthetic.generate(n_streams=6, days=1, warmup_days=14, seed=4)
    first_eval, n = 14 * 24, len(streams[0].counts)
    assert incidents
    assert all(first_eval <= i.start and i.end < n for i in incidents)


def test_the_bench_prints_recall_on_the_incidents_the_counts_show(capsys):
    from bench.alerts.__main__ import main

    assert main(["--streams", "12", "--days", "7", "--seed", "4,5", "--events", "0"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.strip().startswith("default noise"))
    # pooled over both months, and one figure per month (run twice: the tallies start afresh)
    assert "pooled" in line and line.count("%") == 3
    assert main(["--streams", "12", "--days", "7", "--seed", "4,5", "--events", "0"]) == 0
    again = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("default noise"))
    assert again == line
