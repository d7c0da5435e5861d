"""A seeded synthetic month of inbound messages with injected incidents, and its scoring.

Streams look like tanggap's signals: ``product:…``, ``category:…``, ``channel:…``, ``region:…``.
Each has an average hourly volume (log-uniform from quiet, about 0.2/h, to busy, about 60/h),
an hour-of-day profile (quiet nights, a late-morning and an evening peak, shifted a little per
stream), weekday factors with a Monday-morning peak of its own (a weekday × hour interaction),
a slow drift, a random day-to-day level (lognormal, sd 0.1) and negative-binomial noise
(dispersion k from 8 to 60, i.e. up to several times the Poisson variance on busy streams).

Incidents (1–2 per stream in the evaluated month, none in the warm-up) add a flat excess of
``size × the stream's average hourly volume`` messages per bucket (at least 3 a bucket), with
``size`` log-uniform between 1 and 4, for 2 to 24 buckets; the first bucket gets half the excess
(an incident builds up). Sizes are reported in classes so recall can be read per class.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from tanggap.alerts.detector import Alert, negbin_sf

HOUR = 3600
# 2026-03-02 00:00 WIB (UTC+7, a Monday): the first bucket of the warm-up, in hours since the epoch.
START_BUCKET = 492329
DIMENSIONS = {
    "product": [f"sku-{i:03d}" for i in range(1, 41)],
    "category": ["delivery", "refund", "defect", "payment", "account", "size-exchange", "promo"],
    "channel": ["whatsapp", "email", "instagram", "portal", "tokopedia-chat"],
    "region": ["jakarta", "bandung", "surabaya", "medan", "makassar", "denpasar", "kuala-lumpur"],
}


@dataclass
class Incident:
    stream: int
    start: int  # bucket index relative to the series start
    duration: int
    size: float  # excess as a multiple of the stream's average hourly volume
    excess: float  # messages per bucket added

    @property
    def end(self) -> int:
        return self.start + self.duration - 1

    @property
    def size_class(self) -> str:
        return "small (1-1.7x)" if self.size < 1.7 else "medium (1.7-2.6x)" if self.size < 2.6 else "large (2.6-4x)"


@dataclass
class Stream:
    key: str
    rate: float  # average messages per hour
    k: float  # negative-binomial size (dispersion)
    counts: list = field(default_factory=list)
    truth: list = field(default_factory=list)  # expected count per bucket without incidents


def _poisson(rng: random.Random, lam: float) -> int:
    """Exact Poisson sample (Knuth, in chunks of at most 20 for large means)."""
    n = 0
    while lam > 0:
        part = lam if lam < 20 else 20.0
        lam -= part
        limit, p = math.exp(-part), rng.random()
        while p > limit:
            n += 1
            p *= rng.random()
    return n


def _profile(rng: random.Random):
    shift = rng.uniform(-1.5, 1.5)
    evening = rng.uniform(0.6, 1.2)
    raw = []
    for h in range(24):
        x = 0.12 + math.exp(-((h - 10.5 - shift) ** 2) / 8) + evening * math.exp(-((h - 20 - shift) ** 2) / 6)
        raw.append(x)
    m = sum(raw) / 24
    weekday = [1.25, 1.1, 1.0, 1.0, 1.05, 0.8, 0.7]
    weekday = [w * rng.uniform(0.93, 1.07) for w in weekday]
    wm = sum(weekday) / 7
    return [x / m for x in raw], [w / wm for w in weekday], rng.uniform(1.3, 1.8)


def generate(n_streams: int = 60, days: int = 30, warmup_days: int = 14, seed: int = 4,
             incidents_per_stream: tuple[int, int] = (1, 2), k_range: tuple[float, float] = (15.0, 100.0),
             day_sd: float = 0.12) -> tuple[list[Stream], list[Incident]]:
    """Streams of hourly counts for ``warmup_days + days`` days and the incidents injected in
    the last ``days`` (the evaluated month)."""
    rng = random.Random(seed)
    keys = [f"{dim}:{v}" for dim, values in DIMENSIONS.items() for v in values]
    rng.shuffle(keys)
    n_buckets = (warmup_days + days) * 24
    first_eval = warmup_days * 24
    streams, incidents = [], []
    for i in range(n_streams):
        key = keys[i % len(keys)] + ("" if i < len(keys) else f"#{i // len(keys)}")
        if i % 10 == 0:
            rate = rng.uniform(0.15, 0.3)  # explicitly quiet
        elif i % 10 == 1:
            rate = rng.uniform(40, 60)  # explicitly busy
        else:
            rate = math.exp(rng.uniform(math.log(0.2), math.log(60)))
        k = math.exp(rng.uniform(math.log(k_range[0]), math.log(k_range[1])))
        st = Stream(key, rate, k)
        hod, dow, monday_peak = _profile(rng)
        drift = rng.uniform(-0.25, 0.25)
        day_level = 1.0
        for b in range(n_buckets):
            local_h = b % 24
            day = b // 24
            wd = day % 7  # the series starts on a Monday
            if local_h == 0 or b == 0:
                day_level = math.exp(rng.gauss(0, day_sd))
            mu = rate * hod[local_h] * dow[wd] * day_level * (1 + drift * b / n_buckets)
            if wd == 0 and 8 <= local_h <= 11:
                mu *= monday_peak
            st.truth.append(mu)
        streams.append(st)
        for _ in range(rng.randint(*incidents_per_stream)):
            # durations that fit in the scored period (all of them from 2 days up)
            fits = [d for d in (2, 3, 4, 6, 8, 12, 24) if n_buckets - d - 6 > first_eval + 2]
            for _attempt in range(50):
                duration = rng.choice(fits)
                start = rng.randrange(first_eval + 2, n_buckets - duration - 6)
                if all(start > o.end + 24 or start + duration + 24 < o.start
                       for o in incidents if o.stream == i):
                    break
            size = math.exp(rng.uniform(0.0, math.log(4.0)))
            excess = max(3.0, size * rate)
            incidents.append(Incident(i, start, duration, size, excess))
    for inc in incidents:
        st = streams[inc.stream]
        for j in range(inc.duration):
            st.truth[inc.start + j] += inc.excess * (0.5 if j == 0 else 1.0)
    for st in streams:
        counts = []
        for mu in st.truth:
            lam = rng.gammavariate(st.k, mu / st.k) if mu > 0 else 0.0
            counts.append(_poisson(rng, lam))
        st.counts = counts
    return streams, incidents


def events_of(streams: list[Stream], seed: int = 5, limit: int | None = None) -> list[tuple[float, str]]:
    """Messages as ``(epoch_seconds, stream_key)`` in time order, spread within their hour."""
    rng = random.Random(seed)
    n_buckets = len(streams[0].counts)
    out = []
    rand = rng.random
    for b in range(n_buckets):
        t0 = (START_BUCKET + b) * HOUR
        batch = []
        for st in streams:
            c = st.counts[b]
            if c:
                key = st.key
                batch.extend((t0 + HOUR * rand(), key) for _ in range(c))
        batch.sort()
        out.extend(batch)
        if limit and len(out) >= limit:
            return out[:limit]
    return out


@dataclass
class Score:
    incidents: int
    detected: int
    delays: list
    false_alerts: int
    stream_weeks: float
    by_class: dict
    alerts: int

    @property
    def recall(self) -> float:
        return self.detected / self.incidents if self.incidents else 1.0

    @property
    def false_per_stream_week(self) -> float:
        return self.false_alerts / self.stream_weeks

    def delay_quantile(self, q: float) -> float:
        d = sorted(self.delays)
        if not d:
            return float("nan")
        return d[min(len(d) - 1, int(math.ceil(q * len(d))) - 1)]


def score(streams: list[Stream], incidents: list[Incident], alerts_by_stream: list[list[Alert]],
          first_eval: int, grace: int = 3) -> Score:
    """Recall over incidents (an alert on the stream between its first and last bucket), delay
    (first such alert − first incident bucket; 0 = caught in the incident's first bucket), and
    false alerts: alert episodes (``opens``) in the evaluated period that start outside every
    incident's [start, end + grace]."""
    detected, delays, false = 0, [], 0
    by_class: dict = {}
    per_stream: dict = {}
    for inc in incidents:
        per_stream.setdefault(inc.stream, []).append(inc)
    for inc in incidents:
        hits = [a.bucket for a in alerts_by_stream[inc.stream] if inc.start <= a.bucket <= inc.end]
        cls = by_class.setdefault(inc.size_class, [0, 0])
        cls[1] += 1
        if hits:
            detected += 1
            cls[0] += 1
            delays.append(min(hits) - inc.start)
    n_alerts = 0
    for i, alerts in enumerate(alerts_by_stream):
        for a in alerts:
            if a.bucket < first_eval or not a.opens:
                continue
            n_alerts += 1
            if not any(inc.start <= a.bucket <= inc.end + grace for inc in per_stream.get(i, ())):
                false += 1
    n_buckets = len(streams[0].counts)
    stream_weeks = len(streams) * (n_buckets - first_eval) / 168
    return Score(len(incidents), detected, delays, false, stream_weeks, by_class, n_alerts)


def _true_baselines(streams: list[Stream], incidents: list[Incident]) -> list[list[float]]:
    """Each stream's expected count per bucket without its incidents (the generator's truth)."""
    out = [list(st.truth) for st in streams]
    for inc in incidents:
        for j in range(inc.duration):
            out[inc.stream][inc.start + j] -= inc.excess * (0.5 if j == 0 else 1.0)
    return out


def oracle_cusum(streams: list[Stream], incidents: list[Incident], h: float, first_eval: int,
                 shift: float = 2.0, cap: float = 2.0, min_excess: float = 3.0,
                 also: tuple = ()) -> Score:
    """A ceiling for the CUSUM: the detector's CUSUM (same shift, cap and minimum excess) run on the
    true baseline and the true dispersion 1/k from the first scored bucket. Returns a full Score,
    so its false alerts show what that threshold costs with a perfect baseline. ``also``: more
    ``(shift, h)`` CUSUMs run beside it, a bucket flagged when any of them flags (two reference
    shifts, one for small sustained rises and one for sharp bursts)."""
    from tanggap.alerts.detector import Alert

    bases = _true_baselines(streams, incidents)
    designs = ((shift, h),) + tuple(also)
    alerts_by_stream = []
    for st, base in zip(streams, bases):
        k = st.k
        mean = sum(base[:first_eval]) / first_eval
        ds = [(max(min_excess, m * mean), hh) for m, hh in designs]
        sums = [[0.0, 0.0] for _ in designs]  # per CUSUM: statistic, excess since it left zero
        last = None
        out = []
        for t in range(first_eval, len(st.counts)):
            mu, x = base[t], st.counts[t]
            flag = False
            for (d, hh), cs in zip(ds, sums):
                s = cs[0] + x * math.log((mu + d) / mu) + (k + x) * math.log((k + mu) / (k + mu + d))
                if s <= 0:
                    cs[0] = cs[1] = 0.0
                    continue
                cs[0] = min(s, cap * hh)
                cs[1] += x - mu
                if s > hh and x > mu and cs[1] >= min_excess:
                    flag = True
            if flag:
                out.append(Alert(t, x, mu, 0.0, 1, x, mu, last is None or t - last > 6))
                last = t
        alerts_by_stream.append(out)
    return score(streams, incidents, alerts_by_stream, first_eval)


def _nb_logpmf(x: int, mu: float, k: float) -> float:
    return (math.lgamma(x + k) - math.lgamma(k) - math.lgamma(x + 1)
            + k * math.log(k / (k + mu)) + x * math.log(mu / (k + mu)))


def incident_evidence(streams: list[Stream], incidents: list[Incident]) -> list[float]:
    """Per incident, the evidence its counts hold, for an observer who knew everything the
    generator knows — the true baseline and dispersion, the incident's start, length and size: the
    log-likelihood ratio ``sum log NB(x | base + excess, k) / NB(x | base, k)`` over its buckets
    (the first at half the excess). Not attainable by a detector, which knows none of these; an
    upper bound on what a likelihood-ratio test can have seen. At or below 0 the counts are no
    more likely with the incident than without it: no detector catches that incident except by
    chance. A CUSUM tuned to exactly this rise and started at the incident's first bucket ends at
    least this high, so with evidence below the threshold ``h`` (3 at "normal") even that
    CUSUM does not flag it unless it was already above zero."""
    bases = _true_baselines(streams, incidents)
    out = []
    for inc in incidents:
        st, base = streams[inc.stream], bases[inc.stream]
        llr = 0.0
        for j in range(inc.duration):
            t = inc.start + j
            e = inc.excess * (0.5 if j == 0 else 1.0)
            llr += _nb_logpmf(st.counts[t], base[t] + e, st.k) - _nb_logpmf(st.counts[t], base[t], st.k)
        out.append(llr)
    return out


def relative_rise(streams: list[Stream], incidents: list[Incident], inc: Incident) -> float:
    """The incident's excess per bucket over the true baseline's mean during it (0.5 = +50 %)."""
    truth = streams[inc.stream].truth
    base = sum(truth[inc.start + j] - inc.excess * (0.5 if j == 0 else 1.0) for j in range(inc.duration))
    return inc.excess / (base / inc.duration)


def oracle_detected(streams: list[Stream], incidents: list[Incident], threshold: float,
                    windows: tuple[int, ...] = (1, 2, 4), min_excess: float = 3.0) -> int:
    """A ceiling, not a detector: how many incidents the detector's own test (negative-binomial tail
    on the sums of the last 1, 2, 4 buckets, Bonferroni over the windows, the same minimum excess)
    would catch if it knew the generator's true baseline (including that day's level) and the true
    dispersion 1/k. The baseline is the truth without the incident; counts are the observed ones."""
    found = 0
    for inc in incidents:
        st = streams[inc.stream]
        base = list(st.truth[max(0, inc.start - max(windows)):inc.end + 1])
        off = max(0, inc.start - max(windows))
        for j in range(inc.duration):
            base[inc.start + j - off] -= inc.excess * (0.5 if j == 0 else 1.0)
        inv_k = 1.0 / st.k
        hit = False
        for t in range(inc.start, inc.end + 1):
            for w in windows:
                if t - w + 1 < off:
                    continue
                wx = sum(st.counts[t - j] for j in range(w))
                mus = [base[t - j - off] for j in range(w)]
                wm, wm2 = sum(mus), sum(m * m for m in mus)
                if wx - wm < min_excess:
                    continue
                if negbin_sf(wx, wm, wm * wm / (inv_k * wm2)) * len(windows) < threshold:
                    hit = True
                    break
            if hit:
                break
        found += hit
    return found
