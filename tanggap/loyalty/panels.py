"""Loyalty's panels in shared pages (tanggap/web/panels.py): the console's side nav (leads and
admins), a customer's balance and tier on the customer page (staff), and a link to the signed-in
customer's points in the portal's navigation."""

from __future__ import annotations

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.web.panels import register


def nav_context(request, page):
    return {} if page.get("role") in (Role.LEAD, Role.ADMIN) else None


def customer_context(request, page):
    from tanggap.loyalty.selectors import summary

    customer = page.get("customer")
    if customer is None or request is None or role_of(request.user) is None:
        return None
    return {"loyalty": summary(customer.pk)}


def portal_nav_context(request, page):
    return {} if page.get("portal_customer") else None


def register_panels() -> None:
    register("console.nav", "loyalty/_nav.html", context=nav_context, order=80)
    register("customer.side", "loyalty/_customer_panel.html", context=customer_context, order=80)
    register("portal.nav", "loyalty/_portal_nav.html", context=portal_nav_context, order=80)
