"""Rise detector for message-count streams: a seasonal baseline and a negative-binomial CUSUM.

A *stream* is one series of counts per time bucket (hourly by default): inbound messages about
one product, one category, one channel, one region, or an external signal posted by a monitor.
For every bucket the detector

1. **predicts the expected count** ``mu`` from what the stream has done before:

   * an hour-of-day profile (exponentially weighted mean per hour over past days) times a
     day-of-week factor (exponentially weighted ratio of each weekday's total to the profile);
   * blended with the exponentially weighted mean of the same hour-of-week slot over past weeks
     (a weekday × hour interaction such as a Monday-morning peak), trusted more as weeks of that
     slot accumulate;
   * times a **level** factor, the ratio of the last day or so of observed to predicted counts,
     clamped, so slow drift and busy days are followed within hours;
   * never below a **floor** (quiet streams at night do not predict zero);

2. **accumulates evidence** of a rise with a **negative-binomial CUSUM**: each bucket adds the
   log-likelihood ratio of "risen by ``d`` messages a bucket" (``d`` = 2 × the stream's mean,
   at least ``min_excess``) against "at ``mu``", ``S = max(0, S + llr)``, under a negative
   binomial with mean ``mu`` and an overdispersion ``1/k`` estimated from the stream's own
   history by the method of moments (``E[(x - mu)^2 - x] = mu^2 / k``), which also soaks up
   the baseline's own error; with no overdispersion it is Poisson. A sharp spike crosses the
   threshold at once, a moderate sustained rise within a few buckets; ``S`` is capped at
   ``cusum_cap × h`` so it falls back soon after a long incident;

3. **flags** the bucket when ``S`` is above the stream's threshold ``h`` (from its
   *sensitivity*, see ``cusum_threshold``), the bucket is above ``mu`` **and** the excess
   since ``S`` left zero is at least ``min_excess`` messages (so a quiet stream going 0 → 2 is
   not an alert however improbable that is), after a warm-up. A flag within ``cooldown``
   buckets of the previous one joins the same alert episode (``opens=False``). The alert is
   explained by the most significant of the sums of the last 1, 2 and 4 buckets (its
   negative-binomial tail probability × 3, Bonferroni). ``test="windows"`` flags on that
   p-value instead (the detector before 2026-11-24);

4. **learns robustly**: the count it learns from is winsorised at ``mu + 3 sd``, so an incident
   does not teach the baseline that the incident is normal.

Why a count model rather than a change-point library: see ``docs/alerts.md``. In short: counts
of messages are small integers (0.2 an hour on a quiet stream), for which Gaussian change-point
costs are wrong exactly where it matters; the tail probability is an explainable number
("12 messages where 2.1 were expected, p = 3e-7") and the sensitivity is set as a probability;
the state is a few hundred floats per stream that the worker can store and update one bucket at
a time in microseconds; and it needs nothing beyond the standard library (numpy/scipy are not
dependencies of tanggap).

For real-valued series (the Numenta Anomaly Benchmark, latency, temperature), ``GaussianState``
applies the same idea with a robust Gaussian tail: a level plus seasonal offset as the baseline,
an exponentially weighted mean absolute deviation as the scale, and a two-sided tail.

Usage::

    cfg = DetectorConfig.for_sensitivity("normal")
    state = StreamState(cfg)                    # one per stream; state.to_dict() persists it
    alert = state.update(bucket, count)         # streaming: one bucket at a time
    alerts = detect(counts, start_bucket, cfg)  # batch: a whole series

Buckets are integers: ``bucket = epoch_seconds // bucket_seconds``. Seasonality is taken in the
business's local time (``utc_offset_hours``, default +7, Western Indonesia Time).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

# Sensitivity presets: the per-stream threshold on the (Bonferroni-adjusted) tail probability.
SENSITIVITY = {"low": 1e-4, "normal": 3e-3, "high": 1e-2}


@dataclass(frozen=True)
class DetectorConfig:
    """Per-stream settings. ``p_threshold`` is the sensitivity; the rest rarely need changing."""

    p_threshold: float = SENSITIVITY["normal"]
    min_excess: float = 3.0  # messages above expected (over the tested window) before an alert
    windows: tuple[int, ...] = (1, 2, 4)  # buckets summed for the tail test
    bucket_seconds: int = 3600
    utc_offset_hours: float = 7.0
    floor: float = 0.05  # minimum expected count per bucket
    warmup: int = 168  # buckets observed before any alert (a week of hours)
    cooldown: int = 6  # flags this close to the previous one join its alert episode
    alpha_hour: float = 0.15  # per-day weight of the hour-of-day profile
    alpha_week: float = 0.4  # per-week weight of the hour-of-week slot
    alpha_weekday: float = 0.3  # per-week weight of the weekday factor
    shrink_counts: float = 8.0  # messages of evidence at which a finer estimate gets half the weight
    level_buckets: float = 24.0  # time constant of the level factor
    level_pseudo: float = 20.0  # pseudo-counts shrinking the level factor towards 1 on quiet streams
    level_clamp: tuple[float, float] = (0.6, 1.8)
    dispersion_buckets: float = 336.0  # time constant of the overdispersion estimate
    min_inv_k: float = 0.01  # overdispersion never assumed below this (1/k)
    prior_inv_k: float = 0.05  # prior 1/k ...
    prior_weight: float = 50.0  # ... worth this much sum of squared expected counts
    winsor_sd: float = 3.0
    model: str = "negbin"  # or "poisson"
    test: str = "cusum"  # or "windows": the fixed 1/2/4-bucket tail test with Bonferroni (before 2026-11-24)
    cusum_shift: float = 2.0  # the rise the CUSUM is tuned to, × the stream's mean count (>= min_excess)
    cusum_h: float | None = None  # CUSUM decision threshold; None: from p_threshold (cusum_threshold)
    cusum_cap: float = 2.0  # the CUSUM never exceeds cap × h, so it falls back soon after an incident

    @classmethod
    def for_sensitivity(cls, level: str | float = "normal", **overrides) -> "DetectorConfig":
        threshold = SENSITIVITY[level] if isinstance(level, str) else float(level)
        return cls(p_threshold=threshold, **overrides)


# The CUSUM's decision threshold h (log-likelihood ratio) per sensitivity, piecewise linear in
# log10(p_threshold) between these anchors and extrapolated beyond them. Measured on the synthetic
# month (docs/alerts.md): ~0.05, ~0.7 and ~1.1 false alerts per stream per week.
CUSUM_H = ((-4.0, 8.0), (math.log10(SENSITIVITY["normal"]), 3.0), (-2.0, 2.5))
_H_CACHE: dict = {}


def cusum_threshold(p_threshold: float) -> float:
    """The CUSUM threshold h for a sensitivity given as a probability (smaller p, larger h)."""
    h = _H_CACHE.get(p_threshold)
    if h is None:
        lp = math.log10(max(p_threshold, 1e-300))
        (x0, y0), (x1, y1) = (CUSUM_H[0], CUSUM_H[1]) if lp < CUSUM_H[1][0] else (CUSUM_H[1], CUSUM_H[2])
        h = max(0.5, y0 + (y1 - y0) * (lp - x0) / (x1 - x0))
        _H_CACHE[p_threshold] = h
    return h


@dataclass(frozen=True)
class Alert:
    """One flagged bucket. ``opens`` is False when it joins the previous alert's episode."""

    bucket: int
    observed: int
    expected: float
    p_value: float  # Bonferroni-adjusted smallest tail probability over the windows (the explanation)
    window: int  # buckets summed in the most significant window
    window_observed: int
    window_expected: float
    opens: bool

    @property
    def score(self) -> float:
        """-log10(p): 4 means one in ten thousand."""
        return -math.log10(max(self.p_value, 1e-300))


