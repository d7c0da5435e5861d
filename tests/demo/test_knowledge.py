"""The demo's knowledge base (tanggap/knowledge/demo.py) on the package's one generated store."""

from __future__ import annotations

import pytest

from tanggap.knowledge.models import Article, IdeaRun
from tanggap.knowledge.selectors import article_search

pytestmark = pytest.mark.django_db


def test_demo_help_center_draft_and_content_ideas(demo, client):
    counts = demo.counts["knowledge"]
    assert counts["articles"] >= 12 and counts["awaiting_review"] == 1 and counts["deflections"] > 0
    assert Article.objects.filter(published_at__isnull=False).count() == counts["published"]
    assert Article.objects.filter(state="review", published_at__isnull=True).count() == 1
    assert Article.objects.filter(products__isnull=False).distinct().count() >= 3
    page = client.get("/portal/help/").content.decode()
    assert "Cara melacak pesanan dan nomor resi" in page and "kedaluwarsa" not in page
    assert article_search("bila wang saya dipulangkan", language="ms")[0].article.slug == "pengembalian-dana"
    run = IdeaRun.objects.get()
    assert run.tickets > 100 and len(run.themes) >= 3
    assert any(t["covered_by"] for t in run.themes)
    assert any(not t["covered_by"] for t in run.themes)
