"""The alert detector: quiet when nothing happens, quick when something does."""

from __future__ import annotations

import json
import math
import random

import pytest

from bench.alerts import synthetic
from tanggap.alerts.detector import (
    DetectorConfig, GaussianConfig, GaussianState, StreamState, bucket_counts, densify, detect, negbin_sf,
    poisson_sf, slot_of)

START = synthetic.START_BUCKET  # a Monday 00:00 in UTC+7
WEEK = 168


def poisson(rng, lam):
    return synthetic._poisson(rng, lam)


def series(rates, seed=1):
    rng = random.Random(seed)
    return [poisson(rng, r) for r in rates]


def test_start_bucket_is_monday_midnight_local():
    assert slot_of(START, DetectorConfig())[1:] == (0, 0)


@pytest.mark.parametrize("x,mu,k", [(4, 0.2, None), (9, 1.2, 5.07), (100, 50.0, 20.0), (3, 5.0, 10.0), (0, 2.0, 3.0)])
def test_tails_match_direct_sums(x, mu, k):
    def pmf(j):
        if k is None:
            return math.exp(j * math.log(mu) - mu - math.lgamma(j + 1))
        return math.exp(math.lgamma(j + k) - math.lgamma(k) - math.lgamma(j + 1)
                        + k * math.log(k / (k + mu)) + j * math.log(mu / (k + mu)))

    direct = sum(pmf(j) for j in range(x, 3000))
    got = poisson_sf(x, mu) if k is None else negbin_sf(x, mu, k)
    assert got == pytest.approx(direct, rel=1e-6, abs=1e-12)


def test_flat_poisson_stream_gives_no_alerts_over_weeks():
    for rate, seed in ((0.3, 1), (5.0, 2), (50.0, 3)):
        counts = series([rate] * (6 * WEEK), seed)
        low = detect(counts, START, DetectorConfig.for_sensitivity("low"))
        # a quiet stream's baseline rests on a few messages a day: one chance alert in six weeks
        assert low == [] if rate >= 5 else len(low) <= 1
        # at the default sensitivity a rare chance excess is allowed, within the budget of
        # one false alert per stream per week
        episodes = [a for a in detect(counts, START, DetectorConfig()) if a.opens]
        assert len(episodes) <= 5


def test_step_rise_is_caught_within_two_buckets():
    rates = [8.0] * (3 * WEEK) + [24.0] * 12
    counts = series(rates, seed=7)
    alerts = detect(counts, START, DetectorConfig())
    # a chance alert on the flat weeks before is within the budget of one a week
    assert len([a for a in alerts if a.opens and a.bucket - START < 3 * WEEK]) <= 2
    after = [a for a in alerts if a.bucket - START >= 3 * WEEK]
    assert after, "a tripling went unnoticed"
    first = after[0]
    assert first.bucket - START <= 3 * WEEK + 2
    assert first.opens and first.observed > 2 * first.expected and first.p_value < 3e-3


