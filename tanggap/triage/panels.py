"""Triage's panels: the latest customer message's reading on the ticket page, and the category
model's accuracy in the console's side navigation for team leads and admins."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of


def ticket_context(request, page):
    from tanggap.triage.selectors import latest_for_ticket

    ticket = page.get("ticket")
    if ticket is None or request is None or role_of(request.user) is None:
        return None
    triage = latest_for_ticket(ticket_id=ticket.pk)  # the page fetched the ticket through tickets_visible_to
    return {"triage": triage} if triage else None


def nav_context(request, page):
    from tanggap.triage.selectors import category_model_status

    role = page.get("role") or (role_of(request.user) if request is not None else None)
    if role not in ("lead", "admin"):
        return None
    return {"triage_model": category_model_status()}


def register_all() -> None:
    from tanggap.web.panels import register

    register("ticket.side", "triage/_ticket_panel.html", context=ticket_context, order=40)
    register("console.nav", "triage/_nav.html", context=nav_context, order=90)
