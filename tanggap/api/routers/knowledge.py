"""The knowledge base over the API (staff tokens): list, search and read articles in every
state, write drafts, send them for review, publish (leads and admins). Customers' search is the
portal's JSON endpoint (/portal/help/suggest/), published copies only. Rules: knowledge.services."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tanggap.api.schemas import ErrorOut, Id
from tanggap.common.errors import DomainError
from tanggap.knowledge import selectors, services

router = Router()


class TranslationIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=50_000, description="Markdown subset: ## headings, - lists, **bold**, [links](https://...)")


class ArticleIn(Schema):
    slug: str = Field(default="", max_length=120, description="the help-center address; default: from the Indonesian title")
    category: str | None = Field(default=None, max_length=60, description="category slug")
    products: list[str] = Field(default_factory=list, max_length=200, description="product SKUs")
    translations: dict[str, TranslationIn] = Field(description="id, ms and/or en")


class ArticlePatch(Schema):
    category: str | None = Field(default=None, max_length=60)
    products: list[str] | None = Field(default=None, max_length=200)
    translations: dict[str, TranslationIn] | None = None


class TranslationOut(Schema):
    language: str
    title: str
    body: str
    body_html: str
    published_title: str
    published_html: str


class ArticleOut(Schema):
    id: int
    slug: str
    state: str
    category: str | None
    products: list[str]
    published_at: dt.datetime | None
    updated_at: dt.datetime
    translations: list[TranslationOut]


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


class ListQuery(Schema):
    state: str = Field(default="", description="draft | review | published")
    category: str = Field(default="", max_length=60)
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=25, ge=1, le=100)


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=500)
    language: str = Field(default="", description="id | ms | en; empty: any")
    published: bool = Field(default=False, description="true: the published copies (what customers see)")
    limit: int = Field(default=10, ge=1, le=50)


class SearchHit(Schema):
    id: int
    slug: str
    state: str
    language: str
    title: str
    score: float


def article_out(a) -> dict:
    return {"id": a.pk, "slug": a.slug, "state": a.state, "category": a.category.slug if a.category_id else None,
            "products": sorted(p.sku for p in a.products.all()), "published_at": a.published_at,
            "updated_at": a.updated_at,
            "translations": [{"language": t.language, "title": t.title, "body": t.body, "body_html": t.body_html,
                              "published_title": t.published_title, "published_html": t.published_html}
                             for t in a.translations.all()]}


def _translations(value) -> dict | None:
    return None if value is None else {k: {"title": v.title, "body": v.body} for k, v in value.items()}


@router.get("/knowledge/articles", response={200: ArticlePage, 400: ErrorOut, 422: ErrorOut})
def article_list(request: HttpRequest, query: Query[ListQuery]):
    """Articles in every state, most recently changed first; `next_cursor` pages on."""
    if query.state and query.state not in ("draft", "review", "published"):
        raise DomainError("bad_state", "state is draft, review or published.", status=422)
    page = selectors.articles_for_staff(state=query.state, category=query.category, cursor=query.cursor,
                                        limit=query.limit)
    return {"items": [article_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.get("/knowledge/search", response={200: list[SearchHit], 422: ErrorOut})
def article_search(request: HttpRequest, query: Query[SearchQuery]):
    """Best-first articles for `q` (stemmed: Sastrawi for Indonesian/Malay, Snowball for English).
    Staff search the working copies by default, `published=true` the customers' copies."""
    results = selectors.article_search(query.q, language=query.language or None, published=query.published,
                                       limit=query.limit)
    return [{"id": r.article.pk, "slug": r.article.slug, "state": r.article.state, "language": r.translation.language,
             "title": r.translation.published_title if query.published else r.translation.title,
             "score": round(r.score, 6)} for r in results]


@router.get("/knowledge/articles/{article_id}", response={200: ArticleOut, 404: ErrorOut})
def article_detail(request: HttpRequest, article_id: Id):
    return article_out(selectors.article_get(article_id=article_id))


@router.post("/knowledge/articles", response={201: ArticleOut, 409: ErrorOut, 422: ErrorOut})
def article_post(request: HttpRequest, payload: ArticleIn):
    """A new draft (any staff). Errors: `translation_required`, `translation_incomplete`, `bad_language`,
    `bad_slug`, `unknown_category`, `unknown_product` (422), `slug_taken` (409)."""
    article = services.article_create(actor=request.auth, translations=_translations(payload.translations),
                                      slug=payload.slug, category=payload.category, products=payload.products)
    return Status(201, article_out(selectors.article_get(article_id=article.pk)))


@router.patch("/knowledge/articles/{article_id}", response={200: ArticleOut, 404: ErrorOut, 422: ErrorOut})
def article_patch(request: HttpRequest, article_id: Id, payload: ArticlePatch):
    """Change the working copy; a published article stays online as it was until published again."""
    article = selectors.article_get(article_id=article_id)
    services.article_update(actor=request.auth, article=article, translations=_translations(payload.translations),
                            category=payload.category, products=payload.products)
    return article_out(selectors.article_get(article_id=article_id))


@router.post("/knowledge/articles/{article_id}/submit", response={200: ArticleOut, 404: ErrorOut, 409: ErrorOut})
def article_submit(request: HttpRequest, article_id: Id):
    """Send a draft for review (409 `not_a_draft` otherwise)."""
    services.article_submit(actor=request.auth, article=selectors.article_get(article_id=article_id))
    return article_out(selectors.article_get(article_id=article_id))


@router.post("/knowledge/articles/{article_id}/publish",
             response={200: ArticleOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def article_publish(request: HttpRequest, article_id: Id):
    """Put the working copy online (leads and admins; 403 `not_reviewer` for agents)."""
    services.article_publish(actor=request.auth, article=selectors.article_get(article_id=article_id))
    return article_out(selectors.article_get(article_id=article_id))