def test_a_normal_monday_morning_peak_is_not_an_alert():
    def rate(b):
        wd, h = (b // 24) % 7, b % 24
        r = 2.0 + 10.0 * math.exp(-((h - 11) ** 2) / 8)
        if wd == 0 and 8 <= h <= 11:
            r *= 3.0  # the Monday-morning rush, every week
        return r * (0.6 if wd >= 5 else 1.0)

    counts = series([rate(b) for b in range(5 * WEEK)], seed=11)
    alerts = detect(counts, START, DetectorConfig())
    mondays = [a for a in alerts if (a.bucket - START) % WEEK < 24]
    assert not [a for a in mondays if (a.bucket - START) >= 2 * WEEK], mondays
    assert len([a for a in alerts if a.opens]) <= 4  # five weeks, first one warm-up


def test_quiet_stream_needs_a_minimum_excess():
    base = series([0.2] * (3 * WEEK), seed=5)
    cfg = DetectorConfig.for_sensitivity("high")
    # 0 -> 2 in an hour is improbable at 0.2/h (p ~ 0.02) but under the minimum excess of 3
    for spike in (2, 3):
        state = StreamState(cfg)
        detect(base, START, state=state)
        assert state.update(START + 3 * WEEK, spike) is None
    state = StreamState(cfg)
    detect(base, START, state=state)
    alert = state.update(START + 3 * WEEK, 6)
    assert alert is not None and alert.observed == 6 and alert.expected < 1
    # with the minimum lowered, the same 3 is an alert
    state = StreamState(DetectorConfig.for_sensitivity("high", min_excess=1.0))
    detect(base, START, state=state)
    assert state.update(START + 3 * WEEK, 3) is not None


def test_sensitivity_changes_behaviour():
    base = series([10.0] * (3 * WEEK), seed=3)
    hits = {}
    for level in ("low", "normal", "high"):
        state = StreamState(DetectorConfig.for_sensitivity(level))
        detect(base, START, state=state)
        hits[level] = state.update(START + 3 * WEEK, 22)  # a moderate rise: p about 1e-3
    assert hits["low"] is None and hits["high"] is not None
    assert hits["high"].p_value < 1e-2


def test_incremental_with_stored_state_agrees_with_batch():
    streams, _ = synthetic.generate(n_streams=3, days=10, warmup_days=7, seed=9)
    for st in streams:
        batch = detect(st.counts, START, DetectorConfig())
        stored = StreamState(DetectorConfig()).to_dict()
        one_by_one = []
        for i, x in enumerate(st.counts):
            state = StreamState.from_dict(json.loads(json.dumps(stored)))  # as a worker would
            a = state.update(START + i, x)
            if a is not None:
                one_by_one.append(a)
            stored = state.to_dict()
        assert one_by_one == batch


def test_missing_buckets_count_as_zero_and_events_bucket_by_hour():
    counts = bucket_counts([(START * 3600 + 10, "a"), (START * 3600 + 20, "a"), (START * 3600 + 7300, "a"),
                            (START * 3600 + 5, "b")])
    assert counts == {"a": {START: 2, START + 2: 1}, "b": {START: 1}}
    assert densify(counts["a"], START, START + 3) == [2, 0, 1]
    sparse, dense = StreamState(), StreamState()
    sparse.update(START, 2)
    sparse.update(START + 2, 1)
    for i, x in enumerate([2, 0, 1]):
        dense.update(START + i, x)
    assert sparse.to_dict() == dense.to_dict()
    with pytest.raises(ValueError):
        sparse.update(START + 1, 4)


def test_gaussian_variant_flags_a_level_shift_both_ways():
    rng = random.Random(2)
    for sign in (1, -1):
        values = [100 + rng.gauss(0, 2) for _ in range(600)] + [100 + sign * 20 + rng.gauss(0, 2) for _ in range(20)]
        state = GaussianState(GaussianConfig(warmup=100))
        alerts = [a for i, x in enumerate(values) if (a := state.update(i, x))]
        assert alerts and 600 <= alerts[0].bucket <= 602


def test_small_synthetic_benchmark_meets_the_targets():
    streams, incidents = synthetic.generate(n_streams=20, days=14, warmup_days=14, seed=21)
    first_eval = 14 * 24
    alerts = [[a for a in detect(s.counts, 0, DetectorConfig())] for s in streams]
    sc = synthetic.score(streams, incidents, alerts, first_eval)
    assert sc.false_per_stream_week <= 1.0
    assert sc.delay_quantile(0.5) <= 2
    assert sc.recall >= 0.85
    lasting = [i for i in incidents if i.duration >= 3]
    found = sum(any(i.start <= a.bucket <= i.end for a in alerts[i.stream]) for i in lasting)
    assert found / len(lasting) >= 0.95


@pytest.mark.slow
def test_full_benchmark_runs(capsys):
    from bench.alerts.__main__ import main

    assert main(["--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "throughput: 1,000,000 events" in out
