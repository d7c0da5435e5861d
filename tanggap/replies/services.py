"""Writes for reply templates (managers: team leads and admins)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tanggap.common.clock import now
from tanggap.common.errors import DomainError
from tanggap.conversations.choices import Category
from tanggap.replies.models import Mood, ReplyTemplate, Situation

MAX_BODY = 5000
FIELDS = ("title", "body_id", "body_ms", "body_en", "categories", "situations", "moods", "active")


def _codes(values, allowed, what: str) -> list[str]:
    values = [str(v).strip() for v in (values or []) if str(v).strip()]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise DomainError("invalid_input", f"Unknown {what}: {', '.join(bad)}. Known: {', '.join(allowed)}.",
                          status=422)
    return list(dict.fromkeys(values))


def _clean(data: dict) -> dict:
    out = {}
    if "title" in data:
        title = (data["title"] or "").strip()
        if not title:
            raise DomainError("invalid_input", "A template needs a title.", status=422)
        if len(title) > 120:
            raise DomainError("invalid_input", "The title is longer than 120 characters.", status=422)
        out["title"] = title
    for code in ("id", "ms", "en"):
        key = f"body_{code}"
        if key in data:
            body = (data[key] or "").strip()
            if len(body) > MAX_BODY:
                raise DomainError("invalid_input", f"The {code} text is longer than {MAX_BODY} characters.", status=422)
            out[key] = body
    if "categories" in data:
        out["categories"] = _codes(data["categories"], Category.values, "category")
    if "situations" in data:
        out["situations"] = _codes(data["situations"], Situation.values, "situation")
    if "moods" in data:
        out["moods"] = _codes(data["moods"], Mood.values, "mood")
    if "active" in data:
        out["active"] = bool(data["active"])
    return out


def _check_bodies(t: ReplyTemplate) -> None:
    if not any(t.body(code).strip() for code in ("id", "ms", "en")):
        raise DomainError("invalid_input", _("Write the template in at least one language."), status=422)


@transaction.atomic
def template_create(*, user, **data) -> ReplyTemplate:
    values = _clean({"title": data.get("title", ""), **data})
    t = ReplyTemplate(**values, updated_by=user)
    _check_bodies(t)
    t.save()
    return t


@transaction.atomic
def template_update(*, template: ReplyTemplate, user, **data) -> ReplyTemplate:
    values = _clean({k: v for k, v in data.items() if k in FIELDS})
    for k, v in values.items():
        setattr(template, k, v)
    _check_bodies(template)
    template.updated_by, template.updated_at = user, now()
    template.save()
    return template


@transaction.atomic
def template_delete(*, template: ReplyTemplate) -> None:
    template.delete()
