"""The buy-till-you-die model: BG/NBD (Fader, Hardie & Lee 2005) through ``lifetimes``.

This is the one fitting path: the background job (``services.model_fit``) and ``bench.health``
both call ``summarize`` / ``fit`` / ``predict`` here, so the benchmark measures the code that runs.

Time unit: days. A customer's purchases are counted per day (two orders on one day are one
purchase occasion, as lifetimes' ``summary_data_from_transaction_data(freq="D")`` counts them):
``frequency`` = repeat purchase days, ``recency`` = days from the first to the last purchase,
``T`` = days from the first purchase to the end of the observation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

# Too little history: below any of these the model is not fitted and the recency rule is used.
MIN_CUSTOMERS = 30  # customers with at least one order
MIN_REPEAT_CUSTOMERS = 10  # customers with at least one repeat purchase day
MIN_HISTORY_DAYS = 60  # first order of the business to now
PENALIZER = 1e-4  # lifetimes' L2 penalty on the parameters; 1e-3 failed to converge on Online Retail (bench.health)
NO_DROPOUT_A = 1e-3  # a fit with a below this found no dropout: P(alive) is ~1 for everyone, so it is not used
HORIZON_DAYS = 90


@dataclass
class Fit:
    ok: bool
    params: dict = field(default_factory=dict)  # r, alpha, a, b
    log_likelihood: float | None = None
    seconds: float = 0.0
    note: str = ""


def summarize(customer_ids, times, *, end: dt.datetime):
    """Transactions (parallel sequences of customer id and aware datetime) -> a DataFrame indexed
    by customer id with frequency, recency and T in days."""
    import pandas as pd
    from lifetimes.utils import summary_data_from_transaction_data

    if len(customer_ids) == 0:
        return pd.DataFrame(columns=["frequency", "recency", "T"], dtype=float)
    tx = pd.DataFrame({"customer_id": list(customer_ids),
                       "at": pd.to_datetime(list(times), utc=True).tz_convert(None)})
    end = pd.Timestamp(end).tz_convert(None) if pd.Timestamp(end).tzinfo else pd.Timestamp(end)
    tx = tx[tx["at"] <= end]
    return summary_data_from_transaction_data(tx, "customer_id", "at", freq="D", observation_period_end=end)


def too_little_history(summary) -> str:
    """Why the model cannot be fitted on this summary ("" when it can)."""
    n = len(summary)
    if n < MIN_CUSTOMERS:
        return f"{n} customers with orders (need {MIN_CUSTOMERS})"
    repeat = int((summary["frequency"] > 0).sum())
    if repeat < MIN_REPEAT_CUSTOMERS:
        return f"{repeat} repeat customers (need {MIN_REPEAT_CUSTOMERS})"
    span = float(summary["T"].max())
    if span < MIN_HISTORY_DAYS:
        return f"{span:.0f} days of history (need {MIN_HISTORY_DAYS})"
    return ""


def fit(frequency, recency, T, *, penalizer: float = PENALIZER) -> Fit:
    """Fit BG/NBD; ``ok=False`` (with a note) when the optimiser fails or the parameters are
    not finite, so the caller falls back instead of storing nonsense."""
    from lifetimes import BetaGeoFitter

    started = time.perf_counter()
    model = BetaGeoFitter(penalizer_coef=penalizer)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
            model.fit(np.asarray(frequency), np.asarray(recency, dtype=float), np.asarray(T, dtype=float))
    except Exception as exc:  # lifetimes raises ConvergenceError (and prints the optimiser's result) and numpy errors
        return Fit(ok=False, seconds=time.perf_counter() - started, note=f"fit failed: {type(exc).__name__}")
    params = {k: float(v) for k, v in model.params_.items()}
    seconds = time.perf_counter() - started
    if not all(math.isfinite(v) and v > 0 for v in params.values()):
        return Fit(ok=False, seconds=seconds, note="fit gave parameters that are not finite")
    if params["a"] < NO_DROPOUT_A:
        return Fit(ok=True, params=params, seconds=seconds, note="no dropout found: P(alive) not used")
    ll = -float(model._negative_log_likelihood_) * len(np.asarray(frequency))
    return Fit(ok=True, params=params, log_likelihood=ll, seconds=seconds)


def fit_robust(frequency, recency, T, *, penalizer: float = PENALIZER) -> Fit:
    """``fit`` with the product's penalizer, and once more without one when that fails."""
    result = fit(frequency, recency, T, penalizer=penalizer)
    if not result.ok and penalizer:
        again = fit(frequency, recency, T, penalizer=0.0)
        if again.ok:
            again.note = (again.note + "; " if again.note else "") + "fitted without the penalizer"
            return again
    return result


def predict(params: dict, frequency, recency, T, *, horizon: float = HORIZON_DAYS):
    """(P(alive), expected purchases in the next ``horizon`` days) per customer, as arrays."""
    from lifetimes import BetaGeoFitter
    import pandas as pd

    model = BetaGeoFitter()
    model.params_ = pd.Series({k: params[k] for k in ("r", "alpha", "a", "b")})
    f = np.asarray(frequency, dtype=float)
    r = np.asarray(recency, dtype=float)
    t = np.asarray(T, dtype=float)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alive = np.asarray(model.conditional_probability_alive(f, r, t), dtype=float)
        expected = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(horizon, f, r, t), dtype=float)
    return np.nan_to_num(alive, nan=0.0).clip(0, 1), np.nan_to_num(expected, nan=0.0).clip(0, None)
