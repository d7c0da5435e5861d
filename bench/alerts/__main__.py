"""Evaluate the alert detector (tanggap/alerts/detector.py).

    .venv/bin/python -m bench.alerts                          # synthetic month + 1,000,000 events
    .venv/bin/python -m bench.alerts --nab ../shared/corpora/nab   # NAB-layout folder
    .venv/bin/python -m bench.alerts --streams 20 --events 100000 --runs 1   # a quick look
    .venv/bin/python -m bench.alerts --seed 4,5,6 --events 0     # three months, and their pooled figures
    .venv/bin/python -m bench.alerts --test windows --events 0   # the fixed 1/2/4-window test (before 2026-11-24)
    .venv/bin/python -m bench.alerts --seed 4,5,6,7,8,9,10,11,12,13 --events 0   # ten months (docs/alerts.md)

Synthetic: 14 days of warm-up history, then a 30-day month scored (see synthetic.py for the
generator). Prints recall over injected incidents, false alerts per stream per week, detection
delay in buckets (0 = alert in the incident's first bucket), per sensitivity, and the time to
turn N events into bucket counts and run the detector over every stream (median of --runs).
Every miss at "normal" is printed with its stream's mean, its rise relative to the true baseline,
its length and the evidence its counts hold (synthetic.incident_evidence), and a table of recall
by stream volume, relative rise, duration and evidence closes the run.
"""

from __future__ import annotations

import argparse
import gc
import math
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.alerts import synthetic  # noqa: E402
from tanggap.alerts.detector import (  # noqa: E402
    SENSITIVITY, DetectorConfig, bucket_counts, cusum_threshold, densify, detect)

WARMUP_DAYS = 14
INCIDENT_ROWS: list = []  # (setting, stream mean/h, relative rise, hours, evidence, caught at "normal")
SHOWN: dict = {}  # setting -> [(seed, caught, incidents)] over incidents whose counts hold >= h nats


def synthetic_table(n_streams: int, days: int, seed: int, k_range=(15.0, 100.0), label: str = "",
                    test: str = "cusum") -> list:
    streams, incidents = synthetic.generate(n_streams=n_streams, days=days, warmup_days=WARMUP_DAYS, seed=seed,
                                            k_range=k_range)
    first_eval = WARMUP_DAYS * 24
    rows = []
    events = sum(sum(s.counts[first_eval:]) for s in streams)
    print(f"\n{label}{n_streams} streams ({sum(s.rate < 1 for s in streams)} quiet < 1/h, "
          f"{sum(s.rate >= 20 for s in streams)} busy >= 20/h), {days} days scored after {WARMUP_DAYS} of warm-up, "
          f"{events:,} messages in the scored month, {len(incidents)} incidents, NB dispersion k in "
          f"{k_range[0]:g}-{k_range[1]:g} (seed {seed})")
    print(f"{'sensitivity':<18}{'recall':>16}{'false/stream/wk':>17}{'delay med':>10}{'p90':>5}{'max':>5}"
          f"{'<=2':>7}   recall by size")
    for name, p in SENSITIVITY.items():
        cfg = DetectorConfig.for_sensitivity(name, test=test)
        alerts = [[_rel(a) for a in detect(s.counts, synthetic.START_BUCKET, cfg)] for s in streams]
        sc = synthetic.score(streams, incidents, alerts, first_eval)
        within = sum(d <= 2 for d in sc.delays) / len(sc.delays) if sc.delays else 0.0
        by = "  ".join(f"{k.split()[0]} {v[0]}/{v[1]}" for k, v in sorted(sc.by_class.items()))
        print(f"{name + f' (p<{p:g})':<18}{f'{sc.recall:.1%} ({sc.detected}/{sc.incidents})':>16}"
              f"{sc.false_per_stream_week:>17.2f}{sc.delay_quantile(.5):>10.0f}{sc.delay_quantile(.9):>5.0f}"
              f"{max(sc.delays, default=0):>5}{within:>7.0%}   {by}")
        if name == "normal":
            evidence = synthetic.incident_evidence(streams, incidents)
            caught = [any(i.start <= a.bucket <= i.end for a in alerts[i.stream]) for i in incidents]
            missed = [(i, e) for i, e, c in zip(incidents, evidence, caught) if not c]
            if missed:
                print("    missed at normal (stream's mean/h, +excess/h = % of the true baseline then, hours, "
                      "evidence): " + "; ".join(
                          f"{streams[i.stream].rate:.1f}/h +{i.excess:.0f}/h={synthetic.relative_rise(streams, incidents, i):.0%} "
                          f"{i.duration}h {e:+.1f}" for i, e in missed))
            none = sum(e <= 0 for e in evidence)
            weak = sum(0 < e < cusum_threshold(p) for e in evidence)
            strong = [c for e, c in zip(evidence, caught) if e >= cusum_threshold(p)]
            print(f"    evidence in the counts, knowing the true baseline, dispersion, start, length and size "
                  f"(log-likelihood ratio): {none} incidents at or below 0 (counts no more likely with the incident "
                  f"than without), {weak} between 0 and h {cusum_threshold(p):g}, {len(strong)} at h or above, "
                  f"of which the detector caught {sum(strong)}")
            print(f"    recall on the incidents the counts show (evidence >= h = {cusum_threshold(p):g} nats, "
                  f"a likelihood ratio >= {math.exp(cusum_threshold(p)):.0f}): "
                  f"{sum(strong) / max(len(strong), 1):.1%} ({sum(strong)}/{len(strong)})")
            SHOWN.setdefault(label or "", []).append((seed, sum(strong), len(strong)))
            for i, e, c in zip(incidents, evidence, caught):
                INCIDENT_ROWS.append((label or "", streams[i.stream].rate, synthetic.relative_rise(streams, incidents, i),
                                      i.duration, e, c))
        rows.append((name, sc))
    ceiling = "  ".join(f"{name} {synthetic.oracle_detected(streams, incidents, p)}/{len(incidents)}"
                        for name, p in SENSITIVITY.items())
    print(f"    ceiling of the 1/2/4-window test knowing the true baseline and dispersion: {ceiling}")
    cus = []
    for name, p in SENSITIVITY.items():
        o = synthetic.oracle_cusum(streams, incidents, cusum_threshold(p), first_eval)
        cus.append(f"{name} {o.detected}/{o.incidents} ({o.false_per_stream_week:.2f} false)")
    print(f"    ceiling of the CUSUM knowing the true baseline and dispersion: {'  '.join(cus)}")
    two = []
    for name, p in SENSITIVITY.items():
        h = cusum_threshold(p)
        o = synthetic.oracle_cusum(streams, incidents, h, first_eval, also=((1.0, h + 0.5),))
        two.append(f"{name} {o.detected}/{o.incidents} ({o.false_per_stream_week:.2f} false)")
    print(f"    the same with a second CUSUM for small rises (shift 1x the mean, h + 0.5; either flags): {'  '.join(two)}")
    return rows


