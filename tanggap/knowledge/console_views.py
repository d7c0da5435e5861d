"""Console screens of the knowledge base: the article list (with the deflection counts for
leads and admins), writing and editing drafts, sending them for review, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tanggap.common.errors import DomainError, NotFound
from tanggap.knowledge import selectors, services
from tanggap.knowledge.forms import ArticleForm
from tanggap.knowledge.models import LANGUAGES, ArticleState
from tanggap.web.access import manager_required, staff_required


def _article_or_404(article_id: int):
    try:
        return selectors.article_get(article_id=article_id)
    except NotFound:
        raise Http404 from None


@staff_required
def article_list(request):
    state = request.GET.get("state", "")
    if state not in ArticleState.values:
        state = ""
    q = request.GET.get("q", "")[:500].strip()
    page, results = None, []
    if q:
        results = selectors.article_search(q, published=False, limit=25)
    else:
        try:
            page = selectors.articles_for_staff(state=state, cursor=request.GET.get("cursor") or None)
        except DomainError:
            page = selectors.articles_for_staff(state=state)
    can_publish = services.can_publish(request.user)
    return render(request, "knowledge/console/list.html", {
        "page": page, "results": results, "q": q, "state": state, "states": ArticleState.choices,
        "can_publish": can_publish, "stats": selectors.deflection_stats() if can_publish else None})


def _initial(article) -> dict:
    initial = {"slug": article.slug, "category": article.category.slug if article.category else "",
               "products": ", ".join(p.sku for p in article.products.all())}
    for tr in article.translations.all():
        initial[f"title_{tr.language}"], initial[f"body_{tr.language}"] = tr.title, tr.body
    return initial


@staff_required
def article_new(request):
    initial = request.session.pop("kb_outline", None) if request.method == "GET" else None
    form = ArticleForm(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, translations=form.translations(),
                                              slug=form.cleaned_data["slug"],
                                              category=form.cleaned_data["category"] or None, products=form.skus())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("knowledge:edit", article_id=article.pk)
    return render(request, "knowledge/console/edit.html", {"form": form, "article": None},
                  status=400 if form.errors else 200)


@staff_required
def article_edit(request, article_id: int):
    article = _article_or_404(article_id)
    form = ArticleForm(request.POST or None, initial=_initial(article))
    form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(actor=request.user, article=article, translations=form.translations(),
                                    category=form.cleaned_data["category"], products=form.skus())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("knowledge:edit", article_id=article.pk)
    translations = {t.language: t for t in article.translations.all()}
    return render(request, "knowledge/console/edit.html", {
        "form": form, "article": article, "can_publish": services.can_publish(request.user),
        "previews": [translations[lang] for lang in LANGUAGES if lang in translations]},
        status=400 if form.errors else 200)


def _transition(request, article_id: int, action, done: str):
    article = _article_or_404(article_id)
    try:
        action(actor=request.user, article=article)
    except DomainError as exc:
        if exc.status == 403:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("knowledge:edit", article_id=article.pk)


@staff_required
@require_POST
def article_submit(request, article_id: int):
    return _transition(request, article_id, services.article_submit, _("Sent for review."))


@staff_required
@require_POST
def article_publish(request, article_id: int):
    return _transition(request, article_id, services.article_publish, _("Published on the help center."))


@staff_required
@require_POST
def article_unpublish(request, article_id: int):
    return _transition(request, article_id, services.article_unpublish, _("Taken off the help center."))


@manager_required
def ideas(request):
    from tanggap.knowledge.selectors import latest_ideas

    run = latest_ideas()
    themes = []
    for index, theme in enumerate(run.themes if run else []):
        peak = max([w["count"] for w in theme["weeks"]] or [1]) or 1
        bars = [{"week": w["week"], "count": w["count"], "height": max(2, round(26 * w["count"] / peak))}
                for w in theme["weeks"]]
        themes.append({**theme, "index": index, "bars": bars})
    return render(request, "knowledge/console/ideas.html", {"run": run, "themes": themes})


@manager_required
@require_POST
def ideas_compute(request):
    from tanggap.knowledge.ideas import ideas_compute as compute

    run = compute()
    messages.success(request, _("Themes computed from %(n)s tickets.") % {"n": run.tickets})
    return redirect("knowledge:ideas")


@manager_required
@require_POST
def idea_draft(request, run_id: int, index: int):
    from tanggap.knowledge.ideas import idea_draft as draft

    try:
        article = draft(actor=request.user, run_id=run_id, index=index)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("knowledge:ideas")
    messages.success(request, _("Draft created from the idea. Add the steps and the translations."))
    return redirect("knowledge:edit", article_id=article.pk)
