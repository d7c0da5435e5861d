"""The next best actions on the customer page and beside a ticket (for its customer)."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.nextbest import selectors


def _staff(request, page) -> bool:
    role = page.get("role") if "role" in page else role_of(request.user)
    return role is not None


def customer_side(request, page):
    customer = page.get("customer")
    if customer is None or request is None or not _staff(request, page):
        return None
    return {"next_actions": selectors.for_customer(user=request.user, customer=customer, limit=6),
            "next_here": None}


def ticket_side(request, page):
    ticket = page.get("ticket")
    if ticket is None or request is None or not _staff(request, page):
        return None
    actions = selectors.for_customer(user=request.user, customer=ticket.customer, limit=6, service_only=True)
    return {"next_actions": actions, "next_here": ticket.pk}


def nav(request, page):
    if request is None or not _staff(request, page):
        return None
    return {"active": getattr(request.resolver_match, "namespace", "") == "nextbest"}
