"""{% remedy_panel ticket user %}: the remedies box on the ticket page."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tanggap.texts.services import format_amount

register = template.Library()


@register.inclusion_tag("remedies/_panel.html", takes_context=True)
def remedy_panel(context, ticket, user):
    from tanggap.remedies.views import panel_context

    request = context.get("request")
    if not hasattr(user, "is_authenticated"):  # a missing variable renders as ""
        user = getattr(request, "user", None)
    data = panel_context(ticket=ticket, user=user, request=request)
    data["csrf_token"] = context.get("csrf_token")
    data["request"] = request
    return data


@register.filter
def money(amount, currency="IDR") -> str:
    """An amount as customers read it: Rp150.000, RM45.50."""
    return format_amount(amount, currency or "IDR", get_language() or "id")
