"""Search: inflected Indonesian, Malay and English forms find their article; drafts never reach
the published copy; the index follows every write. The same tests run on SQLite (FTS5) and on
PostgreSQL (full-text search) under ``make test``."""

from __future__ import annotations

import pytest
from django.db import connection

from tanggap.knowledge import services
from tanggap.knowledge.selectors import article_search

pytestmark = pytest.mark.django_db


def slugs(results):
    return [r.article.slug for r in results]


@pytest.mark.parametrize("query, language", [
    ("Bagaimana saya mengembalikan barang dan kapan uang kembali?", "id"),  # kembalikan/dikembalikan -> kembali
    ("pengembalian", "id"),
    ("bila wang saya dipulangkan", "ms"),  # pulang
    ("pemulangan", "ms"),
    ("refunding my order", "en"),  # refund
])
def test_inflected_forms_find_the_refund_article(kb, query, language):
    results = article_search(query, language=language)
    assert slugs(results)[0] == "pengembalian-dana"
    assert results[0].translation.language == language


def test_the_root_and_its_derived_forms_meet_in_the_index(kb):
    """"kembalikan" is not in the article (it says "dikembalikan"), yet both are "kembali"."""
    assert slugs(article_search("kembalikan", language="id")) == ["pengembalian-dana"]
    assert slugs(article_search("pengiriman paket", language="id"))[0] == "lacak-pengiriman"
    assert slugs(article_search("penghantaran", language="ms")) == ["lacak-pengiriman"]
    assert slugs(article_search("delivered parcel", language="en")) == ["lacak-pengiriman"]


def test_without_a_language_the_best_translation_of_each_article_comes_once(kb):
    results = article_search("payment credit card")
    assert slugs(results) == ["metode-pembayaran"]
    assert results[0].translation.language == "en"


def test_drafts_are_never_in_the_published_search_but_staff_find_them(kb):
    assert article_search("garansi blender") == []
    assert slugs(article_search("garansi blender", published=False)) == ["garansi-rahasia"]


def test_an_edit_of_a_published_article_stays_offline_until_published(kb, agent, lead):
    services.article_update(actor=agent, article=kb["payment"], translations={
        "id": {"title": "Metode pembayaran", "body": "Sekarang juga bisa bayar di minimarket (COD tidak)."}})
    assert article_search("minimarket", language="id") == []
    assert slugs(article_search("minimarket", language="id", published=False)) == ["metode-pembayaran"]
    services.article_publish(actor=lead, article=kb["payment"])
    assert slugs(article_search("minimarket", language="id")) == ["metode-pembayaran"]
    assert article_search("dompet digital", language="id") == []  # the old text is gone from the index


def test_unpublishing_takes_it_off_the_search(kb, lead):
    services.article_unpublish(actor=lead, article=kb["delivery"])
    assert "lacak-pengiriman" not in slugs(article_search("pengiriman paket kurir"))


def test_a_query_of_only_stop_words_or_symbols_finds_nothing_and_does_not_fail(kb):
    assert article_search("yang dan di") == []
    assert article_search('"OR* NEAR( ) \' ; --') == []


def test_the_backend_is_the_connections(kb):
    """The one selector runs on whichever database is configured; on PostgreSQL the ranks come from
    ts_rank and the tsvector column exists (the same assertions above hold for both)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT count(*) FROM knowledge_searchdoc WHERE tsv IS NOT NULL")
        else:
            cur.execute("SELECT count(*) FROM knowledge_fts")
        assert cur.fetchone()[0] == 3 * 4 + 3 * 3  # working copies of 4 articles + published copies of 3


@pytest.fixture
def crowded(kb, agent, lead, monkeypatch):
    """The budget path of a large help center, on a small one: 30 more published articles all say
    "paket" and "bank" in their bodies, and the retrieval budget is cut to 10 documents, so those
    words are "common" (they retrieve by themselves only in a title, or all together)."""
    from tanggap.knowledge import search

    for i in range(30):
        body = f"Catatan {i}: paket dan rekening bank, nomor {i}."
        services.article_publish(actor=lead, article=services.article_create(actor=agent, slug=f"isi-{i}", translations={
            lang: {"title": f"Catatan gudang {i}", "body": body} for lang in ("id", "ms", "en")}))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE knowledge_searchdoc")
        search.forget_stats()
    monkeypatch.setattr(search, "CANDIDATES", 10)
    monkeypatch.setattr(search, "ALL_COMMON_CANDIDATES", 10)
    if connection.vendor == "postgresql":  # the planner's statistics see "paket" as common
        assert search._pg_doc_freqs(["id1xpaket"])[0]["id1xpaket"] > 10
    yield
    search.forget_stats()  # cached per process: not for the next test's database


def test_over_budget_a_common_word_still_finds_the_article_with_it_in_the_title(crowded):
    assert slugs(article_search("paket", language="id"))[0] == "lacak-pengiriman"  # "Melacak pengiriman paket"


def test_over_budget_a_rare_word_beside_common_ones_finds_its_article_first(crowded):
    # "dompet" (rare) + "bank" (common): the payment article, not the 30 that only say "bank"
    assert slugs(article_search("dompet bank", language="id"))[0] == "metode-pembayaran"
    assert slugs(article_search("resi paket", language="id"))[0] == "lacak-pengiriman"


def test_over_budget_a_query_of_common_words_only_still_finds_the_article_with_one_in_its_title(crowded):
    # "paket" and "bank" are both common and together (close, too) in 30 articles, over the budget:
    # nothing but the title clause retrieves, so one of them in a title is enough
    assert slugs(article_search("paket bank", language="id"))[0] == "lacak-pengiriman"


def test_over_budget_an_article_with_two_of_the_common_words_in_its_title_is_found(crowded, agent, lead):
    services.article_publish(actor=lead, article=services.article_create(actor=agent, slug="paket-bank", translations={
        "id": {"title": "Paket dan bank", "body": "Lain kali."}}))
    if connection.vendor == "postgresql":
        from tanggap.knowledge import search

        with connection.cursor() as cur:
            cur.execute("ANALYZE knowledge_searchdoc")
        search.forget_stats()
    found = slugs(article_search("dompet paket bank", language="id"))
    assert found[0] == "paket-bank" and "metode-pembayaran" in found  # the title pair; the rare word ("dompet")


def test_the_daily_optimize_keeps_every_article_findable(kb):
    from tanggap.knowledge.tasks import search_optimize

    assert search_optimize.call() == {"optimized": True}
    assert slugs(article_search("kembalikan", language="id")) == ["pengembalian-dana"]
    assert slugs(article_search("pengiriman paket", language="id"))[0] == "lacak-pengiriman"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage")
def test_postgresql_keeps_the_tsvector_in_the_row_and_gin_without_a_pending_list(kb):
    """``ts_rank`` reads every candidate's tsvector: in the row, not in the TOAST table (migration 0005)."""
    with connection.cursor() as cur:
        cur.execute("SELECT attstorage FROM pg_attribute WHERE attrelid = 'knowledge_searchdoc'::regclass "
                    "AND attname = 'tsv'")
        assert cur.fetchone()[0] == "m"
        cur.execute("SELECT relname, reloptions FROM pg_class WHERE relname IN ('kb_searchdoc_tsv', "
                    "'kb_searchdoc_title_tsv') ORDER BY relname")
        assert cur.fetchall() == [("kb_searchdoc_title_tsv", ["fastupdate=off"]), ("kb_searchdoc_tsv", ["fastupdate=off"])]