# --- tail probabilities -------------------------------------------------------------------------


def poisson_sf(x: int, mu: float) -> float:
    """P(X >= x) for X ~ Poisson(mu), summed upward from x (accurate deep in the tail)."""
    if x <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if x <= mu:  # not a rise; the exact value does not matter to the detector
        return _poisson_sf_low(x, mu)
    term = math.exp(x * math.log(mu) - mu - math.lgamma(x + 1))
    total = term
    j = x
    while True:
        j += 1
        ratio = mu / j
        term *= ratio
        total += term
        if ratio < 1 and term * ratio / (1 - ratio) < 1e-12 * total:
            return min(total, 1.0)


def _poisson_sf_low(x: int, mu: float) -> float:
    cdf = 0.0
    term = math.exp(-mu)
    for j in range(x):
        cdf += term
        term *= mu / (j + 1)
    return max(0.0, 1.0 - cdf)


def negbin_sf(x: int, mu: float, k: float) -> float:
    """P(X >= x) for a negative binomial with mean mu and size k (variance mu + mu^2/k)."""
    if x <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if k > 1e8:
        return poisson_sf(x, mu)
    q = mu / (k + mu)
    if x <= mu:
        cdf = 0.0
        term = math.exp(k * math.log(k / (k + mu)))
        for j in range(x):
            cdf += term
            term *= (j + k) / (j + 1) * q
        return max(0.0, 1.0 - cdf)
    logterm = (math.lgamma(x + k) - math.lgamma(k) - math.lgamma(x + 1)
               + k * math.log(k / (k + mu)) + x * math.log(q))
    term = math.exp(logterm)
    total = term
    j = x
    for _ in range(100_000):
        ratio = (j + k) / (j + 1) * q
        j += 1
        term *= ratio
        total += term
        # For k >= 1 the ratio falls towards q < 1, so the rest is bounded by a geometric series.
        if ratio < 1 and term * ratio / (1 - ratio) < 1e-12 * total:
            break
    return min(total, 1.0)


