"""Recommendations in shared pages (tanggap/web/panels.py): a card on the customer page (staff)
with each recommended product and why, and the managers' link in the console's side nav."""

from __future__ import annotations

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.web.panels import register


def nav_context(request, page):
    return {} if page.get("role") in (Role.LEAD, Role.ADMIN) else None


def customer_context(request, page):
    from tanggap.recommend.selectors import for_customer

    customer = page.get("customer")
    if customer is None or request is None or role_of(request.user) is None:
        return None
    return {"recommendations": for_customer(customer, limit=5)}


def register_panels() -> None:
    register("console.nav", "recommend/_nav.html", context=nav_context, order=85)
    register("customer.side", "recommend/_customer_panel.html", context=customer_context, order=85)
