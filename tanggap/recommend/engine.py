"""The recommender itself, free of Django: fit on a users x items purchase matrix, save to one
``.npz`` file, load, and score one customer's history. ``bench.recommend`` runs this same code as
"ours", so the figures in docs/benchmarks.md ("Recommendations") are those of the product.

What it blends (weights tuned on a validation split of the training period, see the bench):

- implicit ALS (matrix factorisation for implicit feedback) on how many orders held each item;
  at request time the customer's vector is re-solved from their history against the stored item
  factors (one k x k solve), so a customer who bought after the training still gets fitted
  recommendations;
- item co-occurrence: the cosine of two items' sets of buyers, kept for each item's top
  ``neighbours`` items, with the raw "bought by both" counts that give the reason shown; items
  with fewer than ``cold_users`` buyers (where ALS learns little) are scored by co-occurrence only;
- popularity (distinct buyers) as a small prior, and the last fallback for a customer without
  history.

Items the customer bought and items masked as inactive are never returned.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy/implicit: implicit warns otherwise

import json
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp

FORMAT = 1


@dataclass
class Params:
    """Defaults chosen on the validation splits of bench.recommend (--tune; the training period
    only, never the test): the worst ratio of ours to the best baseline over both datasets."""

    factors: int = 64
    regularization: float = 0.5
    alpha: float = 1.0  # ALS confidence = 1 + alpha * log1p(orders with the item)
    iterations: int = 12
    neighbours: int = 1000  # co-occurrence neighbours kept per item
    cold_users: int = 0  # items with fewer buyers are scored by co-occurrence alone (0: none)
    w_als: float = 0.25
    w_knn: float = 1.0
    w_pop: float = 0.1
    num_threads: int = 1
    seed: int = 0

    def replace(self, **kw) -> "Params":
        return Params(**{**asdict(self), **kw})


@dataclass
class Model:
    params: Params
    n_items: int
    item_factors: np.ndarray  # (items, k) float32, or shape (items, 0) without ALS
    gram: np.ndarray  # item_factors.T @ item_factors
    popularity: np.ndarray  # distinct buyers per item (int32)
    nbr_cos: sp.csr_matrix  # items x items, top-`neighbours` cosines per row
    nbr_count: sp.csr_matrix  # same structure: customers who bought both
    info: dict = field(default_factory=dict)

    @property
    def has_als(self) -> bool:
        return self.item_factors.shape[1] > 0


def confidence(counts: np.ndarray, alpha: float) -> np.ndarray:
    return (alpha * np.log1p(counts)).astype(np.float32)


def cooccurrence(binary: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """(items x items "bought by both" counts without the diagonal, buyers per item)."""
    b = binary.astype(np.float32)
    c = (b.T @ b).tocsr()
    c.setdiag(0)
    c.eliminate_zeros()
    return c, np.asarray(binary.sum(axis=0)).ravel().astype(np.int32)


def cosine(counts: sp.csr_matrix, pop: np.ndarray) -> sp.csr_matrix:
    inv = 1.0 / np.sqrt(np.maximum(pop, 1)).astype(np.float32)
    coo = counts.tocoo()
    data = coo.data * inv[coo.row] * inv[coo.col]
    return sp.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=counts.shape)


def _top_k_rows(cos: sp.csr_matrix, counts: sp.csr_matrix, k: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    cos.sort_indices()
    counts.sort_indices()
    indptr, indices, data, cdata = [0], [], [], []
    for r in range(cos.shape[0]):
        a, b = cos.indptr[r], cos.indptr[r + 1]
        row = cos.data[a:b]
        keep = np.arange(b - a) if b - a <= k else np.argpartition(-row, k)[:k]
        keep.sort()
        indices.append(cos.indices[a:b][keep])
        data.append(row[keep])
        cdata.append(counts.data[a:b][keep])
        indptr.append(indptr[-1] + len(keep))
    cat = lambda xs, t: np.concatenate(xs).astype(t) if xs else np.zeros(0, t)  # noqa: E731
    ind = cat(indices, np.int32)
    return (sp.csr_matrix((cat(data, np.float32), ind, np.array(indptr)), shape=cos.shape),
            sp.csr_matrix((cat(cdata, np.float32), ind.copy(), np.array(indptr)), shape=cos.shape))


def fit_als(counts: sp.csr_matrix, params: Params) -> np.ndarray:
    from implicit.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    conf = counts.tocsr().astype(np.float32)
    conf.data = confidence(conf.data, params.alpha)
    with threadpool_limits(1, "blas"):
        als = AlternatingLeastSquares(factors=params.factors, regularization=params.regularization, alpha=1.0,
                                      iterations=params.iterations, random_state=params.seed,
                                      num_threads=params.num_threads)
        als.fit(conf, show_progress=False)
    factors = als.item_factors
    return np.ascontiguousarray(factors.to_numpy() if hasattr(factors, "to_numpy") else factors, dtype=np.float32)


def fit(counts: sp.csr_matrix, params: Params | None = None) -> Model:
    """``counts``: users x items, orders in which the user bought the item (0 = never)."""
    params = params or Params()
    t0 = time.perf_counter()
    counts = counts.tocsr().astype(np.float32)
    counts.eliminate_zeros()
    binary = counts.copy()
    binary.data[:] = 1
    co, pop = cooccurrence(binary)
    cos = cosine(co, pop)
    nbr_cos, nbr_count = _top_k_rows(cos, co, params.neighbours)
    t1 = time.perf_counter()
    n_items = counts.shape[1]
    if params.w_als > 0 and counts.nnz and counts.shape[0] >= 2 and n_items >= 2:
        factors = fit_als(counts, params.replace(factors=max(1, min(params.factors, n_items - 1))))
    else:
        factors = np.zeros((n_items, 0), np.float32)
    t2 = time.perf_counter()
    info = {"users": int(counts.shape[0]), "items": int(n_items), "interactions": int(counts.nnz),
            "seconds": round(t2 - t0, 3), "seconds_cooccurrence": round(t1 - t0, 3),
            "seconds_als": round(t2 - t1, 3)}
    return Model(params=params, n_items=n_items, item_factors=factors, gram=factors.T @ factors,
                 popularity=pop, nbr_cos=nbr_cos, nbr_count=nbr_count, info=info)


def _norm(v: np.ndarray) -> np.ndarray:
    """Scaled to 0..1 by the maximum along the last axis (one history, or one per row)."""
    if not v.size:
        return v
    m = v.max(axis=-1, keepdims=True)
    return np.divide(v, m, out=np.zeros_like(v), where=m > 0)


def user_vector(model: Model, items: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The customer's ALS vector for their history (the same least-squares step ALS takes)."""
    p = model.params
    y = model.item_factors[items]
    c = confidence(counts.astype(np.float32), p.alpha)
    a = model.gram + (y.T * c) @ y + p.regularization * np.eye(y.shape[1], dtype=np.float32)
    return np.linalg.solve(a, (y.T * (1.0 + c)).sum(axis=1))


