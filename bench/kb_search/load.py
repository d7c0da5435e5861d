"""Loading the bench's articles: the demo shop's help center (through the services, as a user
would publish it) and filler articles in bulk (SearchDoc rows + the vendor index, the same
tokens the services write), and the measures: latency percentiles and MRR@10."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from django.db import connection, transaction

QUERIES = Path(__file__).with_name("queries.json")

# Words the fillers are made of: the shop's domain (so queries meet many distractors), plus more.
FILLER_WORDS = {
    "id": ("pesanan paket kirim kurir resi alamat bayar transfer dana kembali rusak pecah garansi produk barang "
           "harga diskon promo stok toko gudang warna ukuran kemasan segel tanggal minggu hari layanan pelanggan "
           "email akun kata sandi aplikasi masuk daftar ulasan bintang foto video kabel lampu kipas setrika wajan "
           "sabun sampo serum popok susu tisu deterjen gelas wadah lemari meja kursi sepatu tas jaket kaos celana"),
    "ms": ("pesanan bungkusan hantar kurier alamat bayar wang pulang rosak pecah waranti produk barang harga "
           "diskaun promosi stok kedai gudang warna saiz pembungkusan meterai tarikh minggu hari perkhidmatan "
           "pelanggan emel akaun kata laluan aplikasi ulasan bintang gambar kabel lampu kipas seterika kuali sabun"),
    "en": ("order parcel ship courier tracking address pay transfer money refund damaged broken warranty product "
           "item price discount promo stock store warehouse colour size packaging seal date week day service "
           "customer email account password app login review star photo cable lamp fan iron pan soap shampoo"),
}


def demo_load(actor) -> dict[str, int]:
    """The demo help center, published as the demo publishes it; returns slug -> article id."""
    from tanggap.knowledge import services
    from tanggap.knowledge.demo_articles import ARTICLES, CATEGORIES

    for slug, id_, ms, en, pos in CATEGORIES:
        services.category_upsert(slug=slug, name_id=id_, name_ms=ms, name_en=en, position=pos)
    ids = {}
    for slug, category, _skus, _state, texts in ARTICLES:
        article = services.article_create(actor=actor, slug=slug, category=category, translations={
            lang: {"title": t, "body": b} for lang, (t, b) in texts.items()})
        services.article_publish(actor=actor, article=article)  # every one searchable in the bench
        ids[slug] = article.pk
    return ids


def demo_ids() -> dict[str, int]:
    """slug -> article id of the demo help center in a kept, loaded database."""
    from tanggap.knowledge.demo_articles import ARTICLES
    from tanggap.knowledge.models import Article

    slugs = [a[0] for a in ARTICLES]
    ids = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    assert len(ids) == len(slugs), "a kept database without the demo help center"
    return ids


def fillers_load(n: int, *, seed: int = 6, batch: int = 2000) -> float:
    """``n`` published filler articles (one language each, cycling id/ms/en), bulk-loaded; seconds."""
    from tanggap.common.clock import now
    from tanggap.knowledge import search
    from tanggap.knowledge.models import Article, ArticleState, ArticleTranslation, SearchDoc
    from tanggap.knowledge.text import stems

    rng = random.Random(seed)
    vocab = {lang: words.split() for lang, words in FILLER_WORDS.items()}
    # Most of a large help center is about other things: 6,000 pseudo-words (syllable pairs and
    # triples) make up three quarters of each filler; the shop's own words the rest.
    syllables = [c + v for c in "bcdfghjklmnprstwy" for v in "aiueo"]
    other = sorted({"".join(rng.choices(syllables, k=rng.choice((2, 3)))) for _ in range(6000)})

    def text(lang, k, share):
        return " ".join(rng.choice(vocab[lang]) if rng.random() < share else rng.choice(other) for _ in range(k))

    langs = ("id", "ms", "en")
    t0 = time.perf_counter()
    moment = now()
    done = 0
    while done < n:
        size = min(batch, n - done)
        with transaction.atomic():
            articles = Article.objects.bulk_create([
                Article(slug=f"isi-{done + i:06d}", state=ArticleState.PUBLISHED, published_at=moment,
                        created_at=moment, updated_at=moment) for i in range(size)])
            if connection.vendor != "postgresql" or articles[0].pk is None:
                first = Article.objects.get(slug=f"isi-{done:06d}").pk
                for i, a in enumerate(articles):
                    a.pk = first + i
            trs, texts = [], []
            for i, a in enumerate(articles):
                lang = langs[(done + i) % 3]
                title = text(lang, rng.randint(4, 8), 0.25).capitalize()
                body = text(lang, rng.randint(60, 140), 0.25) + f" kode{done + i}"
                trs.append(ArticleTranslation(article=a, language=lang, title=title, body=body, body_html="",
                                              published_title=title, published_body=body, published_html=""))
                texts.append((" ".join(stems(title, lang)), " ".join(stems(body, lang))))
            trs = ArticleTranslation.objects.bulk_create(trs)
            if trs[0].pk is None:
                by_article = dict(ArticleTranslation.objects.filter(article_id__in=[a.pk for a in articles])
                                  .values_list("article_id", "pk"))
                for tr in trs:
                    tr.pk = by_article[tr.article.pk]
            docs = [SearchDoc(translation_id=tr.pk, article_id=tr.article.pk, language=tr.language, published=pub,
                              title_stems=ts, body_stems=bs)
                    for tr, (ts, bs) in zip(trs, texts) for pub in (True, False)]
            SearchDoc.objects.bulk_create(docs)
            if docs[0].pk is None:
                keyed = {(d.translation_id, d.published): d for d in docs}
                for pk, tid, pub in SearchDoc.objects.filter(translation_id__in=[t.pk for t in trs]).values_list(
                        "pk", "translation_id", "published"):
                    keyed[(tid, pub)].pk = pk
            search.doc_index(docs)
        done += size
    settle()
    return time.perf_counter() - t0


def settle() -> None:
    """The index after a bulk load or a migration that rewrote it, as it is in steady use: on SQLite
    merged into one segment (the daily ``search_optimize`` task), on PostgreSQL what autovacuum
    would soon do (dead rows out, statistics fresh); done now so the measurement does not depend
    on when those run."""
    from tanggap.knowledge import search

    search.index_optimize()  # SQLite: what the daily search_optimize task does
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # VACUUM cannot run in a transaction (the bench's own test runs in one): ANALYZE can
            cur.execute(("" if connection.in_atomic_block else "VACUUM ") + "ANALYZE knowledge_searchdoc")
        search.forget_stats()  # the search's cached statistics are from before the load


def queries() -> list[dict]:
    return json.loads(QUERIES.read_text(encoding="utf-8"))


def mrr_at_10(slug_ids: dict[str, int]) -> tuple[float, list[dict]]:
    """Mean reciprocal rank of the first relevant article in the top 10, per query in its language."""
    from tanggap.knowledge.selectors import article_search

    total, rows = 0.0, []
    for item in queries():
        ranked = [r.article.pk for r in article_search(item["q"], language=item["lang"], limit=10)]
        relevant = {slug_ids[s] for s in item["relevant"]}
        rank = next((i + 1 for i, pk in enumerate(ranked) if pk in relevant), None)
        total += 1 / rank if rank else 0.0
        rows.append({"q": item["q"], "lang": item["lang"], "rank": rank})
    return total / len(rows), rows


def latencies(reps: int) -> list[float]:
    """Milliseconds per article_search call (the portal's: published, in the query's language)."""
    from tanggap.knowledge.selectors import article_search

    items = queries()
    for item in items:  # warm: stems cached, pages in memory
        article_search(item["q"], language=item["lang"], limit=10)
    out = []
    for _ in range(reps):
        for item in items:
            t0 = time.perf_counter()
            article_search(item["q"], language=item["lang"], limit=10)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * (len(s) - 1)))))
    return s[k]
