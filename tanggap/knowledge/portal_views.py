"""The public help center on the customer portal (/portal/help/...): no sign-in, published
copies only. The contact form's suggestions come from ``suggest`` (JSON); an article opened from a
suggestion counts as ``opened`` and its "this answered my question" button as a deflection."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import NotFound
from tanggap.knowledge import selectors, services
from tanggap.knowledge.models import LANGUAGES, DeflectionKind
from tanggap.portal.views import _signed_in

MAX_QUERY = 500


def _language(request) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else (get_language() or "id")[:2]


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _render(request, template, context):
    return render(request, template, {"portal_customer": _signed_in(request), **context})


@require_GET
def help_index(request):
    language = _language(request)
    q = request.GET.get("q", "")[:MAX_QUERY].strip()
    results = []
    if q:
        results = selectors.article_search(q, language=language, limit=10) or selectors.article_search(q, limit=10)
    return _render(request, "knowledge/portal/index.html", {
        "groups": [] if q else selectors.help_center(language=language), "q": q, "results": results,
        "language": language})


@require_GET
def help_article(request, slug: str):
    language = _language(request)
    try:
        article = selectors.published_article(slug=slug)
    except NotFound:
        raise Http404 from None
    translation = selectors.published_translation(article, language)
    if translation is None:
        raise Http404
    from_contact = request.GET.get("from") == "contact"
    if from_contact:
        services.deflection_record(article=article, kind=DeflectionKind.OPENED, language=translation.language,
                                   session_key=_session_key(request), query=request.GET.get("q", ""))
    others = [t for t in article.translations.all() if t.published_title and t.language != translation.language]
    return _render(request, "knowledge/portal/article.html", {
        "article": article, "translation": translation, "others": others, "from_contact": from_contact,
        "q": request.GET.get("q", "")[:200], "category_name": article.category.name(translation.language) if article.category else "",
        "answered": request.GET.get("answered") == "1"})


@require_POST
def help_answered(request, slug: str):
    try:
        article = selectors.published_article(slug=slug)
    except NotFound:
        raise Http404 from None
    language = request.POST.get("lang", "")
    services.deflection_record(article=article, kind=DeflectionKind.ANSWERED,
                               language=language if language in LANGUAGES else "id",
                               session_key=_session_key(request), query=request.POST.get("q", ""))
    url = reverse("knowledge:help-article", args=[article.slug])
    return redirect(f"{url}?{urlencode({'lang': language, 'answered': '1'})}" if language in LANGUAGES
                    else f"{url}?answered=1")


@require_GET
def suggest(request):
    """Published articles for what the customer is typing: {"items": [{"title", "url", "excerpt"}]}."""
    language = _language(request)
    q = request.GET.get("q", "")[:MAX_QUERY].strip()
    results = []
    if len(q) >= 3:
        results = selectors.article_search(q, language=language, limit=5) or selectors.article_search(q, limit=5)
    items = []
    for r in results:
        url = reverse("knowledge:help-article", args=[r.article.slug])
        items.append({"slug": r.article.slug, "title": r.translation.published_title,
                      "language": r.translation.language,
                      "url": f"{url}?{urlencode({'lang': r.translation.language, 'from': 'contact', 'q': q[:200]})}"})
    response = JsonResponse({"items": items})
    response["Cache-Control"] = "no-store"
    return response