def components(model: Model, items: np.ndarray, counts: np.ndarray) -> dict[str, np.ndarray]:
    """Each scorer's raw scores over all items for one history (item indices, order counts)."""
    n = model.n_items
    out = {"pop": model.popularity.astype(np.float32)}
    if len(items):
        out["knn"] = np.asarray(model.nbr_cos[items].sum(axis=0)).ravel()
        out["als"] = (model.item_factors @ user_vector(model, items, counts)
                      if model.has_als else np.zeros(n, np.float32))
    else:
        out["knn"] = out["als"] = np.zeros(n, np.float32)
    return out


def blend(model: Model, comp: dict[str, np.ndarray]) -> np.ndarray:
    p = model.params
    knn = _norm(comp["knn"])
    als = _norm(np.maximum(comp["als"], 0))
    cold = model.popularity < p.cold_users
    als = np.where(cold, knn, als)  # ALS knows little of a cold item: its co-occurrence stands in
    return p.w_als * als + p.w_knn * knn + p.w_pop * _norm(np.log1p(comp["pop"].astype(np.float32)))


def scores(model: Model, items: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return blend(model, components(model, items, counts))


def top_n(score: np.ndarray, n: int, exclude: np.ndarray | None = None, allowed: np.ndarray | None = None
          ) -> np.ndarray:
    s = score.astype(np.float64).copy()
    if exclude is not None and len(exclude):
        s[exclude] = -np.inf
    if allowed is not None:
        s[~allowed] = -np.inf
    n = min(n, int(np.isfinite(s).sum()))
    if n <= 0:
        return np.zeros(0, np.int64)
    idx = np.argpartition(-s, n - 1)[:n]
    return idx[np.argsort(-s[idx], kind="stable")]


# --- the blend's weights, chosen on the business's own data ----------------------------------------

WEIGHT_GRID = [(w_als, w_pop) for w_als in (0.0, 0.1, 0.25, 0.5) for w_pop in (0.0, 0.1, 0.2, 0.4)]
MIN_VALIDATION_USERS = 50  # fewer: keep the default weights
MAX_VALIDATION_USERS = 3000
MIN_GAIN = 0.01  # a grid point must beat the defaults by 1% (relative) to replace them


def choose_weights(counts: sp.csr_matrix, last: sp.csr_matrix, params: Params) -> tuple[Params, dict]:
    """Weights of the blend chosen by time on the business's own orders: the history before each
    customer's last order predicts the new items of that last order; the grid point with the best
    NDCG@10 wins if it beats the defaults by ``MIN_GAIN``. ``last``: the part of ``counts`` that
    comes from each customer's last order."""
    hist = (counts.tocsr() - last.tocsr()).tocsr()
    hist.data = np.maximum(hist.data, 0)
    hist.eliminate_zeros()
    last = last.tocsr()
    users = []
    for u in range(counts.shape[0]):
        h = hist.indices[hist.indptr[u]:hist.indptr[u + 1]]
        if not len(h):
            continue
        new = set(last.indices[last.indptr[u]:last.indptr[u + 1]].tolist()) - set(h.tolist())
        if new:
            users.append((u, new))
    info = {"validation_users": len(users), "tuned": False}
    if len(users) < MIN_VALIDATION_USERS or params.w_knn <= 0:
        return params, info
    if len(users) > MAX_VALIDATION_USERS:
        pick = np.random.default_rng(params.seed).choice(len(users), MAX_VALIDATION_USERS, replace=False)
        users = [users[i] for i in sorted(pick)]
    model = fit(hist, params)
    grid = [params] + [params.replace(w_als=w_als, w_pop=w_pop) for w_als, w_pop in WEIGHT_GRID]
    totals = np.zeros(len(grid))
    k = min(10, model.n_items)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    pop = model.popularity.astype(np.float32)
    for start in range(0, len(users), 200):  # a chunk of customers at a time: dense rows stay small
        chunk = users[start:start + 200]
        h = hist[[u for u, _ in chunk]]
        hb = h.copy()
        hb.data[:] = 1
        comp = {"pop": pop, "knn": (hb @ model.nbr_cos).toarray().astype(np.float32)}
        if model.has_als:
            x = np.stack([user_vector(model, h.indices[h.indptr[i]:h.indptr[i + 1]],
                                      h.data[h.indptr[i]:h.indptr[i + 1]]) for i in range(len(chunk))])
            comp["als"] = (x @ model.item_factors.T).astype(np.float32)
        else:
            comp["als"] = np.zeros_like(comp["knn"])
        bought = hb.toarray() > 0
        truth = np.zeros_like(bought)
        for i, (_u, t) in enumerate(chunk):
            truth[i, list(t)] = True
        ideal = np.array([discount[:min(k, len(t))].sum() for _u, t in chunk])
        rows = np.arange(len(chunk))[:, None]
        for g, q in enumerate(grid):
            model.params = q
            s = blend(model, comp)
            s[bought] = -np.inf
            top = np.argpartition(-s, k - 1, axis=1)[:, :k]
            top = np.take_along_axis(top, np.argsort(-s[rows, top], axis=1, kind="stable"), axis=1)
            totals[g] += float(((truth[rows, top] * discount).sum(axis=1) / ideal).sum())
    means = totals / len(users)
    base, best, best_q = means[0], means[0], params
    for g in range(1, len(grid)):
        if means[g] > best and means[g] > base * (1 + MIN_GAIN):
            best, best_q = means[g], grid[g]
    info.update(tuned=best_q is not params, ndcg_default=round(float(base), 4), ndcg_chosen=round(float(best), 4),
                w_als=best_q.w_als, w_pop=best_q.w_pop, validation_users_scored=len(users))
    return best_q, info


def fit_tuned(counts: sp.csr_matrix, last: sp.csr_matrix | None, params: Params | None = None) -> Model:
    """``fit`` with the blend's weights chosen on the business's own last orders (``choose_weights``)
    when ``last`` is given."""
    params = params or Params()
    t0 = time.perf_counter()
    info = {"tuned": False}
    if last is not None:
        params, info = choose_weights(counts, last, params)
    t1 = time.perf_counter()
    model = fit(counts, params)
    model.info.update(tuning=info, seconds_tuning=round(t1 - t0, 3), seconds=round(time.perf_counter() - t0, 3))
    return model


def recommend(model: Model, items: np.ndarray, counts: np.ndarray, n: int = 10,
              allowed: np.ndarray | None = None) -> list[dict]:
    """Top ``n`` item indices for one history, each with why: the history item most often
    bought together with it (and by how many customers), else the scorer that put it there."""
    comp = components(model, items, counts)
    order = top_n(blend(model, comp), n, exclude=items, allowed=allowed)
    out = []
    for j in order:
        row = {"item": int(j), "score": 0.0, "source": "popular", "with_item": None, "together": 0,
               "buyers": int(model.popularity[j])}
        if len(items):
            col = model.nbr_count[items, j].toarray().ravel() if model.nbr_count.nnz else np.zeros(len(items))
            best = int(np.argmax(col)) if len(col) else 0
            if len(col) and col[best] > 0:
                row.update(source="bought_together", with_item=int(items[best]), together=int(col[best]))
            elif comp["als"][j] > 0:
                row["source"] = "similar_customers"
        out.append(row)
    final = blend(model, comp)
    for row in out:
        row["score"] = round(float(final[row["item"]]), 4)
    return out


# --- storage --------------------------------------------------------------------------------------

def save(model: Model, path, extra: dict | None = None) -> None:
    """One ``.npz`` (no pickle: loading never runs code), written to a temp file and renamed."""
    tmp = f"{path}.tmp"
    meta = {"format": FORMAT, "params": asdict(model.params), "info": model.info, "extra": extra or {}}
    with open(tmp, "wb") as f:
        np.savez(f, item_factors=model.item_factors, popularity=model.popularity,
                 cos_data=model.nbr_cos.data, cos_indices=model.nbr_cos.indices, cos_indptr=model.nbr_cos.indptr,
                 count_data=model.nbr_count.data, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))
    os.replace(tmp, path)


def load(path) -> tuple[Model, dict]:
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        f = z["item_factors"]
        n = len(z["popularity"])
        shape = (n, n)
        cos = sp.csr_matrix((z["cos_data"], z["cos_indices"], z["cos_indptr"]), shape=shape)
        cnt = sp.csr_matrix((z["count_data"], z["cos_indices"], z["cos_indptr"]), shape=shape)
        model = Model(params=Params(**meta["params"]), n_items=n, item_factors=f, gram=f.T @ f,
                      popularity=z["popularity"], nbr_cos=cos, nbr_count=cnt, info=meta["info"])
    return model, meta.get("extra", {})
