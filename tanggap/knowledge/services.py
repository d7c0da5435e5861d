"""Writes of the knowledge base. Every function runs in one transaction and keeps the search
index in step with the text it changes (``SearchDoc`` rows + the vendor index, ``search.py``).

Workflow: any staff member writes and edits drafts and submits them for review; a team lead or an
admin publishes (also straight from a draft: they are the reviewers). Publishing copies each
translation's working copy onto its published copy, which is all the portal ever reads. Editing a
published article leaves the published copy online until the edit is published in turn."""

from __future__ import annotations

import hashlib
import re

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.common.clock import now
from tanggap.common.errors import DomainError, PermissionDenied
from tanggap.customers.models import Product
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.knowledge import search
from tanggap.knowledge.models import (LANGUAGES, Article, ArticleState, ArticleTranslation, Category, Deflection,
                                      DeflectionKind, SearchDoc)
from tanggap.knowledge.render import plain_text, render_body
from tanggap.knowledge.text import stems

MAX_TITLE = 200
MAX_BODY = 50_000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def can_publish(user) -> bool:
    return role_of(user) in (Role.LEAD, Role.ADMIN)


def _require_staff(user) -> None:
    if role_of(user) is None:
        raise PermissionDenied("not_staff", "Only staff may write articles.")


def _clean_translations(translations: dict, *, partial: bool) -> dict[str, tuple[str, str]]:
    if not isinstance(translations, dict) or (not translations and not partial):
        raise DomainError("translation_required", "An article needs at least one language (id, ms or en).", status=422)
    out = {}
    for lang, value in translations.items():
        if lang not in LANGUAGES:
            raise DomainError("bad_language", f"Unknown language {lang!r}: use id, ms or en.", status=422)
        title = str((value or {}).get("title", "")).strip()
        body = str((value or {}).get("body", "")).strip()
        if not title or not body:
            raise DomainError("translation_incomplete", f"The {lang} translation needs a title and a body.", status=422)
        if len(title) > MAX_TITLE or len(body) > MAX_BODY:
            raise DomainError("translation_too_long",
                              f"The {lang} title is at most {MAX_TITLE} characters and the body {MAX_BODY}.", status=422)
        out[lang] = (title, body)
    return out


def _products(skus_or_ids) -> list[Product]:
    if skus_or_ids is None:
        return None
    wanted = [str(x) for x in skus_or_ids]
    found = list(Product.objects.filter(sku__in=wanted)) + list(
        Product.objects.filter(pk__in=[int(x) for x in wanted if x.isdigit()]))
    by_key = {p.sku: p for p in found} | {str(p.pk): p for p in found}
    missing = [x for x in wanted if x not in by_key]
    if missing:
        raise DomainError("unknown_product", f"Unknown product(s): {', '.join(missing)}.", status=422)
    return list({p.pk: p for p in (by_key[x] for x in wanted)}.values())


def _category(slug: str | None):
    if not slug:
        return None
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise DomainError("unknown_category", f"Unknown category {slug!r}.", status=422)
    return category


def _write_docs(translation: ArticleTranslation, *, published: bool) -> None:
    if published:
        title, body = translation.published_title, translation.published_body
    else:
        title, body = translation.title, translation.body
    doc, _ = SearchDoc.objects.update_or_create(
        translation=translation, published=published,
        defaults={"article_id": translation.article_id, "language": translation.language,
                  "title_stems": " ".join(stems(title, translation.language)),
                  "body_stems": " ".join(stems(plain_text(body), translation.language))})
    search.doc_index([doc])


def category_upsert(*, slug: str, name_id: str, name_ms: str = "", name_en: str = "", position: int = 0) -> Category:
    if not SLUG.match(slug or ""):
        raise DomainError("bad_slug", "A category slug is lower-case letters, digits and dashes.", status=422)
    category, _ = Category.objects.update_or_create(
        slug=slug, defaults={"name_id": name_id, "name_ms": name_ms or name_id, "name_en": name_en or name_id,
                             "position": position})
    return category