def normal_sf(z: float) -> float:
    """P(Z >= z) for a standard normal."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


# --- the count detector -------------------------------------------------------------------------


def slot_of(bucket: int, config: DetectorConfig) -> tuple[int, int, int]:
    """(day number, weekday 0=Monday, hour) of a bucket's start in the business's local time."""
    local = bucket * config.bucket_seconds + int(config.utc_offset_hours * 3600)
    day = local // 86400
    return day, (day + 3) % 7, (local % 86400) // 3600  # 1970-01-01 was a Thursday


@dataclass
class StreamState:
    """The detector's memory for one stream; ``update`` feeds it one bucket."""

    config: DetectorConfig = field(default_factory=DetectorConfig)
    hod: list = field(default_factory=lambda: [0.0] * 24)
    hod_n: list = field(default_factory=lambda: [0] * 24)
    how: list = field(default_factory=lambda: [0.0] * 168)
    how_n: list = field(default_factory=lambda: [0] * 168)
    dow: list = field(default_factory=lambda: [1.0] * 7)
    dow_n: list = field(default_factory=lambda: [0] * 7)
    day: int | None = None
    day_obs: float = 0.0
    day_exp: float = 0.0
    day_buckets: int = 0
    lvl_obs: float = 0.0
    lvl_exp: float = 0.0
    disp_num: float = 0.0
    disp_den: float = 0.0
    cs: float = 0.0  # the CUSUM statistic (log-likelihood ratio of "risen by the shift" vs "normal")
    cs_excess: float = 0.0  # observed - expected since the CUSUM last left zero
    n: int = 0
    total: float = 0.0
    last_bucket: int | None = None
    last_flag: int | None = None
    recent: deque = field(default_factory=deque)  # (observed, expected) of the last buckets

    # -- persistence (the worker stores this between buckets) --

    def to_dict(self) -> dict:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("config", "recent")}
        data["recent"] = [list(r) for r in self.recent]
        data["config"] = asdict(self.config)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "StreamState":
        data = dict(data)
        cfg = data.pop("config")
        cfg = DetectorConfig(**{**cfg, "windows": tuple(cfg["windows"]), "level_clamp": tuple(cfg["level_clamp"])})
        recent = deque(tuple(r) for r in data.pop("recent"))
        return cls(config=cfg, recent=recent, **{k: (list(v) if isinstance(v, list) else v) for k, v in data.items()})

    # -- the model --

    def expected(self, bucket: int) -> float:
        """The baseline for a bucket, before observing it."""
        return self._predict(bucket)[0]

    def _predict(self, bucket: int):
        c = self.config
        day, wd, h = slot_of(bucket, c)
        mean_all = self.total / self.n if self.n else 0.0
        # Each finer estimate is trusted by the number of messages behind it, so a quiet
        # stream leans on its overall mean and a busy one on its hour-of-week slots.
        nh = self.hod_n[h]
        if nh:
            info = min(nh, 1.0 / c.alpha_hour) * max(self.hod[h], mean_all)
            w = info / (info + c.shrink_counts)
            hod_val = w * self.hod[h] + (1 - w) * mean_all
        else:
            hod_val = mean_all
        base = hod_val * self.dow[wd]
        s = wd * 24 + h
        nw = self.how_n[s]
        if nw:
            info = min(nw, 4) * max(self.how[s], base)
            w = info / (info + c.shrink_counts)
            base = w * self.how[s] + (1 - w) * base
        lo, hi = c.level_clamp
        level = (self.lvl_obs + c.level_pseudo) / (self.lvl_exp + c.level_pseudo)
        level = lo if level < lo else hi if level > hi else level
        mu = base * level
        if mu < c.floor:
            mu = c.floor
        return mu, base, hod_val, day, wd, h, s

    def inv_k(self) -> float:
        """Current overdispersion estimate 1/k (0 would be Poisson)."""
        c = self.config
        if c.model == "poisson":
            return 0.0
        # shrunk towards a prior: on a quiet stream a handful of counts says little about 1/k
        est = (self.disp_num + c.prior_inv_k * c.prior_weight) / (self.disp_den + c.prior_weight)
        return est if est > c.min_inv_k else c.min_inv_k

    def update(self, bucket: int, observed: int) -> Alert | None:
        """Feed the count of one bucket. Missing buckets since the last one are fed as zeros."""
        if self.last_bucket is not None and bucket > self.last_bucket + 1:
            for b in range(self.last_bucket + 1, bucket):
                self._step(b, 0)
        elif self.last_bucket is not None and bucket <= self.last_bucket:
            raise ValueError(f"bucket {bucket} is not after {self.last_bucket}")
        return self._step(bucket, observed)

    def _step(self, bucket: int, x: int) -> Alert | None:
        c = self.config
        mu, base, hod_val, day, wd, h, s = self._predict(bucket)
        inv_k = self.inv_k()
        alert = None
        recent = self.recent
        # --- test
        if c.test == "cusum":
            if self.n >= c.warmup and (self.cs > 0.0 or x > mu):
                alert = self._cusum(bucket, x, mu, inv_k)
        # the fixed-window test (cheap rejections first: most buckets are not a rise)
        elif self.n >= c.warmup and x - mu > 0:
            best_p, best = 1.0, None
            wx, wm, wm2 = x, mu, mu * mu
            prev = len(recent)
            i = 0
            for w in c.windows:
                while i < w - 1 and i < prev:
                    ox, om = recent[prev - 1 - i]
                    wx += ox
                    wm += om
                    wm2 += om * om
                    i += 1
                if i < w - 1:
                    break
                excess = wx - wm
                if excess < c.min_excess or x - mu < c.min_excess / w:
                    continue
                if inv_k > 0:
                    var = wm + inv_k * wm2
                    if (excess * excess) < 4.0 * var:  # under 2 sd: far from any threshold
                        continue
                    p = negbin_sf(int(wx), wm, wm * wm / (inv_k * wm2))
                else:
                    if excess * excess < 4.0 * wm:
                        continue
                    p = poisson_sf(int(wx), wm)
                if p < best_p:
                    best_p, best = p, (w, wx, wm)
            if best is not None:
                p_adj = min(1.0, best_p * len(c.windows))
                if p_adj < c.p_threshold:
                    opens = self.last_flag is None or bucket - self.last_flag > c.cooldown
                    self.last_flag = bucket
                    alert = Alert(bucket, x, mu, p_adj, best[0], int(best[1]), best[2], opens)
        # --- learn, from a winsorised count
        # (not in the first two days: the baseline does not exist yet)
        cap = mu + c.winsor_sd * math.sqrt(mu + inv_k * mu * mu)
        xc = x if x < cap or self.n < 48 else cap
        if self.day != day:
            if self.day is not None and self.day_buckets * c.bucket_seconds >= 86400 * 0.75:
                ratio = (self.day_obs + c.level_pseudo) / (self.day_exp + c.level_pseudo)
                pwd = (self.day + 3) % 7
                a = c.alpha_weekday if self.dow_n[pwd] else 1.0
                self.dow[pwd] += a * (ratio - self.dow[pwd])
                self.dow_n[pwd] += 1
            self.day, self.day_obs, self.day_exp, self.day_buckets = day, 0.0, 0.0, 0
        self.day_obs += xc
        self.day_exp += hod_val
        self.day_buckets += 1
        # several buckets per hour (e.g. 5-minute data) share one slot: scale the weights
        per_hour = max(1.0, 3600 / c.bucket_seconds)
        a = c.alpha_hour / per_hour if self.hod_n[h] else 1.0
        self.hod[h] += a * (xc - self.hod[h])
        self.hod_n[h] += 1
        a = max(c.alpha_week / per_hour, 1.0 / (self.how_n[s] + 1))
        self.how[s] += a * (xc - self.how[s])
        self.how_n[s] += 1
        d = 1.0 - 1.0 / c.level_buckets
        self.lvl_obs = d * self.lvl_obs + xc
        self.lvl_exp = d * self.lvl_exp + base
        d = 1.0 - 1.0 / c.dispersion_buckets
        r = xc - mu
        self.disp_num = d * self.disp_num + (r * r - xc)
        self.disp_den = d * self.disp_den + mu * mu
        self.n += 1
        self.total += xc
        recent.append((x, mu))
        if len(recent) >= max(c.windows):
            recent.popleft()
        self.last_bucket = bucket
        return alert

    def _cusum(self, bucket: int, x: int, mu: float, inv_k: float) -> Alert | None:
        """One step of a negative-binomial CUSUM for a rise of ``d`` messages a bucket:
        S = max(0, S + log P(x | mu + d) / P(x | mu)), flag while S > h. Evidence accumulates
        over as many buckets as the rise lasts, weighted by how informative each bucket is (a
        quiet night hour says more about an extra ``d`` than a busy noon), so there is no fixed
        set of windows to correct for. (With S at zero a count at or below ``mu`` has a
        negative log-likelihood ratio, so the caller skips those.)"""
        c = self.config
        d = c.cusum_shift * self.total / self.n
        if d < c.min_excess:
            d = c.min_excess
        if inv_k > 0:
            kk = 1.0 / inv_k
            llr = x * math.log((mu + d) / mu) + (kk + x) * math.log((kk + mu) / (kk + mu + d))
        else:
            llr = x * math.log((mu + d) / mu) - d
        S = self.cs + llr
        if S <= 0.0:
            self.cs = self.cs_excess = 0.0
            return None
        h = c.cusum_h if c.cusum_h is not None else cusum_threshold(c.p_threshold)
        cap = c.cusum_cap * h
        self.cs = S if S < cap else cap
        self.cs_excess += x - mu
        if S <= h or x <= mu or self.cs_excess < c.min_excess:
            return None
        opens = self.last_flag is None or bucket - self.last_flag > c.cooldown
        self.last_flag = bucket
        p, w, wx, wm = self._explain(x, mu, inv_k)
        return Alert(bucket, x, mu, p, w, wx, wm, opens)

    def _explain(self, x: int, mu: float, inv_k: float) -> tuple[float, int, int, float]:
        """The most significant of the last 1, 2, 4 buckets' sums, for the alert's wording:
        (Bonferroni-adjusted tail probability, window, observed, expected)."""
        c = self.config
        recent = self.recent
        best = (1.0, 1, x, mu)
        wx, wm, wm2 = x, mu, mu * mu
        prev = len(recent)
        i = 0
        for w in c.windows:
            while i < w - 1 and i < prev:
                ox, om = recent[prev - 1 - i]
                wx, wm, wm2 = wx + ox, wm + om, wm2 + om * om
                i += 1
            if i < w - 1:
                break
            if wx <= wm:
                continue
            p = negbin_sf(int(wx), wm, wm * wm / (inv_k * wm2)) if inv_k > 0 else poisson_sf(int(wx), wm)
            if p < best[0]:
                best = (p, w, int(wx), wm)
        return (min(1.0, best[0] * len(c.windows)),) + best[1:]


