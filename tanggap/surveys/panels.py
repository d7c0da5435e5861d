"""The surveys' panels in shared pages: the console's side nav, a ticket's survey answers (and
its recovery task), a customer's recent scores."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.web.panels import register


def nav_context(request, page):
    return {} if page.get("role") else None


def ticket_context(request, page):
    from tanggap.surveys.selectors import ticket_surveys

    ticket = page.get("ticket")
    if ticket is None or request is None or role_of(request.user) is None:
        return None
    sends = ticket_surveys(ticket=ticket)  # the page fetched the ticket through tickets_visible_to
    return {"survey_sends": sends} if sends else None


def customer_context(request, page):
    from tanggap.surveys.selectors import customer_scores

    customer = page.get("customer")
    if customer is None or request is None or role_of(request.user) is None:
        return None
    return {"survey_scores": customer_scores(customer=customer)}


def register_all() -> None:
    register("console.nav", "surveys/_nav.html", context=nav_context, order=60)
    register("ticket.side", "surveys/_ticket_panel.html", context=ticket_context, order=60)
    register("customer.side", "surveys/_customer_panel.html", context=customer_context, order=60)
