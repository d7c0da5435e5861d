"""Reads of the knowledge base. ``article_search`` is the one search entry point: it stems the
query like the index (``text.query_terms``) and runs it on the connection's backend (FTS5 on
SQLite, full-text search on PostgreSQL: ``search.run_query``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from tanggap.common.errors import NotFound
from tanggap.common.pagination import keyset_page
from tanggap.knowledge import search
from tanggap.knowledge.models import LANGUAGES, Article, ArticleTranslation, Category, Deflection, IdeaRun
from tanggap.knowledge.text import query_terms


@dataclass
class Result:
    article: Article
    translation: ArticleTranslation
    score: float

    @property
    def title(self) -> str:
        return self.translation.published_title or self.translation.title


def article_search(query: str, *, language: str | None = None, published: bool = True, limit: int = 10,
                   stem_language: str | None = None) -> list[Result]:
    """Articles best-first for ``query``, one per article (its best-matching translation, or the
    one in ``language`` when given). ``published``: the portal's copy (True) or the working copy
    staff edit (False). ``stem_language`` stems the query in one language only (default: both
    Sastrawi and English stems of each word)."""
    terms = query_terms(query, stem_language)
    if language not in LANGUAGES:
        language = None
    hits = search.run_query(terms, published=published, language=language, limit=limit * (1 if language else 3))
    best: dict[int, search.Hit] = {}
    for hit in hits:
        best.setdefault(hit.article_id, hit)
    chosen = list(best.values())[:limit]
    if not chosen:
        return []
    translations = {(t.article_id, t.language): t for t in ArticleTranslation.objects.filter(
        article_id__in=[h.article_id for h in chosen]).select_related("article", "article__category")}
    return [Result(translations[(h.article_id, h.language)].article, translations[(h.article_id, h.language)], h.score)
            for h in chosen if (h.article_id, h.language) in translations]


def article_ids_search(query: str, *, language: str | None = None, published: bool = True, limit: int = 10) -> list[int]:
    """Just the ranked article ids (the bench and the index checks)."""
    terms = query_terms(query)
    hits = search.run_query(terms, published=published, language=language, limit=limit * (1 if language else 3))
    out: list[int] = []
    for h in hits:
        if h.article_id not in out:
            out.append(h.article_id)
    return out[:limit]


def articles_for_staff(*, state: str = "", category: str = "", cursor: str | None = None, limit: int = 25):
    qs = Article.objects.select_related("category").prefetch_related("translations", "products")
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category__slug=category)
    return keyset_page(qs, order=["-updated_at", "-id"], cursor=cursor, limit=limit)


def article_get(*, article_id: int) -> Article:
    article = Article.objects.select_related("category").prefetch_related("translations", "products").filter(
        pk=article_id).first()
    if article is None:
        raise NotFound("article_not_found", "No such article.")
    return article


def published_article(*, slug: str) -> Article:
    article = Article.objects.select_related("category").prefetch_related("translations", "products").filter(
        slug=slug, published_at__isnull=False).first()
    if article is None:
        raise NotFound("article_not_found", "No such article.")
    return article


def published_translation(article: Article, language: str) -> ArticleTranslation | None:
    """The published copy in ``language``, else Indonesian, else any."""
    trs = {t.language: t for t in article.translations.all() if t.published_title}
    return trs.get(language) or trs.get("id") or next(iter(trs.values()), None)


def help_center(*, language: str) -> list[dict]:
    """Published articles by category, in the reader's language."""
    articles = (Article.objects.filter(published_at__isnull=False).select_related("category")
                .prefetch_related("translations").order_by("category__position", "category__slug", "slug"))
    groups: dict[object, dict] = {}
    for a in articles:
        tr = published_translation(a, language)
        if tr is None:
            continue
        key = a.category_id
        if key not in groups:
            groups[key] = {"category": a.category, "name": a.category.name(language) if a.category else "",
                           "articles": []}
        groups[key]["articles"].append({"article": a, "translation": tr})
    return list(groups.values())


def categories() -> list[Category]:
    return list(Category.objects.all())


def deflection_stats(*, since: dt.datetime | None = None, limit: int = 20) -> dict:
    """Opened suggestions and deflections (customer said the article answered them), per article."""
    qs = Deflection.objects.all()
    if since:
        qs = qs.filter(created_at__gte=since)
    rows = (qs.values("article_id").annotate(opened=Count("id", filter=Q(kind="opened")),
                                             answered=Count("id", filter=Q(kind="answered")))
            .order_by("-answered", "-opened", "article_id")[:limit])
    titles = {t.article_id: t.published_title or t.title for t in ArticleTranslation.objects.filter(
        article_id__in=[r["article_id"] for r in rows], language="id")}
    per_article = [{**r, "title": titles.get(r["article_id"], "")} for r in rows]
    totals = qs.aggregate(opened=Count("id", filter=Q(kind="opened")), answered=Count("id", filter=Q(kind="answered")))
    return {"totals": totals, "articles": per_article}


def latest_ideas() -> IdeaRun | None:
    return IdeaRun.objects.first()
