"""Console pages: the reply templates (every staff member reads them; team leads and admins
write them)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Category
from tanggap.replies import services
from tanggap.replies.forms import TemplateForm
from tanggap.replies.models import Mood, ReplyTemplate, Situation
from tanggap.web.access import manager_required, staff_required


def _labels(codes, choices) -> list[str]:
    names = dict(choices)
    return [str(names.get(c, c)) for c in codes]


@staff_required
def template_list(request):
    rows = [{"t": t, "categories": _labels(t.categories, Category.choices),
             "situations": _labels(t.situations, Situation.choices), "moods": _labels(t.moods, Mood.choices),
             "languages": t.languages()} for t in ReplyTemplate.objects.all()]
    return render(request, "replies/list.html", {
        "rows": rows, "can_edit": role_of(request.user) in (Role.LEAD, Role.ADMIN)})


def _save(request, template: ReplyTemplate | None):
    form = TemplateForm(request.POST or None, initial=None if template is None else {
        f: getattr(template, f) for f in services.FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            if template is None:
                services.template_create(user=request.user, **form.cleaned_data)
            else:
                services.template_update(template=template, user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Template saved."))
            return redirect("replies:list")
    return render(request, "replies/form.html", {"form": form, "template": template})


@manager_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    return _save(request, None)


@manager_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    return _save(request, get_object_or_404(ReplyTemplate, pk=pk))


@manager_required
@require_http_methods(["POST"])
def template_delete(request, pk: int):
    services.template_delete(template=get_object_or_404(ReplyTemplate, pk=pk))
    messages.success(request, _("Template deleted."))
    return redirect("replies:list")
