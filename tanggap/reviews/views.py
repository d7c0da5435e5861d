"""Console pages of reviews (issue 6): the reviews list (filters, keyset pages). Review text is
only ever rendered escaped (Django's autoescape); nothing here marks it safe."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tanggap.common.errors import DomainError
from tanggap.reviews import selectors
from tanggap.reviews.models import ReplyState
from tanggap.web.access import staff_required

PAGE_SIZE = 25
LANES = [("", _("All")), ("negative", _("Negative")), ("positive", _("Positive"))]


@require_GET
@staff_required
def review_list(request):
    lane = request.GET.get("lane", "")
    rating = request.GET.get("rating", "")
    reply_state = request.GET.get("reply", "")
    source = request.GET.get("source", "")[:50]
    filters = selectors.ReviewFilters(
        negative={"negative": True, "positive": False}.get(lane),
        rating=int(rating) if rating in {"1", "2", "3", "4", "5"} else None,
        reply_state=reply_state if reply_state in ReplyState.values else "",
        source=source, q=request.GET.get("q", "")[:100],
    )
    error = ""
    try:
        page = selectors.review_list(filters=filters, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except DomainError as exc:  # a cursor from another list, tampered with
        page, error = selectors.review_list(filters=filters, cursor=None, limit=PAGE_SIZE), exc.message
    visible = selectors.visible_ticket_ids(user=request.user, reviews=page.items)
    rows = [{"review": r, "ticket_id": r.ticket_id if r.ticket_id in visible else None} for r in page.items]
    return render(request, "reviews/list.html", {
        "rows": rows, "page": page, "lanes": LANES, "lane": lane, "rating": rating, "reply": reply_state,
        "source": source, "q": request.GET.get("q", ""), "sources": selectors.sources(),
        "reply_states": ReplyState.choices, "ratings": ["1", "2", "3", "4", "5"], "error": error,
        "first_page": not request.GET.get("cursor"),
    })
