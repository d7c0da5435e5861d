"""The managers' recommendations page (`/recommendations/`, leads and admins): the profile rules
(add, edit, switch off, delete), a product's profile (offered or not, attributes), a customer's
profile attributes, and the trained model's versions with a "train now" button."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanggap.common.errors import DomainError
from tanggap.customers.selectors import customer_get
from tanggap.recommend import forms, selectors, services
from tanggap.recommend.models import ProductProfile
from tanggap.web.access import manager_required


def _page(request, *, rule_form=None, product_form=None, customer_form=None, status=200):
    rules = selectors.rules()
    edit_forms = [(r, forms.RuleForm(initial={
        "label_id": r.label_id, "label_ms": r.label_ms, "label_en": r.label_en, "operator": r.operator,
        "product_attribute": r.product_attribute, "customer_attribute": r.customer_attribute,
        "scale": r.scale, "active": r.active}, auto_id=f"r{r.pk}_%s")) for r in rules]
    profiles = ProductProfile.objects.select_related("product").order_by("product__sku")[:200]
    return render(request, "recommend/console.html", {
        "rule_forms": edit_forms, "rule_form": rule_form or forms.RuleForm(),
        "product_form": product_form or forms.ProductProfileForm(),
        "customer_form": customer_form or forms.CustomerProfileForm(),
        "profiles": [(p, forms.format_attributes(p.attributes)) for p in profiles],
        "versions": selectors.models_recent(10), "current": selectors.current_model(),
    }, status=status)


@require_GET
@manager_required
def console(request):
    return _page(request)


def _save_rule(request, form, rule_id=None):
    if not form.is_valid():
        return _page(request, rule_form=form, status=400)
    try:
        services.rule_save(rule_id=rule_id, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("recommend:console")
    messages.success(request, _("The rule is saved."))
    return redirect("recommend:console")


@require_POST
@manager_required
def rule_create(request):
    return _save_rule(request, forms.RuleForm(request.POST))


@require_POST
@manager_required
def rule_update(request, rule_id: int):
    return _save_rule(request, forms.RuleForm(request.POST), rule_id=rule_id)


@require_POST
@manager_required
def rule_delete(request, rule_id: int):
    try:
        services.rule_delete(rule_id=rule_id)
        messages.success(request, _("The rule is deleted."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recommend:console")


@require_POST
@manager_required
def product_profile(request):
    form = forms.ProductProfileForm(request.POST)
    if not form.is_valid():
        return _page(request, product_form=form, status=400)
    try:
        services.product_profile_set(**form.cleaned_data)
        messages.success(request, _("The product's profile is saved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recommend:console")


@require_POST
@manager_required
def customer_profile(request):
    form = forms.CustomerProfileForm(request.POST)
    if not form.is_valid():
        return _page(request, customer_form=form, status=400)
    try:
        customer = customer_get(customer_id=form.cleaned_data["customer_id"])
        services.customer_profile_set(customer=customer, attributes=form.cleaned_data["attributes"])
        messages.success(request, _("The customer's profile is saved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recommend:console")


@require_POST
@manager_required
def train(request):
    services.train_enqueue()
    messages.success(request, _("Training is queued; the worker trains the new version in the background."))
    return redirect("recommend:console")