@transaction.atomic
def article_create(*, actor, translations: dict, slug: str = "", category: str | None = None,
                   products=None) -> Article:
    """A new draft. ``translations`` maps id/ms/en to {"title", "body"}."""
    _require_staff(actor)
    texts = _clean_translations(translations, partial=False)
    slug = slug or slugify(texts.get("id", next(iter(texts.values())))[0])[:100] or "artikel"
    if not SLUG.match(slug):
        raise DomainError("bad_slug", "A slug is lower-case letters, digits and dashes.", status=422)
    if Article.objects.filter(slug=slug).exists():
        raise DomainError("slug_taken", f"An article with the address {slug!r} exists already.", status=409)
    moment = now()
    try:
        with transaction.atomic():
            article = Article.objects.create(slug=slug, category=_category(category), created_by=actor,
                                             updated_by=actor, created_at=moment, updated_at=moment)
    except IntegrityError:
        raise DomainError("slug_taken", f"An article with the address {slug!r} exists already.", status=409) from None
    if products:
        article.products.set(_products(products))
    for lang, (title, body) in texts.items():
        tr = ArticleTranslation.objects.create(article=article, language=lang, title=title, body=body,
                                               body_html=render_body(body))
        _write_docs(tr, published=False)
    return article


@transaction.atomic
def article_update(*, actor, article: Article, translations: dict | None = None, category: str | None = None,
                   products=None) -> Article:
    """Change the working copy (languages given are replaced, others kept). A published article
    stays online as it was; its working copy goes back to draft until published again."""
    _require_staff(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    texts = _clean_translations(translations or {}, partial=True)
    for lang, (title, body) in texts.items():
        tr, _ = ArticleTranslation.objects.update_or_create(
            article=article, language=lang, defaults={"title": title, "body": body, "body_html": render_body(body)})
        _write_docs(tr, published=False)
    if category is not None:
        article.category = _category(category)
    if products is not None:
        article.products.set(_products(products))
    article.state = ArticleState.DRAFT
    article.updated_by, article.updated_at = actor, now()
    article.save()
    return article


@transaction.atomic
def article_submit(*, actor, article: Article) -> Article:
    """Ask a lead or admin to review the working copy."""
    _require_staff(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.state != ArticleState.DRAFT:
        raise DomainError("not_a_draft", "Only a draft can be sent for review.", status=409)
    article.state, article.submitted_by, article.updated_at = ArticleState.REVIEW, actor, now()
    article.save(update_fields=["state", "submitted_by", "updated_at"])
    return article


@transaction.atomic
def article_publish(*, actor, article: Article) -> Article:
    """Put the working copy online (leads and admins)."""
    if not can_publish(actor):
        raise PermissionDenied("not_reviewer", "Only a team lead or an admin publishes articles.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.state == ArticleState.PUBLISHED:
        raise DomainError("already_published", "This version is online already.", status=409)
    for tr in article.translations.all():
        tr.published_title, tr.published_body, tr.published_html = tr.title, tr.body, tr.body_html
        tr.save(update_fields=["published_title", "published_body", "published_html"])
        _write_docs(tr, published=True)
        publish(names.ARTICLE_PUBLISHED, article_id=article.pk, language=tr.language)
    moment = now()
    article.state, article.published_by, article.published_at, article.updated_at = (
        ArticleState.PUBLISHED, actor, moment, moment)
    article.save(update_fields=["state", "published_by", "published_at", "updated_at"])
    return article


@transaction.atomic
def article_unpublish(*, actor, article: Article) -> Article:
    """Take an article off the help center; its text stays as a draft."""
    if not can_publish(actor):
        raise PermissionDenied("not_reviewer", "Only a team lead or an admin unpublishes articles.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    docs = list(SearchDoc.objects.filter(article=article, published=True).values_list("pk", flat=True))
    search.doc_unindex(docs)
    SearchDoc.objects.filter(pk__in=docs).delete()
    ArticleTranslation.objects.filter(article=article).update(published_title="", published_body="", published_html="")
    article.state, article.published_at, article.updated_at = ArticleState.DRAFT, None, now()
    article.save(update_fields=["state", "published_at", "updated_at"])
    return article


def session_hash(session_key: str) -> str:
    return hashlib.sha256(f"kb-deflection:{session_key}".encode()).hexdigest()


def deflection_record(*, article: Article, kind: str, language: str, session_key: str, query: str = "") -> bool:
    """Count that a customer on the contact form opened a suggestion / said it answered their
    question; once per article, kind and browser session. Returns whether it was new."""
    if kind not in DeflectionKind.values:
        raise DomainError("bad_kind", "kind is opened or answered.", status=422)
    if not article.is_published:
        raise DomainError("not_found", "No such article.", status=404)
    try:
        with transaction.atomic():
            Deflection.objects.create(article=article, kind=kind, language=language[:2],
                                      session_hash=session_hash(session_key), query=(query or "")[:200])
    except IntegrityError:
        return False
    return True