def detect(counts: Sequence[int], start_bucket: int, config: DetectorConfig | None = None,
           state: StreamState | None = None) -> list[Alert]:
    """Batch path: run a whole dense series (one count per consecutive bucket from
    ``start_bucket``) and return its alerts. Pass ``state`` to continue a stream."""
    st = state or StreamState(config or DetectorConfig())
    step = st._step
    out = []
    append = out.append
    b = start_bucket
    if st.last_bucket is not None and b <= st.last_bucket:
        raise ValueError(f"bucket {b} is not after {st.last_bucket}")
    for x in counts:
        a = step(b, x)
        if a is not None:
            append(a)
        b += 1
    return out


def bucket_counts(events: Iterable[tuple[float, object]], bucket_seconds: int = 3600) -> dict:
    """Count events ``(epoch_seconds, stream_key)`` per stream and bucket:
    ``{stream_key: {bucket: count}}``."""
    counts: dict = {}
    for ts, key in events:
        b = int(ts // bucket_seconds)
        per = counts.get(key)
        if per is None:
            counts[key] = per = {}
        per[b] = per.get(b, 0) + 1
    return counts


def densify(per_bucket: dict, start: int, end: int) -> list[int]:
    """Counts for buckets start..end-1, zeros where nothing arrived."""
    get = per_bucket.get
    return [get(b, 0) for b in range(start, end)]


# --- the Gaussian variant for real-valued series ------------------------------------------------


@dataclass(frozen=True)
class GaussianConfig:
    """Settings of the robust Gaussian variant (real-valued series, rises and falls)."""

    p_threshold: float = 1e-4
    windows: tuple[int, ...] = (1, 3)
    two_sided: bool = True
    warmup: int = 150
    cooldown: int = 72
    alpha_level: float = 0.05
    alpha_scale: float = 0.02
    alpha_season: float = 0.1
    season_period: int = 0  # points per seasonal cycle (0: no seasonal term)
    winsor_sd: float = 4.0
    min_rel_change: float = 0.0  # minimum |x - mu| relative to |mu|


@dataclass
class GaussianState:
    """Level + optional seasonal offset; robust scale; two-sided normal tail on 1..w averages."""

    config: GaussianConfig = field(default_factory=GaussianConfig)
    level: float | None = None
    scale: float = 0.0
    season: list = field(default_factory=list)
    n: int = 0
    last_flag: int | None = None
    recent: deque = field(default_factory=deque)  # standardised residuals

    def update(self, i: int, x: float, slot: int | None = None) -> Alert | None:
        """Feed point ``i``; ``slot`` is its seasonal slot (default ``i % season_period``)."""
        c = self.config
        if c.season_period:
            slot = (i if slot is None else slot) % c.season_period
        if self.level is None:
            self.level, self.n = x, 1
            self.season = [0.0] * c.season_period
            return None
        s = self.season[slot] if c.season_period else 0.0
        mu = self.level + s
        r = x - mu
        scale = self.scale if self.scale > 0 else abs(r) or 1e-9
        sd = 1.2533 * scale  # mean absolute deviation → standard deviation for a normal
        z = r / (sd if sd > 0 else 1e-9)
        alert = None
        if self.n >= c.warmup:
            best_p, best_w = 1.0, 1
            zs = z
            recent = self.recent
            m = len(recent)
            for w in c.windows:
                if w > m + 1:
                    break
                zsum = z + sum(recent[m - j] for j in range(1, w))
                zw = zsum / math.sqrt(w)
                if c.two_sided:
                    p = 2 * normal_sf(abs(zw)) if zw * z > 0 else 1.0
                else:
                    p = normal_sf(zw)
                if p < best_p:
                    best_p, best_w, zs = p, w, zw
            p_adj = min(1.0, best_p * len(c.windows))
            big_enough = abs(r) >= c.min_rel_change * abs(mu)
            if p_adj < c.p_threshold and big_enough:
                opens = self.last_flag is None or i - self.last_flag > c.cooldown
                self.last_flag = i
                alert = Alert(i, x, mu, p_adj, best_w, x, mu, opens)
        lim = c.winsor_sd * sd
        rc = max(-lim, min(lim, r)) if self.n > 10 else r
        if c.season_period:
            j = slot
            self.season[j] += c.alpha_season * (mu + rc - self.level - self.season[j])
        self.level += c.alpha_level * rc
        a = c.alpha_scale if self.n > 10 else 1.0 / (self.n + 1)
        self.scale += a * (abs(rc) - self.scale)
        self.recent.append(max(-8.0, min(8.0, z)))
        if len(self.recent) >= max(c.windows):
            self.recent.popleft()
        self.n += 1
        return alert


__all__ = ["Alert", "CUSUM_H", "DetectorConfig", "GaussianConfig", "GaussianState", "SENSITIVITY", "StreamState",
           "bucket_counts", "cusum_threshold", "densify", "detect", "negbin_sf", "normal_sf", "poisson_sf", "slot_of"]
