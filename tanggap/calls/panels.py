"""Calls' panels on shared pages (tanggap/web/panels.py): on the customer page, the customer's
latest calls and a "log a call" form (a new problem opens a ticket); on the ticket page, the
ticket's calls (with recording links) and the same form for this ticket. Staff only."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.calls import selectors
from tanggap.web.panels import register


def _staff(request, page) -> bool:
    if request is None:
        return False
    return bool(page.get("role")) if "role" in page else role_of(request.user) is not None


def _number(page) -> str | None:
    """The customer's latest phone number from the identities the page has already read (no query)."""
    identities = page.get("identities")
    if identities is None:
        return None
    phones = [i for i in identities if i.kind == "phone"]
    return max(phones, key=lambda i: i.pk).value if phones else ""


def customer_side(request, page):
    from tanggap.calls.views import form_for_customer

    customer = page.get("customer")
    if customer is None or page.get("ticket") is not None or not _staff(request, page):
        return None
    # The customer page has read the customer's identities and the tickets the caller may see.
    return {"call_form": form_for_customer(request.user, customer, number=_number(page), tickets=page.get("tickets")),
            "calls": selectors.calls_of_customer(user=request.user, customer=customer, limit=5)}


def ticket_side(request, page):
    from tanggap.calls.views import form_for_ticket

    ticket = page.get("ticket")
    if ticket is None or not _staff(request, page):
        return None
    return {"call_form": form_for_ticket(ticket, number=_number(page)),
            "calls": selectors.calls_of_ticket(ticket=ticket, limit=10)}


def register_panels() -> None:
    register("customer.side", "calls/_customer_panel.html", context=customer_side, order=40)
    register("ticket.side", "calls/_ticket_panel.html", context=ticket_side, order=40)
