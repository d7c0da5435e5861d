"""The engine without Django: the blend's weights chosen on each customer's last order, kept at
their defaults when there is too little to choose on, and a saved model that loads the same."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from tanggap.recommend import engine


def _shop(n_users: int, seed: int = 0):
    """Pairs (2k, 2k+1) are bought together by the same customers, one in an earlier order and
    the other in the last; item 0 is bought by everyone earlier (popular, never new)."""
    rng = np.random.default_rng(seed)
    counts, last = np.zeros((n_users, 21), np.float32), np.zeros((n_users, 21), np.float32)
    for u in range(n_users):
        k = rng.integers(1, 10)
        first, second = (2 * k, 2 * k + 1) if rng.random() < 0.5 else (2 * k + 1, 2 * k)
        counts[u, [0, first]] = 1
        counts[u, second] = last[u, second] = 1
    return sp.csr_matrix(counts), sp.csr_matrix(last)


def test_weights_are_chosen_on_the_last_orders():
    counts, last = _shop(120)
    model = engine.fit_tuned(counts, last)
    tuning = model.info["tuning"]
    assert tuning["validation_users"] == 120 and tuning["ndcg_chosen"] >= tuning["ndcg_default"]
    assert (model.params.w_als, model.params.w_pop) in [(engine.Params().w_als, engine.Params().w_pop),
                                                         *engine.WEIGHT_GRID]
    # whatever the weights, the partner of a bought item comes first
    top = engine.top_n(engine.scores(model, np.array([0, 4]), np.array([1.0, 1.0])), 1, exclude=np.array([0, 4]))
    assert top.tolist() == [5]


def test_too_few_customers_keep_the_default_weights():
    counts, last = _shop(engine.MIN_VALIDATION_USERS - 1)
    model = engine.fit_tuned(counts, last)
    assert model.info["tuning"] == {"validation_users": engine.MIN_VALIDATION_USERS - 1, "tuned": False}
    assert model.params == engine.Params()


def test_saved_model_loads_with_the_same_scores(tmp_path):
    counts, last = _shop(80)
    model = engine.fit_tuned(counts, last)
    engine.save(model, tmp_path / "m.npz", extra={"product_ids": list(range(21))})
    loaded, extra = engine.load(tmp_path / "m.npz")
    items, n = np.array([0, 6]), np.array([1.0, 2.0])
    assert extra["product_ids"] == list(range(21)) and loaded.params == model.params
    np.testing.assert_allclose(engine.scores(loaded, items, n), engine.scores(model, items, n), rtol=1e-5)
