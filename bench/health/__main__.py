"""BG/NBD on real purchase histories: ``nice -n 5 .venv/bin/python -m bench.health [--data DIR]``.

DIR is laid out like ``../shared/corpora/online-retail`` (the default): it holds
``online_retail.train_before_2011-10-01.csv.gz``. CDNOW comes from the ``lifetimes`` package
(``CDNOW_sample.txt``, the 1/10 sample of 2,357 customers that Fader, Hardie & Lee 2005 used).

For each data set, split by time into a calibration period and a holdout period:

1. direct lifetimes: ``calibration_and_holdout_data`` + ``BetaGeoFitter().fit`` on the
   calibration period; the parameters (CDNOW: beside the published fit r=0.243, alpha=4.414,
   a=0.793, b=2.426) and the fit time;
2. the holdout error of the expected number of repeat purchases per customer in the holdout
   period (MAE, RMSE), and the aggregate: predicted vs actual repeat purchases in the holdout;
   for CDNOW also with the published parameters;
3. the product's own path (``tanggap.health.churn``: summarize, fit, predict, the code the job
   runs) without a penalizer, with the largest difference to direct lifetimes, and with the
   product's penalizer (churn.PENALIZER).

Purchases are counted per day (several orders on one day are one purchase occasion, as in the
paper and in the product). Time unit: days for the fits (alpha shown per week for CDNOW too).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from tanggap.health import churn  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "corpora" / "online-retail"
RETAIL_FILE = "online_retail.train_before_2011-10-01.csv.gz"
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # alpha per week


def cdnow_transactions() -> pd.DataFrame:
    import lifetimes

    path = pathlib.Path(lifetimes.__file__).parent / "datasets" / "CDNOW_sample.txt"
    raw = pd.read_csv(path, sep=r"\s+", header=None, names=["customer", "old_id", "date", "quantity", "amount"],
                      dtype={"date": str})
    return pd.DataFrame({"customer": raw["customer"], "at": pd.to_datetime(raw["date"], format="%Y%m%d")})


def retail_transactions(data: pathlib.Path) -> pd.DataFrame:
    raw = pd.read_csv(data / RETAIL_FILE, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": "Int64"},
                      parse_dates=["InvoiceDate"], usecols=["InvoiceNo", "Quantity", "InvoiceDate", "CustomerID"])
    kept = raw[raw["CustomerID"].notna() & ~raw["InvoiceNo"].str.startswith("C") & (raw["Quantity"] > 0)]
    invoices = kept.drop_duplicates("InvoiceNo")
    return pd.DataFrame({"customer": invoices["CustomerID"].astype(int), "at": invoices["InvoiceDate"]})


def errors(predicted: np.ndarray, actual: np.ndarray) -> dict:
    diff = predicted - actual
    return {"mae": float(np.abs(diff).mean()), "rmse": float(np.sqrt((diff ** 2).mean())),
            "predicted": float(predicted.sum()), "actual": float(actual.sum())}


def line(label: str, e: dict) -> str:
    return (f"  {label:<44} MAE {e['mae']:.3f}  RMSE {e['rmse']:.3f}  holdout repeat purchases "
            f"predicted {e['predicted']:,.0f} vs actual {e['actual']:,.0f} ({100 * (e['predicted'] / e['actual'] - 1):+.1f}%)")


def params_text(p: dict, per_week: bool = False) -> str:
    alpha = p["alpha"] / 7 if per_week else p["alpha"]
    return f"r={p['r']:.3f} alpha={alpha:.3f} a={p['a']:.3f} b={p['b']:.3f}"


def run(name: str, tx: pd.DataFrame, calibration_end: str, observation_end: str, *, weeks: bool) -> dict:
    from lifetimes import BetaGeoFitter
    from lifetimes.utils import calibration_and_holdout_data

    cal_end, obs_end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    horizon = (obs_end - cal_end).days
    print(f"\n== {name}: {tx['customer'].nunique():,} customers, {len(tx):,} transactions, "
          f"calibration to {cal_end.date()}, holdout {horizon} days to {obs_end.date()}")

    # 1. direct lifetimes
    t0 = time.perf_counter()
    ch = calibration_and_holdout_data(tx, "customer", "at", calibration_period_end=cal_end,
                                      observation_period_end=obs_end, freq="D")
    split_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    direct = BetaGeoFitter(penalizer_coef=0.0).fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    fit_s = time.perf_counter() - t0
    dp = {k: float(v) for k, v in direct.params_.items()}
    actual = ch["frequency_holdout"].to_numpy(dtype=float)
    pred_direct = np.asarray(direct.conditional_expected_number_of_purchases_up_to_time(
        horizon, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]), dtype=float)
    print(f"  {len(ch):,} customers in the calibration period, {int((ch['frequency_cal'] > 0).sum()):,} with a repeat "
          f"purchase; split {split_s:.2f} s")
    print(f"  direct lifetimes fit: {params_text(dp)} (alpha in days)" +
          (f"; per week {params_text(dp, per_week=True)}" if weeks else "") + f"; fit {fit_s:.2f} s")
    if weeks:
        print(f"  published (Fader, Hardie & Lee 2005):      {params_text(PUBLISHED)} (alpha per week)")
    out = {"direct": errors(pred_direct, actual), "params": dp, "fit_s": fit_s}
    print(line("direct lifetimes fit", out["direct"]))
    if weeks:
        published = {**PUBLISHED, "alpha": PUBLISHED["alpha"] * 7}
        _, pred_pub = churn.predict(published, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"], horizon=horizon)
        out["published"] = errors(pred_pub, actual)
        print(line("published parameters", out["published"]))
    # Churn risk: among customers with a repeat purchase in the calibration period, how well
    # 1 - P(alive) and the product's recency rule (days since the last purchase / the customer's usual
    # gap: the fallback) rank those who bought nothing in the holdout (ROC AUC; 0.5 = chance).
    from sklearn.metrics import roc_auc_score

    alive, _ = churn.predict(dp, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"], horizon=horizon)
    rep = (ch["frequency_cal"] > 0).to_numpy()
    silent = (actual[rep] == 0)
    gap = ch["recency_cal"].to_numpy(float)[rep] / ch["frequency_cal"].to_numpy(float)[rep]
    overdue = (ch["T_cal"].to_numpy(float)[rep] - ch["recency_cal"].to_numpy(float)[rep]) / np.maximum(gap, 1)
    out["auc_p_alive"] = float(roc_auc_score(silent, 1 - alive[rep])) if 0 < silent.sum() < len(silent) else None
    out["auc_recency"] = float(roc_auc_score(silent, overdue)) if 0 < silent.sum() < len(silent) else None
    print(f"  no purchase in the holdout, {rep.sum():,} repeat customers ({silent.mean():.0%} silent): ROC AUC of "
          f"1 - P(alive) {out['auc_p_alive']:.3f}, of the recency rule {out['auc_recency']:.3f}")
    mean_rate = actual.sum() / max(1, len(actual))
    print(line("baseline: everyone the mean holdout count", errors(np.full_like(actual, mean_rate), actual)))

    # 2. the product's path (the code the job runs)
    t0 = time.perf_counter()
    cal = tx[tx["at"] <= cal_end]
    summary = churn.summarize(cal["customer"].to_numpy(), cal["at"].to_numpy(), end=cal_end.tz_localize("UTC"))
    summary = summary.loc[ch.index]
    summ_s = time.perf_counter() - t0
    for penalizer in (0.0, churn.PENALIZER, 1e-3):
        fit = (churn.fit if penalizer != churn.PENALIZER else churn.fit_robust)(
            summary["frequency"], summary["recency"], summary["T"], penalizer=penalizer)
        if not fit.ok:
            print(f"  product path, penalizer {penalizer:g}: {fit.note} (fit_robust would then refit without a penalizer)")
            continue
        _alive, pred = churn.predict(fit.params, summary["frequency"], summary["recency"], summary["T"], horizon=horizon)
        e = errors(pred, actual)
        label = f"product path, penalizer {penalizer:g}" + (" (the job's)" if penalizer == churn.PENALIZER else "")
        alive_low = int((_alive < 0.5).sum())
        print(f"  {label}: {params_text(fit.params)}; summarize {summ_s:.2f} s, fit {fit.seconds:.2f} s; "
              f"P(alive) < 0.5 for {alive_low:,} customers{'; ' + fit.note if fit.note else ''}")
        print(line(label, e))
        if penalizer == 0.0:
            same_input = bool((summary[["frequency", "recency", "T"]].to_numpy()
                               == ch[["frequency_cal", "recency_cal", "T_cal"]].to_numpy()).all())
            print(f"  product path vs direct: same calibration summary {same_input}; largest parameter difference "
                  f"{max(abs(fit.params[k] - dp[k]) for k in dp):.2e}; largest prediction difference "
                  f"{float(np.abs(pred - pred_direct).max()):.2e}")
            out["product"] = e
        elif penalizer == churn.PENALIZER:
            out["product_penalized"] = e
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=pathlib.Path, default=DEFAULT_DATA,
                        help="a folder laid out like ../shared/corpora/online-retail")
    args = parser.parse_args()
    started = time.perf_counter()
    import lifetimes

    print(f"lifetimes {lifetimes.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    run("CDNOW (lifetimes' CDNOW_sample.txt)", cdnow_transactions(), "1997-09-30", "1998-06-30", weeks=True)
    retail = retail_transactions(args.data)
    run(f"Online Retail ({args.data / RETAIL_FILE})", retail, "2011-06-30", "2011-09-30", weeks=False)
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
