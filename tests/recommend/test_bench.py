"""The benchmark end to end on the shared Online Retail copy (slow: about a minute on a quiet
machine): it prints every model's figures, and ours meets the target there."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RETAIL = ROOT.parent / "shared" / "corpora" / "online-retail"


@pytest.mark.slow
@pytest.mark.skipif(not RETAIL.exists(), reason="shared corpora not present")
def test_bench_prints_the_figures_and_ours_meets_the_target():
    out = subprocess.run([sys.executable, "-m", "bench.recommend", "--data", str(RETAIL), "--no-scale",
                          "--no-instacart"], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    for model in ("popularity", "item-kNN (cosine)", "implicit ALS", "ours"):
        assert re.search(rf"^  {re.escape(model)} +HitRate@10 0\.\d{{4}}  NDCG@10 0\.\d{{4}}", out.stdout, re.M), out.stdout
    assert "(meets the target)" in out.stdout and "Instacart" not in out.stdout