def pooled(tables: list) -> None:
    """Recall, false alerts and delays over several months (seeds), per setting and sensitivity."""
    print("\npooled over the seeds")
    print(f"{'setting':<10}{'sensitivity':<13}{'recall':>18}{'false/stream/wk':>17}{'delay med':>10}{'p90':>5}")
    for label in dict.fromkeys(lab for lab, _ in tables):
        for name in SENSITIVITY:
            scs = [sc for lab, rows in tables if lab == label for n, sc in rows if n == name]
            det, inc = sum(sc.detected for sc in scs), sum(sc.incidents for sc in scs)
            false = sum(sc.false_alerts for sc in scs) / sum(sc.stream_weeks for sc in scs)
            delays = synthetic.Score(inc, det, [d for sc in scs for d in sc.delays], 0, 1.0, {}, 0)
            print(f"{label:<10}{name:<13}{f'{det / inc:.1%} ({det}/{inc})':>18}{false:>17.2f}"
                  f"{delays.delay_quantile(.5):>10.0f}{delays.delay_quantile(.9):>5.0f}")
    print("\nrecall at normal on the incidents the counts show (evidence >= h nats, see synthetic.incident_evidence)")
    for label, per_seed in SHOWN.items():
        c, n = sum(r[1] for r in per_seed), sum(r[2] for r in per_seed)
        worst = min(per_seed, key=lambda r: r[1] / max(r[2], 1))
        print(f"  {label or 'default noise':<16} pooled {c / n:.1%} ({c}/{n}); per month "
              + " / ".join(f"{r[1] / max(r[2], 1):.1%}" for r in per_seed)
              + f"; lowest seed {worst[0]} {worst[1]}/{worst[2]}")


def misses_table() -> None:
    """Recall at "normal" by stream volume and by the rise relative to the true baseline, and by
    the evidence in the counts, over every month run (the default noise)."""
    rows = [r for r in INCIDENT_ROWS if not r[0]]
    if not rows:
        return

    def line(label, sel):
        n, c = len(sel), sum(r[5] for r in sel)
        return f"  {label:<34}{n:>5}{c:>7}{n - c:>7}{(c / n if n else 0):>8.1%}"

    print(f"\nincidents at normal by class, {len(rows)} incidents (the default noise, every seed run)")
    print(f"  {'class':<34}{'n':>5}{'caught':>7}{'missed':>7}{'recall':>8}")
    for lab, lo, hi in (("stream < 1/h", 0, 1), ("stream 1-5/h", 1, 5), ("stream 5-20/h", 5, 20),
                        ("stream >= 20/h", 20, 1e9)):
        print(line(lab, [r for r in rows if lo <= r[1] < hi]))
    for lab, lo, hi in (("rise < 50 % of the baseline", 0, .5), ("rise 50-100 %", .5, 1), ("rise 100-200 %", 1, 2),
                        ("rise >= 200 %", 2, 1e9)):
        print(line(lab, [r for r in rows if lo <= r[2] < hi]))
    for lab, lo, hi in (("2-3 hours", 2, 4), ("4-8 hours", 4, 9), ("12-24 hours", 12, 25)):
        print(line(lab, [r for r in rows if lo <= r[3] < hi]))
    for lab, lo, hi in (("evidence <= 0", -1e9, 1e-12), ("evidence 0-3", 1e-12, 3), ("evidence 3-6", 3, 6),
                        ("evidence >= 6", 6, 1e12)):
        print(line(lab, [r for r in rows if lo <= r[4] < hi]))


