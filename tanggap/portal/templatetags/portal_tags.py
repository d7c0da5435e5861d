"""Dates and amounts on the portal, written the way customer messages write them."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, gettext

from tanggap.texts.services import format_amount, format_when

register = template.Library()


@register.filter
def when(at) -> str:
    """"Kamis, 26 November, pukul 15.00 WIB" in the portal language."""
    return format_when(at, get_language() or "id") if at else ""


@register.filter
def money(remedy) -> str:
    if getattr(remedy, "kind", "") == "points":  # a loyalty points remedy: points, not money
        return gettext("%(points)s points") % {"points": int(remedy.amount)}
    return format_amount(remedy.amount, remedy.currency, get_language() or "id")
