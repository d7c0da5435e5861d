"""Precision and recall of the review lexicon (tanggap/reviews/lexicon.py) on the negative class
of public Indonesian (and English) sentiment data in ../shared/corpora:

- IndoNLU SmSA (Indonesian comments and reviews, 3 classes): train 11,000 + valid 1,260 rows;
- NusaX sentiment, Indonesian and English (parallel): train 500 + valid 100 rows each.

The lexicon was written from shop reviews before these were run and was not tuned on them.
"Negative" = the lexicon's text rule (``text_is_negative``); positive and neutral rows are the
other class. The rating rule of ``is_negative`` cannot be checked here (no ratings).

    .venv/bin/python bench/reviews_lexicon.py
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"


def smsa(name: str):
    with open(CORPORA / "indonlu-smsa" / name, encoding="utf-8") as f:
        for line in f:
            text, _, label = line.rstrip("\n").rpartition("\t")
            if text:
                yield text, label


def nusax(language: str, name: str):
    with open(CORPORA / "nusax-sentiment" / language / name, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield row["text"], row["label"]


def score(rows) -> dict:
    from tanggap.reviews.lexicon import text_is_negative

    tp = fp = fn = tn = 0
    for text, label in rows:
        predicted, actual = text_is_negative(text), label == "negative"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        tn += not predicted and not actual
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"rows": tp + fp + fn + tn, "negative": tp + fn, "flagged": tp + fp,
            "precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    sets = [
        ("SmSA valid (id)", lambda: smsa("valid_preprocess.tsv")),
        ("SmSA train (id)", lambda: smsa("train_preprocess.tsv")),
        ("NusaX id train+valid", lambda: [*nusax("indonesian", "train.csv"), *nusax("indonesian", "valid.csv")]),
        ("NusaX en train+valid", lambda: [*nusax("english", "train.csv"), *nusax("english", "valid.csv")]),
    ]
    print(f"{'set':<22} {'rows':>6} {'neg':>6} {'flagged':>7} {'precision':>9} {'recall':>7} {'F1':>6} {'s':>6}")
    for name, rows in sets:
        started = time.perf_counter()
        r = score(rows())
        print(f"{name:<22} {r['rows']:>6} {r['negative']:>6} {r['flagged']:>7} {r['precision']:>9.3f} "
              f"{r['recall']:>7.3f} {r['f1']:>6.3f} {time.perf_counter() - started:>6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
