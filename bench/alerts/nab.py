"""Run the detector on a folder laid out like the Numenta Anomaly Benchmark and score it.

Layout (``../shared/corpora/nab`` or any folder like it)::

    data/<category>/<series>.csv      header ``timestamp,value``
    labels/combined_windows.json      {"<category>/<series>.csv": [[start, end], ...]}

NAB's series are real values (latency, temperature, CPU, taxi passengers, traffic speed), not
counts, so the count model does not apply as such. The detector's Gaussian variant
(``GaussianState``) keeps the same baseline-and-tail idea: an exponentially weighted level plus
a time-of-day offset, a robust scale (mean absolute deviation), and a two-sided normal tail on
the last 1 and 3 standardised residuals; an alert opens when the adjusted tail probability is
below the threshold, at most once a day per series (later flags join it). Nothing is tuned per
series: the warm-up is NAB's own probationary period (15 % of the rows, at most 750), the
seasonal slot is the time of day at the series' median sampling interval.

Scoring, written from NAB's published rules (Lavin & Ahmad 2015; ``nab/sweeper.py``):

* event level: a window is found when an alert opens inside it; precision is the share of
  alerts (outside the probationary period) that open inside some window;
* NAB score, standard profile (TP weight 1, FP 0.11, FN 1): the first detection in a window
  earns ``S(y)/S(-1)`` with ``S(y) = 2/(1 + e^{5y}) − 1`` and ``y = −(right − i + 1)/width``;
  a detection outside windows costs ``0.11 × S(distance past the previous window / its width)``
  (−0.11 before any window); an unfound window costs 1. Normalised as NAB does:
  ``100 × (raw − null)/(perfect − null)`` with null = every window missed and perfect = every
  window found at its first row. Published figures (all 58 series): Numenta HTM 70.5, Twitter
  ADVec 47.1, random 11.0; these 20 series are a subset, so the comparison is indicative.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tanggap.alerts.detector import GaussianConfig, GaussianState

PROFILES = {
    "standard": {"tp": 1.0, "fp": 0.11, "fn": 1.0},
    "reward_low_FP_rate": {"tp": 1.0, "fp": 0.22, "fn": 1.0},
    "reward_low_FN_rate": {"tp": 1.0, "fp": 0.11, "fn": 2.0},
}


def _ts(text: str) -> float:
    return datetime.fromisoformat(text.strip()).timestamp()


def load(folder: Path):
    windows = json.loads((folder / "labels" / "combined_windows.json").read_text())
    for name in sorted(windows):
        path = folder / "data" / name
        if not path.exists():
            continue
        times, values = [], []
        with path.open() as f:
            for row in csv.DictReader(f):
                times.append(_ts(row["timestamp"]))
                values.append(float(row["value"]))
        yield name, times, values, [(_ts(a), _ts(b)) for a, b in windows[name]]


def probation(n: int) -> int:
    return int(min(math.floor(0.15 * n), 0.15 * 5000))


def detect_series(times, values, p_threshold: float = 1e-4) -> list[int]:
    """Indices where an alert opens."""
    n = len(times)
    steps = sorted(b - a for a, b in zip(times, times[1:]))
    dt = max(steps[len(steps) // 2], 1.0) if steps else 300.0
    per_day = max(1, round(86400 / dt))
    span_days = (times[-1] - times[0]) / 86400 if n else 0
    period = per_day if span_days >= 3 and per_day >= 4 else 0
    cfg = GaussianConfig(p_threshold=p_threshold, warmup=probation(n), cooldown=per_day, season_period=period)
    st = GaussianState(cfg)
    out = []
    for i, (t, x) in enumerate(zip(times, values)):
        slot = int((t % 86400) // dt) if period else None
        a = st.update(i, x, slot)
        if a is not None and a.opens:
            out.append(i)
    return out


def _scaled_sigmoid(y: float) -> float:
    return -1.0 if y >= 3.0 else 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


@dataclass
class SeriesResult:
    name: str
    rows: int
    windows: int
    found: int
    detections: int
    true_detections: int
    raw: dict  # profile -> raw score
    scored_windows: int


def score_series(name, times, detections, windows) -> SeriesResult:
    n = len(times)
    prob = probation(n)
    index = {t: i for i, t in enumerate(times)}
    spans = []
    for a, b in windows:
        left = index.get(a, next((i for i, t in enumerate(times) if t >= a), n - 1))
        right = index.get(b, max((i for i, t in enumerate(times) if t <= b), default=0))
        spans.append((left, right))
    det = set(detections)
    found = sum(1 for left, right in spans if any(left <= i <= right for i in det))
    true_det = sum(1 for i in detections if any(left <= i <= right for left, right in spans))
    scored = [(l, r) for l, r in spans if r >= prob]  # windows that are not wholly probationary
    raw = {}
    max_tp = _scaled_sigmoid(-1.0)
    for profile, w in PROFILES.items():
        total = 0.0
        for left, right in scored:
            hits = [i for i in detections if left <= i <= right and i >= prob]
            if hits:
                width = right - left + 1
                total += w["tp"] * _scaled_sigmoid(-(right - hits[0] + 1) / width) / max_tp
            else:
                total -= w["fn"]
        for i in detections:
            if i < prob or any(l <= i <= r for l, r in spans):
                continue
            before = [(l, r) for l, r in spans if r < i]
            if before:
                l, r = before[-1]
                y = abs(r - i) / max(r - l, 1)
                total += w["fp"] * _scaled_sigmoid(y)
            else:
                total -= w["fp"]
        raw[profile] = total
    return SeriesResult(name, n, len(spans), found, len([i for i in detections if i >= prob]), true_det, raw, len(scored))


def run(folder: Path, p_threshold: float = 1e-4):
    results = []
    for name, times, values, windows in load(folder):
        results.append(score_series(name, times, detect_series(times, values, p_threshold), windows))
    return results


def normalised(results, profile: str = "standard") -> float:
    w = PROFILES[profile]
    n_windows = sum(r.scored_windows for r in results)
    raw = sum(r.raw[profile] for r in results)
    null, perfect = -w["fn"] * n_windows, w["tp"] * n_windows
    return 100.0 * (raw - null) / (perfect - null) if n_windows else float("nan")
