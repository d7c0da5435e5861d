"""The ticket category: a classifier trained on the business's own labelled tickets, and a
starting model until there are enough labels.

Labels are the agents' category changes: a ``category`` timeline row with an actor (a person;
triage's own changes have none) gives the ticket's label, the latest such row winning. The text
is the ticket's first inbound message (subject + body). The trained model is e5 embeddings
concatenated with TF-IDF word 1-2-grams, then logistic regression (``fit``), over the categories
that have at least ``MIN_PER_CATEGORY`` labels: on BANKING77 this reached accuracy 0.927 where e5
alone reached 0.912 (bench/triage, docs/benchmarks.md, which runs ``fit`` itself); the most
recent ``HOLDOUT_SHARE`` of labelled tickets (by the time of the label) are held out and its
accuracy on them is stored with the version, beside the starting model's accuracy on the same
tickets. The trained model is used only when it beats the starting model there.

The starting model is nearest-centroid on e5 embeddings of short descriptions of each category
in Indonesian, Malay and English (below): no labels needed, works in the three languages.
"""

from __future__ import annotations

import logging
import os
import threading

import numpy as np
from django.db import transaction
from django.db.models import OuterRef, Subquery

from tanggap.common.clock import now
from tanggap.triage import ml

log = logging.getLogger(__name__)

MIN_PER_CATEGORY = 20  # labelled tickets a category needs before the trained model predicts it
MIN_CATEGORIES = 2
HOLDOUT_SHARE = 0.2
MIN_HOLDOUT = 5
MAX_LABELS = 20000  # the most recent labelled tickets used in one training run
LR_C = 32.0  # chosen on BANKING77 by 3-fold CV on its training set (bench/triage)

DESCRIPTIONS = {
    "question": [
        "Saya mau tanya informasi tentang produk, harga, jam buka atau cara pemesanan.",
        "Saya nak bertanya maklumat tentang produk, harga, waktu operasi atau cara membuat tempahan.",
        "I have a question about a product, the price, opening hours or how to order.",
    ],
    "defect": [
        "Barang yang saya terima rusak, cacat, pecah, tidak berfungsi atau tidak sesuai pesanan.",
        "Barang yang saya terima rosak, pecah, tidak berfungsi atau tidak sama dengan pesanan.",
        "The item I received is broken, damaged, defective, not working or not what I ordered.",
    ],
    "bug": [
        "Aplikasi atau website error, tidak bisa login, halaman tidak bisa dibuka, gagal checkout.",
        "Aplikasi atau laman web ralat, tidak boleh log masuk, halaman tidak dapat dibuka.",
        "The app or website has an error, I cannot log in, the page does not load, checkout fails.",
    ],
    "delivery": [
        "Paket saya belum sampai, pengiriman terlambat, kurir tidak datang, cek resi dan status kiriman.",
        "Bungkusan saya belum sampai, penghantaran lewat, kurier tidak datang, semak status penghantaran.",
        "My parcel has not arrived, the delivery is late, the courier did not come, tracking status.",
    ],
    "billing": [
        "Tagihan salah, saya ditagih dua kali, pembayaran gagal, transfer belum masuk, invoice.",
        "Bil salah, saya dicaj dua kali, pembayaran gagal, pindahan wang belum masuk, invois.",
        "Wrong bill, I was charged twice, the payment failed, my transfer has not arrived, invoice.",
    ],
    "refund_request": [
        "Saya minta pengembalian dana, uang saya dikembalikan, batalkan pesanan dan refund.",
        "Saya mahu bayaran balik, pulangkan wang saya, batalkan pesanan dan refund.",
        "I want a refund, please return my money, cancel the order and refund me.",
    ],
    "complaint": [
        "Saya kecewa dan mau komplain, pelayanan buruk, petugas tidak sopan, sangat mengecewakan.",
        "Saya kecewa dan mahu membuat aduan, perkhidmatan teruk, kakitangan biadap.",
        "I am disappointed and want to complain, bad service, rude staff, very unhappy.",
    ],
}
STARTING_MIN_MARGIN = 0.0  # a cosine margin below this between the best two makes the starting model say "other"

_lock = threading.Lock()
_starting = None


def starting_model() -> dict:
    global _starting
    with _lock:
        if _starting is None:
            cats = list(DESCRIPTIONS)
            cent = np.vstack([ml.embed(DESCRIPTIONS[c]).mean(axis=0) for c in cats])
            _starting = {"cats": cats, "centroids": cent / np.linalg.norm(cent, axis=1, keepdims=True)}
        return _starting


def starting_predict(vectors: np.ndarray) -> list[tuple[str, float]]:
    m = starting_model()
    sims = vectors @ m["centroids"].T
    out = []
    for row in sims:
        order = np.argsort(row)[::-1]
        margin = float(row[order[0]] - row[order[1]])
        # a softmax with temperature 0.02 as the confidence: cosine gaps between e5 vectors are small
        p = np.exp((row - row.max()) / 0.02)
        conf = float(p[order[0]] / p.sum())
        out.append((m["cats"][order[0]], round(conf, 3)) if margin >= STARTING_MIN_MARGIN else ("other", round(conf, 3)))
    return out


