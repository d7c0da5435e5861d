"""Settings screens for managers (team leads and admins): SLA policies, business calendars,
the remedy catalog and customer message templates.

Every POST is validated by a form; an invalid one re-renders the page with the errors next to
the fields and answers 400. Saving or deleting a policy or a calendar tells the SLA engine
(``sla.services.sla_settings_changed``), which re-evaluates open tickets in the background.
"""

from __future__ import annotations

import zoneinfo

import holidays
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.common.clock import now
from tanggap.conversations.choices import Category, Priority
from tanggap.manager import forms as f
from tanggap.remedies.models import RemedyKind, RemedyRule
from tanggap.sla.models import BusinessCalendar, SlaPolicy
from tanggap.texts import services as texts
from tanggap.texts.defaults import DEFAULTS, LANGUAGES, PLACEHOLDERS
from tanggap.texts.models import MessageTemplate
from tanggap.web.access import manager_required

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "en": "English"}


def _template_titles() -> dict[str, str]:
    return {
        "acknowledgement": _("Automatic acknowledgement"),
        "promise_made": _("Promise made"),
        "promise_redated": _("Promise re-dated"),
        "progress_update": _("Scheduled progress update"),
        "remedy_answer": _("Remedy: answer"),
        "remedy_fix": _("Remedy: fix"),
        "remedy_replace": _("Remedy: replacement"),
        "remedy_return": _("Remedy: return"),
        "remedy_refund": _("Remedy: refund"),
        "remedy_voucher": _("Remedy: voucher"),
        "incident_status": _("Answer to a ticket linked to an incident"),
        "product_guides": _("Product guides when an order ships"),
        "checkin": _("Check-in after delivery"),
        "review_reply": _("Reply to a negative marketplace review"),
    }


def _sla_settings_changed() -> None:
    """Called after the change is committed: open tickets are re-evaluated in the background."""
    # Imported here: the SLA services module is written alongside these screens.
    from tanggap.sla.services import sla_settings_changed

    sla_settings_changed()


def _invalid(request, template: str, context: dict):
    return render(request, template, context, status=400)


# ---------------------------------------------------------------- index


@manager_required
def index(request):
    return render(request, "manager/index.html", {
        "policy_count": SlaPolicy.objects.count(),
        "active_policy_count": SlaPolicy.objects.filter(active=True).count(),
        "calendar_count": BusinessCalendar.objects.count(),
        "remedy_count": RemedyRule.objects.filter(active=True).count(),
        "override_count": MessageTemplate.objects.count(),
        "template_count": len(DEFAULTS) * len(LANGUAGES),
    })


# ---------------------------------------------------------------- SLA policies


def _labels(values, choices) -> list[str]:
    names = dict(choices)
    return [str(names.get(v, v)) for v in values or []]


@manager_required
def policy_list(request):
    rows = []
    for policy in SlaPolicy.objects.select_related("calendar").order_by("position", "id"):
        rows.append({
            "policy": policy,
            "priorities": _labels(policy.priorities, Priority.choices),
            "categories": _labels(policy.categories, Category.choices),
            "channels": _labels(policy.channels, f.CHANNEL_KINDS),
            "tiers": policy.tiers or [],
            "first_response": f.format_minutes(policy.first_response_minutes),
            "next_response": f.format_minutes(policy.next_response_minutes),
            "resolution": f.format_minutes(policy.resolution_minutes),
            "update_interval": f.format_minutes(policy.update_interval_minutes),
        })
    return render(request, "manager/policy_list.html", {"rows": rows})


@manager_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int | None = None):
    policy = get_object_or_404(SlaPolicy, pk=pk) if pk else None
    form = f.SlaPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, "manager/policy_form.html", {"form": form, "policy": policy})
        with transaction.atomic():
            saved = form.save()
        _sla_settings_changed()
        messages.success(request, _("Policy “%(name)s” saved.") % {"name": saved.name})
        return redirect("manager:policy-list")
    return render(request, "manager/policy_form.html", {"form": form, "policy": policy})


@manager_required
@require_http_methods(["GET", "POST"])
def policy_delete(request, pk: int):
    policy = get_object_or_404(SlaPolicy, pk=pk)
    if request.method == "POST":
        name = policy.name
        with transaction.atomic():
            policy.delete()
        _sla_settings_changed()
        messages.success(request, _("Policy “%(name)s” deleted.") % {"name": name})
        return redirect("manager:policy-list")
    return render(request, "manager/confirm_delete.html", {
        "object_name": policy.name, "what": _("SLA policy"), "cancel_url": "manager:policy-list",
        "warning": _("Open tickets under this policy will be re-evaluated against the remaining policies."),
    })


# ---------------------------------------------------------------- calendars


