"""A small run of bench/kb_search on the test database (both backends): the demo help center and
300 fillers load, the labelled queries find their articles (MRR@10), and latencies are measured.
The 100,000-article run is by hand (docs/benchmarks.md)."""

from __future__ import annotations

import pytest

from bench.kb_search import load

pytestmark = pytest.mark.django_db


def test_the_bench_at_small_size(admin_user):
    ids = load.demo_load(admin_user)
    assert len(ids) == 14
    mrr_demo, _ = load.mrr_at_10(ids)
    assert mrr_demo >= 0.9
    load.fillers_load(300, batch=100)
    mrr_full, rows = load.mrr_at_10(ids)
    assert len(rows) == len(load.queries()) >= 45 and mrr_full >= 0.8
    assert len(load.latencies(1)) == len(rows)
