"""Health's panels in shared pages (tanggap/web/panels.py): the console's side nav (leads and
admins: the list of customers at risk) and the score with its reasons on the customer page (staff)."""

from __future__ import annotations

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.web.panels import register


def nav_context(request, page):
    return {} if page.get("role") in (Role.LEAD, Role.ADMIN) else None


def customer_context(request, page):
    from tanggap.health.selectors import for_customer

    customer = page.get("customer")
    if customer is None or request is None or role_of(request.user) is None:
        return None
    return {"health": for_customer(customer)}


def register_panels() -> None:
    register("console.nav", "health/_nav.html", context=nav_context, order=85)
    register("customer.side", "health/_customer_panel.html", context=customer_context, order=20)