def labelled_tickets(limit: int = MAX_LABELS) -> list[tuple[int, str, str, object]]:
    """(ticket id, text, label, labelled at), oldest label first: tickets whose category an agent
    set, with the latest such category, and the ticket's first inbound message as the text."""
    from tanggap.conversations.choices import Direction, TimelineKind
    from tanggap.conversations.models import Message, Ticket, TimelineEntry

    human = TimelineEntry.objects.filter(ticket=OuterRef("pk"), kind=TimelineKind.CATEGORY, actor__isnull=False)
    first = Message.objects.filter(ticket=OuterRef("pk"), direction=Direction.INBOUND).order_by("created_at", "id")
    rows = (Ticket.objects.annotate(
        label_at=Subquery(human.order_by("-at", "-id").values("at")[:1]),
        first_subject=Subquery(first.values("subject")[:1]),
        first_body=Subquery(first.values("body_text")[:1]))
        .filter(label_at__isnull=False).order_by("-label_at", "-id")
        .values_list("pk", "category", "label_at", "subject", "first_subject", "first_body")[:limit])
    out = [(pk, f"{fs or subj or ''}\n{body or ''}".strip(), cat, at) for pk, cat, at, subj, fs, body in rows]
    return [r for r in reversed(out) if r[1]]


def train(*, at=None) -> dict:
    """Train a new version from the labelled tickets and store it (file + ``CategoryModel`` row).
    Returns a summary; when there are too few labels the row records the starting model with its
    accuracy on the held-out recent tickets, so managers see how far it is."""
    from tanggap.triage.models import CategoryModel

    rows = labelled_tickets()
    labels = np.array([r[2] for r in rows])
    counts = {str(c): int((labels == c).sum()) for c in np.unique(labels)} if len(rows) else {}
    n_hold = max(MIN_HOLDOUT, int(len(rows) * HOLDOUT_SHARE)) if len(rows) >= 2 * MIN_HOLDOUT else 0
    train_rows, hold_rows = rows[:len(rows) - n_hold], rows[len(rows) - n_hold:]
    train_counts = {}
    for r in train_rows:
        train_counts[r[2]] = train_counts.get(r[2], 0) + 1
    eligible = sorted(c for c, n in train_counts.items() if n >= MIN_PER_CATEGORY)
    vec = lambda rs: ml.embed([r[1] for r in rs]) if rs else np.zeros((0, 384), np.float32)  # noqa: E731
    H = vec(hold_rows)
    y_hold = np.array([r[2] for r in hold_rows])
    start_acc = (float(np.mean(np.array([p for p, _ in starting_predict(H)]) == y_hold)) if n_hold else None)
    kind, acc, model = "starting", start_acc, None
    if len(eligible) >= MIN_CATEGORIES:
        use = [r for r in train_rows if r[2] in eligible]
        model = fit([r[1] for r in use], vec(use), [r[2] for r in use])
        acc = float(np.mean(np.array(model_predict(model, H, [r[1] for r in hold_rows])[0]) == y_hold)) if n_hold else None
        kind = "trained" if start_acc is None or acc is None or acc >= start_acc else "starting"
    with transaction.atomic():
        last = CategoryModel.objects.select_for_update().order_by("-version").first()
        version = (last.version if last else 0) + 1
        path = ""
        if model is not None:
            path = str(ml.model_dir() / f"category-{version}.pkl")
            ml.model_save(path, {"version": version, **model, "categories": eligible})
        row = CategoryModel.objects.create(
            version=version, kind=kind, trained_at=at or now(), labels=len(rows), held_out=n_hold,
            accuracy=acc, starting_accuracy=start_acc, per_category=counts, path=path)
    log.info("category model v%d (%s): %d labels, accuracy %s on %d held out (starting %s)",
             version, kind, len(rows), acc, n_hold, start_acc)
    return {"version": row.version, "kind": kind, "labels": len(rows), "held_out": n_hold,
            "accuracy": acc, "starting_accuracy": start_acc, "categories": eligible}


def current():
    """The CategoryModel in use (latest version) or None."""
    from tanggap.triage.models import CategoryModel

    return CategoryModel.objects.order_by("-version").first()


def fit(texts: list[str], vectors: np.ndarray, labels: list[str], *, C: float = LR_C) -> dict:
    """The trained model: e5 vectors beside TF-IDF word 1-2-grams of the same texts, one logistic
    regression over both. Returns what ``model_predict`` needs (and what is pickled)."""
    from sklearn.linear_model import LogisticRegression

    tfidf = ml.tfidf()
    X = ml.e5_tfidf_matrix(vectors, tfidf.fit_transform(texts))
    return {"lr": LogisticRegression(C=C, max_iter=3000).fit(X, labels), "tfidf": tfidf}


def model_predict(model: dict, vectors: np.ndarray, texts: list[str] | None) -> tuple[list[str], np.ndarray]:
    """(labels, probabilities) of a fitted model. A model from before TF-IDF (no "tfidf") reads the
    e5 vectors alone; a TF-IDF model without the texts reads them as empty."""
    lr, tfidf = model["lr"], model.get("tfidf")
    X = vectors
    if tfidf is not None:
        X = ml.e5_tfidf_matrix(vectors, tfidf.transform(texts if texts is not None else [""] * len(vectors)))
    proba = lr.predict_proba(X)
    return [str(lr.classes_[i]) for i in proba.argmax(axis=1)], proba


def predict(vectors: np.ndarray, texts: list[str] | None = None) -> tuple[list[tuple[str, float]], str, str]:
    """((category, confidence) per vector, source "trained"|"starting", version label). ``texts``
    are the texts the vectors embed (the trained model reads their words too)."""
    row = current()
    if row is not None and row.kind == "trained" and row.path and os.path.exists(row.path):
        labels, proba = model_predict(ml.model_load(row.path), vectors, texts)
        return ([(label, round(float(p.max()), 3)) for label, p in zip(labels, proba)], "trained", f"cat-{row.version}")
    return starting_predict(vectors), "starting", "cat-start-1"