def _holiday_language(country: str) -> str | None:
    ui = (get_language() or "id")[:2]
    wanted = {"ID": {"id": "id", "en": "en_US", "ms": "id"},
              "MY": {"ms": "ms_MY", "en": "en_US", "id": "ms_MY"}}
    return wanted.get(country, {}).get(ui)


def upcoming_holidays(country: str, subdivision: str = "", collective: bool = True, time_zone: str = "Asia/Jakarta",
                      count: int = 10) -> list[tuple]:
    """The next ``count`` public holidays (date, name) the calendar would close on."""
    if country not in ("ID", "MY"):
        return []
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("Asia/Jakarta")
    today = now().astimezone(zone).date()
    categories = ("public", "government") if country == "ID" and collective else ("public",)
    try:
        days = holidays.country_holidays(country, subdiv=subdivision or None, years=[today.year, today.year + 1],
                                         categories=categories, language=_holiday_language(country))
    except NotImplementedError:  # an unknown subdivision: the form says so next to the field
        return []
    return sorted((day, name) for day, name in days.items() if day >= today)[:count]


def _holiday_context(country: str, subdivision: str, collective: bool, time_zone: str) -> dict:
    return {"holidays": upcoming_holidays(country, subdivision, collective, time_zone),
            "holiday_country": dict(f.COUNTRIES).get(country, "")}


@manager_required
def calendar_list(request):
    calendars = BusinessCalendar.objects.annotate(policy_count=Count("policies", distinct=True)).order_by("name")
    rows = []
    for calendar in calendars.prefetch_related("periods", "closed_days"):
        by_day: dict[int, list[str]] = {}
        for p in calendar.periods.all():
            by_day.setdefault(p.weekday, []).append(f"{p.opens_at:%H.%M}–{p.closes_at:%H.%M}")
        hours = [(label, ", ".join(by_day.get(day, [])) or _("closed")) for day, label in f.WEEKDAYS]
        rows.append({"calendar": calendar, "hours": hours, "closed_days": len(calendar.closed_days.all())})
    return render(request, "manager/calendar_list.html", {"rows": rows})


@manager_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request, pk: int | None = None):
    calendar = get_object_or_404(BusinessCalendar, pk=pk) if pk else BusinessCalendar()
    data = request.POST if request.method == "POST" else None
    form = f.BusinessCalendarForm(data, instance=calendar)
    periods = f.OpenPeriodFormSet(data, instance=calendar, prefix="periods")
    closed = f.ClosedDayFormSet(data, instance=calendar, prefix="closed")
    if request.method == "POST":
        valid = all([form.is_valid(), periods.is_valid(), closed.is_valid()])
        if valid:
            with transaction.atomic():
                saved = form.save()
                periods.instance = closed.instance = saved
                periods.save()
                closed.save()
            _sla_settings_changed()
            messages.success(request, _("Calendar “%(name)s” saved.") % {"name": saved.name})
            return redirect("manager:calendar-edit", pk=saved.pk)
        context = {"form": form, "periods": periods, "closed": closed, "calendar": calendar if pk else None,
                   **_holiday_context(form.cleaned_data.get("country", ""), form.cleaned_data.get("subdivision", ""),
                                      form.cleaned_data.get("observe_collective_leave", True),
                                      form.cleaned_data.get("time_zone", "Asia/Jakarta"))}
        return _invalid(request, "manager/calendar_form.html", context)
    context = {"form": form, "periods": periods, "closed": closed, "calendar": calendar if pk else None,
               **_holiday_context(calendar.country, calendar.subdivision, calendar.observe_collective_leave,
                                  calendar.time_zone)}
    return render(request, "manager/calendar_form.html", context)


@manager_required
def calendar_holidays(request):
    """The holiday preview for whatever country is chosen in the form (htmx partial)."""
    country = request.GET.get("country", "")
    subdivision = request.GET.get("subdivision", "").strip().upper()
    collective = request.GET.get("observe_collective_leave") in ("on", "true", "1")
    time_zone = request.GET.get("time_zone", "Asia/Jakarta")
    return render(request, "manager/_holidays.html", _holiday_context(country, subdivision, collective, time_zone))


@manager_required
@require_http_methods(["GET", "POST"])
def calendar_delete(request, pk: int):
    calendar = get_object_or_404(BusinessCalendar, pk=pk)
    in_use = list(calendar.policies.order_by("position").values_list("name", flat=True))
    context = {"object_name": calendar.name, "what": _("business calendar"), "cancel_url": "manager:calendar-list",
               "blocked_by": in_use}
    if request.method == "POST":
        if in_use:
            return _invalid(request, "manager/confirm_delete.html", context)
        name = calendar.name
        with transaction.atomic():
            calendar.delete()
        _sla_settings_changed()
        messages.success(request, _("Calendar “%(name)s” deleted.") % {"name": name})
        return redirect("manager:calendar-list")
    return render(request, "manager/confirm_delete.html", context)


