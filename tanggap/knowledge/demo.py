"""The demo store's knowledge (issue 6): called by tanggap.demo.parts after the tickets and journeys.

The help center of tanggap/knowledge/demo_articles.py (id/ms/en, some linked to the shop's
products) written by agents and published by a lead, one draft awaiting review, a few weeks of
contact-form deflections, and content ideas computed on the demo's tickets (the fake-product
theme comes out uncovered)."""

from __future__ import annotations

import datetime as dt
import hashlib

from tanggap.customers.models import Product
from tanggap.knowledge import services
from tanggap.knowledge.demo_articles import ARTICLES, CATEGORIES
from tanggap.knowledge.ideas import ideas_compute
from tanggap.knowledge.models import Article, Deflection, DeflectionKind


def play(ctx) -> dict:
    agents = ctx.agents
    writers = [u for name, u in sorted(agents.items()) if name in ("dewi", "putri", "nurul", "nabila")] or list(agents.values())
    lead = agents.get("rizky") or next(iter(agents.values()))
    for slug, id_, ms, en, pos in CATEGORIES:
        services.category_upsert(slug=slug, name_id=id_, name_ms=ms, name_en=en, position=pos)
    skus = set(Product.objects.values_list("sku", flat=True))
    published, drafts = [], []
    for i, (slug, category, products, state, texts) in enumerate(ARTICLES):
        writer = writers[i % len(writers)]
        article = services.article_create(actor=writer, slug=slug, category=category,
                                          products=[s for s in products if s in skus],
                                          translations={lang: {"title": t, "body": b} for lang, (t, b) in texts.items()})
        if state == "published":
            services.article_publish(actor=lead, article=article)
            published.append(article)
        else:
            services.article_submit(actor=writer, article=article)
            drafts.append(article)
        age = dt.timedelta(days=70 - 4 * i)
        Article.objects.filter(pk=article.pk).update(
            created_at=ctx.now - age, updated_at=ctx.now - age + dt.timedelta(days=1),
            published_at=(ctx.now - age + dt.timedelta(days=1)) if state == "published" else None)
    # Customers on the contact form over the last four weeks: suggestions opened, some answered.
    rows = []
    for n in range(60):
        article = ctx.rng.choice(published)
        key = hashlib.sha256(f"demo:{ctx.seed}:{n}".encode()).hexdigest()
        at = ctx.now - dt.timedelta(days=ctx.rng.randint(0, 27), minutes=ctx.rng.randint(0, 1200))
        language = ctx.rng.choice(("id", "id", "id", "ms", "en"))
        rows.append(Deflection(article=article, kind=DeflectionKind.OPENED, language=language, session_hash=key,
                               created_at=at))
        if ctx.rng.random() < 0.45:
            rows.append(Deflection(article=article, kind=DeflectionKind.ANSWERED, language=language, session_hash=key,
                                   created_at=at + dt.timedelta(minutes=2)))
    Deflection.objects.bulk_create(rows)
    run = ideas_compute(at=ctx.now)
    return {"articles": len(ARTICLES), "published": len(published), "awaiting_review": len(drafts),
            "deflections": sum(1 for r in rows if r.kind == DeflectionKind.ANSWERED),
            "idea_themes": len(run.themes), "uncovered_themes": sum(1 for t in run.themes if not t["covered_by"])}
