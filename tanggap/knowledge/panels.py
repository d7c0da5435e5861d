"""Contexts of the knowledge panels in shared pages (registered in apps.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from tanggap.accounts.selectors import role_of
from tanggap.conversations.choices import Direction
from tanggap.conversations.models import Message
from tanggap.knowledge.models import LANGUAGES
from tanggap.knowledge.selectors import article_search

SUGGESTIONS = 4


def ticket_query(ticket) -> str:
    """What the ticket is about: its subject and the latest customer message."""
    last = (Message.objects.filter(ticket=ticket, direction=Direction.INBOUND).order_by("-created_at", "-id")
            .values_list("body_text", flat=True).first())
    return f"{ticket.subject}\n{(last or '')[:2000]}"


def ticket_suggestions(request, page: dict):
    ticket = page.get("ticket")
    if ticket is None or request is None or role_of(request.user) is None:
        return None
    language = getattr(ticket.customer, "language", "id")
    language = language if language in LANGUAGES else "id"
    results = article_search(ticket_query(ticket), language=language, limit=SUGGESTIONS)
    items = []
    for r in results:
        path = reverse("knowledge:help-article", args=[r.article.slug])
        items.append({"title": r.translation.published_title, "language": r.translation.language,
                      "url": request.build_absolute_uri(f"{path}?{urlencode({'lang': r.translation.language})}")})
    return {"kb_suggestions": items, "kb_language": language}


def contact_suggestions(request, page: dict):
    return {"kb_suggest_url": reverse("knowledge:help-suggest")}


def console_nav(request, page: dict):
    return {"kb_manager": page.get("role") in ("lead", "admin"), "kb_url_name": page.get("url_name", "")}