# ---------------------------------------------------------------- remedies


@manager_required
def remedy_list(request):
    rules = list(RemedyRule.objects.order_by("category", "kind"))
    by_category = []
    for value, label in Category.choices:
        mine = [r for r in rules if r.category == value]
        by_category.append({"label": label, "value": value, "rules": mine})
    return render(request, "manager/remedy_list.html", {"by_category": by_category})


@manager_required
@require_http_methods(["GET", "POST"])
def remedy_edit(request, pk: int | None = None):
    rule = get_object_or_404(RemedyRule, pk=pk) if pk else None
    initial = {}
    if rule is None:
        if request.GET.get("category") in Category.values:
            initial["category"] = request.GET["category"]
        if request.GET.get("kind") in RemedyKind.values:
            initial["kind"] = request.GET["kind"]
    form = f.RemedyRuleForm(request.POST or None, instance=rule, initial=initial)
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, "manager/remedy_form.html", {"form": form, "rule": rule})
        saved = form.save()
        messages.success(request, _("Remedy rule saved: %(category)s — %(kind)s.")
                         % {"category": saved.get_category_display(), "kind": saved.get_kind_display()})
        return redirect("manager:remedy-list")
    return render(request, "manager/remedy_form.html", {"form": form, "rule": rule})


@manager_required
@require_http_methods(["GET", "POST"])
def remedy_delete(request, pk: int):
    rule = get_object_or_404(RemedyRule, pk=pk)
    label = f"{rule.get_category_display()} — {rule.get_kind_display()}"
    if request.method == "POST":
        rule.delete()
        messages.success(request, _("Remedy rule deleted: %(rule)s.") % {"rule": label})
        return redirect("manager:remedy-list")
    return render(request, "manager/confirm_delete.html", {
        "object_name": label, "what": _("remedy rule"), "cancel_url": "manager:remedy-list",
        "warning": _("Remedies already applied stay on their tickets; agents can no longer offer this one."),
    })


# ---------------------------------------------------------------- message templates


def _check_key(key: str, language: str) -> None:
    if key not in DEFAULTS or language not in LANGUAGES:
        raise Http404


@manager_required
def template_list(request):
    overrides = {(t.key, t.language): t for t in MessageTemplate.objects.select_related("updated_by")}
    titles = _template_titles()
    rows = []
    for key in DEFAULTS:
        cells = []
        for language in LANGUAGES:
            override = overrides.get((key, language))
            cells.append({"language": language, "override": override,
                          "text": override.body if override else DEFAULTS[key][language]})
        rows.append({"key": key, "title": titles.get(key, key), "cells": cells})
    return render(request, "manager/template_list.html", {"rows": rows, "languages": LANGUAGES,
                                                          "language_names": LANGUAGE_NAMES})


def _template_context(key: str, language: str, form, override, preview: str | None) -> dict:
    return {
        "form": form, "key": key, "language": language, "language_name": LANGUAGE_NAMES[language],
        "title": _template_titles().get(key, key), "override": override, "default_text": DEFAULTS[key][language],
        "placeholders": PLACEHOLDERS.get(key, ()), "preview": preview,
        "other_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES if code != language],
    }


@manager_required
@require_http_methods(["GET", "POST"])
def template_edit(request, key: str, language: str):
    _check_key(key, language)
    override = MessageTemplate.objects.filter(key=key, language=language).first()
    samples = f.sample_values(language)
    if request.method == "POST":
        form = f.TemplateForm(request.POST, key=key, language=language)
        if not form.is_valid():
            return _invalid(request, "manager/template_form.html",
                            _template_context(key, language, form, override, None))
        body = form.cleaned_data["body"]
        if request.POST.get("action") == "preview":
            return render(request, "manager/template_form.html",
                          _template_context(key, language, form, override, f.fill(body, samples)))
        if body == DEFAULTS[key][language]:
            MessageTemplate.objects.filter(key=key, language=language).delete()
            messages.success(request, _("The text is the built-in one; no override is kept."))
        else:
            MessageTemplate.objects.update_or_create(
                key=key, language=language, defaults={"body": body, "updated_at": now(), "updated_by": request.user})
            messages.success(request, _("Template saved."))
        return redirect("manager:template-edit", key=key, language=language)
    form = f.TemplateForm(initial={"body": override.body if override else DEFAULTS[key][language]},
                          key=key, language=language)
    return render(request, "manager/template_form.html",
                  _template_context(key, language, form, override, texts.render(key, language, **samples)))


@manager_required
@require_POST
def template_reset(request, key: str, language: str):
    _check_key(key, language)
    deleted, _rows = MessageTemplate.objects.filter(key=key, language=language).delete()
    if deleted:
        messages.success(request, _("The built-in text is back."))
    return redirect("manager:template-edit", key=key, language=language)
