"""The CUSUM trigger: thresholds per sensitivity, old stored states, sustained rises, explanations."""

from __future__ import annotations

import json
import math
import random

from bench.alerts import synthetic
from tanggap.alerts.detector import CUSUM_H, SENSITIVITY, DetectorConfig, StreamState, cusum_threshold, detect

START = synthetic.START_BUCKET
WEEK = 168


def series(rates, seed=1):
    rng = random.Random(seed)
    return [synthetic._poisson(rng, r) for r in rates]


def test_threshold_follows_the_sensitivity():
    low, normal, high = (cusum_threshold(SENSITIVITY[k]) for k in ("low", "normal", "high"))
    assert (low, normal, high) == (CUSUM_H[0][1], CUSUM_H[1][1], CUSUM_H[2][1])
    assert low > cusum_threshold(1e-3) > normal > high > cusum_threshold(0.05) >= 0.5
    # an explicit h wins over the sensitivity
    state = StreamState(DetectorConfig.for_sensitivity("high", cusum_h=50.0))
    counts = series([5.0] * (2 * WEEK) + [15.0] * 6, seed=4)
    assert [a for a in detect(counts, START, state=state) if a.bucket - START >= 2 * WEEK] == []


def test_a_state_stored_before_the_cusum_loads_and_runs():
    counts = series([4.0] * (2 * WEEK), seed=2)
    state = StreamState(DetectorConfig())
    detect(counts, START, state=state)
    old = json.loads(json.dumps(state.to_dict()))
    for key in ("cs", "cs_excess"):
        del old[key]
    for key in ("test", "cusum_shift", "cusum_h", "cusum_cap"):
        del old["config"][key]
    loaded = StreamState.from_dict(old)
    assert loaded.config.test == "cusum" and loaded.cs == 0.0
    loaded.update(START + 2 * WEEK, 4)
    assert json.loads(json.dumps(loaded.to_dict()))["cs"] >= 0.0


def test_windows_test_is_still_available():
    counts = series([8.0] * (3 * WEEK) + [30.0] * 3, seed=7)
    for test in ("windows", "cusum"):
        alerts = [a for a in detect(counts, START, DetectorConfig(test=test)) if a.bucket - START >= 3 * WEEK]
        assert alerts and alerts[0].bucket - START <= 3 * WEEK + 1, test


def test_a_rise_of_twice_the_mean_is_caught_within_two_buckets_and_no_later_than_by_windows():
    # the bench's incident shape: +2x the stream's mean, the first hour at half strength
    rates = [10.0] * (3 * WEEK) + [20.0, 30.0, 30.0]
    delays = {"cusum": [], "windows": []}
    for seed in range(20):
        counts = series(rates, seed=100 + seed)
        for test, out in delays.items():
            alerts = [a for a in detect(counts, START, DetectorConfig(test=test)) if a.bucket - START >= 3 * WEEK]
            out.append(alerts[0].bucket - START - 3 * WEEK if alerts else 99)
    assert max(delays["cusum"]) <= 2
    assert sum(delays["cusum"]) <= sum(delays["windows"])


def test_the_alert_explains_itself_with_the_recent_window():
    counts = series([3.0] * (2 * WEEK), seed=3) + [14, 16]
    alerts = [a for a in detect(counts, START, DetectorConfig()) if a.bucket - START >= 2 * WEEK]
    assert alerts
    a = alerts[0]
    # the p-value of the most significant recent window, Bonferroni-adjusted (the flag is the CUSUM's)
    assert a.window in (1, 2, 4) and a.window_observed >= a.observed and a.p_value < 0.05
    assert a.window_observed - a.window_expected >= 3 and math.isfinite(a.score)


def test_the_cusum_falls_back_soon_after_a_long_incident():
    # a day-long incident must not leave the statistic high enough to alert on the next ordinary hours
    rates = [10.0] * (3 * WEEK) + [30.0] * 24 + [10.0] * 48
    counts = series(rates, seed=12)
    state = StreamState(DetectorConfig())
    alerts = detect(counts, START, state=state)
    after = [a for a in alerts if a.bucket - START >= 3 * WEEK + 24 + 6 and a.opens]
    assert after == []
    assert state.cs <= state.config.cusum_cap * cusum_threshold(state.config.p_threshold)