def _rel(a):
    from dataclasses import replace

    return replace(a, bucket=a.bucket - synthetic.START_BUCKET)


def throughput(n_events: int, n_streams: int, runs: int, seed: int, test: str = "cusum") -> None:
    days = 30
    while True:
        streams, _ = synthetic.generate(n_streams=n_streams, days=days, warmup_days=WARMUP_DAYS, seed=seed)
        total = sum(sum(s.counts) for s in streams)
        if total >= n_events:
            break
        n_streams = int(n_streams * n_events / total) + 5
    events = synthetic.events_of(streams, limit=n_events)
    cfg = DetectorConfig(test=test)
    times, bucket_t, detect_t, n_alerts, n_buckets = [], [], [], 0, 0
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        counts = bucket_counts(events)
        t1 = time.perf_counter()
        lo = min(min(per) for per in counts.values())
        hi = max(max(per) for per in counts.values()) + 1
        n_alerts = n_buckets = 0
        for per in counts.values():
            series = densify(per, lo, hi)
            n_buckets += len(series)
            n_alerts += len(detect(series, lo, cfg))
        t2 = time.perf_counter()
        times.append(t2 - t0)
        bucket_t.append(t1 - t0)
        detect_t.append(t2 - t1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    med = statistics.median(times)
    print(f"\nthroughput: {len(events):,} events over {len(counts)} streams -> {n_buckets:,} hourly buckets -> "
          f"detector ({n_alerts} alerts)")
    print(f"  total {med:.2f} s median of {runs} (runs: {', '.join(f'{t:.2f}' for t in times)}); "
          f"bucketing {statistics.median(bucket_t):.2f} s, detector {statistics.median(detect_t):.2f} s; "
          f"{len(events) / med:,.0f} events/s")
    print(f"  peak RSS {rss / 1024:.0f} MiB (before the timed runs, with the 1M events in memory: {rss0 / 1024:.0f} MiB)")


def nab_table(folder: Path) -> int:
    from bench.alerts import nab

    if not (folder / "labels" / "combined_windows.json").exists():
        print(f"no NAB layout at {folder} (needs labels/combined_windows.json and data/)", file=sys.stderr)
        return 2
    print(f"\nNAB-layout folder {folder}: Gaussian variant, two-sided, p < threshold, one alert a day at most")
    print(f"{'threshold':<11}{'series':>7}{'windows found':>15}{'precision':>15}{'standard':>10}"
          f"{'low FP':>8}{'low FN':>8}{'seconds':>9}")
    for th in (1e-4, 1e-5, 1e-6):
        t0 = time.perf_counter()
        res = nab.run(folder, th)
        dt = time.perf_counter() - t0
        w = sum(r.windows for r in res)
        f = sum(r.found for r in res)
        d = sum(r.detections for r in res)
        t = sum(r.true_detections for r in res)
        print(f"{th:<11g}{len(res):>7}{f'{f}/{w} {f / w:.0%}':>15}{f'{t}/{d} {t / max(d, 1):.0%}':>15}"
              f"{nab.normalised(res):>10.1f}{nab.normalised(res, 'reward_low_FP_rate'):>8.1f}"
              f"{nab.normalised(res, 'reward_low_FN_rate'):>8.1f}{dt:>9.1f}")
    print("published NAB standard-profile scores on all 58 series: Numenta HTM 70.5, Twitter ADVec 47.1, random 11.0")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.alerts", description=__doc__.splitlines()[0])
    ap.add_argument("--nab", type=Path, help="a folder in NAB's layout (data/…/*.csv, labels/combined_windows.json)")
    ap.add_argument("--streams", type=int, default=60)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--seed", default="4", help="a seed, or several separated by commas (pooled figures at the end)")
    ap.add_argument("--test", choices=("cusum", "windows"), default="cusum", help="the detector's test")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    if args.days < 1 or args.streams < 1:
        ap.error("--days and --streams must be at least 1")
    if args.nab:
        return nab_table(args.nab)
    seeds = [int(x) for x in str(args.seed).split(",")]
    INCIDENT_ROWS.clear()
    SHOWN.clear()
    tables = []
    for seed in seeds:
        tables.append(("k 15-100", synthetic_table(args.streams, args.days, seed, test=args.test)))
        tables.append(("k 8-60", synthetic_table(args.streams, args.days, seed, k_range=(8.0, 60.0),
                                                 label="stress, noisier: ", test=args.test)))
    if len(seeds) > 1:
        pooled(tables)
    misses_table()
    if args.events:
        throughput(args.events, args.streams, args.runs, seeds[0], test=args.test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
