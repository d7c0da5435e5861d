"""The three baselines and "ours" behind one interface: ``fit(train) -> recommender`` where the
recommender gives the top 10 item indices for a user's row of the training matrix, never one
the user already bought."""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp

from tanggap.recommend import engine


def popularity(train: sp.csr_matrix, **_):
    pop = np.asarray((train > 0).sum(axis=0)).ravel().astype(np.float64)

    def rec(u: int, n: int = 10):
        return engine.top_n(pop, n, exclude=train.indices[train.indptr[u]:train.indptr[u + 1]])

    return rec


def item_knn(train: sp.csr_matrix, **_):
    """Cosine item-item similarity over all neighbours; a user's score = sum of the similarities
    of their items."""
    binary = train.copy()
    binary.data[:] = 1
    co, pop = engine.cooccurrence(binary)
    sim = engine.cosine(co, pop)

    def rec(u: int, n: int = 10):
        items = binary.indices[binary.indptr[u]:binary.indptr[u + 1]]
        s = np.asarray(sim[items].sum(axis=0)).ravel()
        return engine.top_n(s, n, exclude=items)

    return rec


def als(train: sp.csr_matrix, factors: int = 64, regularization: float = 0.05, alpha: float = 1.0,
        iterations: int = 15, **_):
    """implicit's ALS as its documentation uses it: raw counts, confidence 1 + alpha * count."""
    from implicit.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(factors=factors, regularization=regularization, alpha=alpha,
                                        iterations=iterations, random_state=0, num_threads=1)
        model.fit(train, show_progress=False)

    def rec(u: int, n: int = 10):
        ids, _ = model.recommend(u, train[u], N=n, filter_already_liked_items=True)
        return ids

    return rec


def ours(train: sp.csr_matrix, params: engine.Params | None = None, last: sp.csr_matrix | None = None, **_):
    """The product's recommender: weights chosen on the users' last training orders, then fit."""
    model = engine.fit_tuned(train, last, params or engine.Params())
    ours.info = model.info

    def rec(u: int, n: int = 10):
        a, b = train.indptr[u], train.indptr[u + 1]
        items, counts = train.indices[a:b], train.data[a:b]
        return engine.top_n(engine.scores(model, items, counts), n, exclude=items)

    return rec
