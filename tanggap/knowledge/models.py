"""Knowledge base (issue 6): articles in Indonesian, Malay and English, their search index,
deflections counted on the portal, and stored runs of content ideas from complaint themes.

An ``Article`` is one topic; its ``ArticleTranslation`` rows (one per language) are the linked
translations. Each translation holds a *working copy* (``title``/``body``, edited by staff) and
the *published copy* (``published_*``) that customers read; publishing copies one onto the other.
``SearchDoc`` is the stemmed text the search reads, one row per translation and copy (working /
published); the full-text index over it is vendor-specific (see ``search.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now

LANGUAGES = ("id", "ms", "en")


class Language(models.TextChoices):
    ID = "id", _("Indonesian")
    MS = "ms", _("Malay")
    EN = "en", _("English")


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Awaiting review")
    PUBLISHED = "published", _("Published")


class Category(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name_id = models.CharField(max_length=120)
    name_ms = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_id

    def __str__(self) -> str:
        return self.name_id


class Article(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    products = models.ManyToManyField("customers.Product", blank=True, related_name="articles")
    # The working copy's state; a published copy may exist beside a draft (published_at set).
    state = models.CharField(max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-updated_at", "-id"], name="kb_article_updated"),
                   models.Index(fields=["state", "-updated_at", "-id"], name="kb_article_state_updated")]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __str__(self) -> str:
        return self.slug


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=2, choices=Language.choices)
    # Working copy: ``body`` is the source (a small Markdown subset), ``body_html`` its sanitized rendering.
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(blank=True)
    # What customers see (empty until published).
    published_title = models.CharField(max_length=200, blank=True)
    published_body = models.TextField(blank=True)
    published_html = models.TextField(blank=True)

    class Meta:
        ordering = ["article_id", "language"]
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="kb_translation_unique")]


class SearchDoc(models.Model):
    """Stemmed text of one translation's working (``published=False``) or published copy."""

    translation = models.ForeignKey(ArticleTranslation, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)
    published = models.BooleanField()
    title_stems = models.TextField()
    body_stems = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["translation", "published"], name="kb_searchdoc_unique")]


class DeflectionKind(models.TextChoices):
    OPENED = "opened", _("Suggestion opened")
    ANSWERED = "answered", _("Answered the question")


class Deflection(models.Model):
    """A customer on the contact form opened a suggested article (``opened``) and said it
    answered their question (``answered``: the deflection). One of each per article and session."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    kind = models.CharField(max_length=10, choices=DeflectionKind.choices)
    language = models.CharField(max_length=2)
    session_hash = models.CharField(max_length=64)
    query = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "kind", "session_hash"], name="kb_deflection_once")]
        indexes = [models.Index(fields=["kind", "created_at"], name="kb_deflection_kind_at")]


class IdeaRun(models.Model):
    """One computation of content ideas (themes of recent tickets), kept so the page reads it."""

    computed_at = models.DateTimeField(default=now)
    since = models.DateTimeField()
    tickets = models.PositiveIntegerField(default=0)
    themes = models.JSONField(default=list)

    class Meta:
        ordering = ["-computed_at", "-id"]
