"""Slots in shared pages that later parts of the product fill without editing those pages.

A part registers a panel in its ``AppConfig.ready()``::

    from tanggap.web.panels import register
    register("ticket.side", "knowledge/_ticket_suggestions.html", context=suggestions_for_ticket)

and the page renders the slot with ``{% panels "ticket.side" %}`` (``web_tags``). ``context`` is
called with the request and the page's context (a flat dict: ``ticket``, ``customer``, ``role``,
``portal_customer``, ... as the page has them) and returns the panel's own context, or ``None``
to leave the panel out (e.g. for a caller who may not see it). Panels render in ``order``, then
in registration order.

Slots:

- ``console.nav``: ``<li>`` items in the console's side navigation (every console page);
- ``ticket.side``: cards in the ticket page's side column, under the SLA card;
- ``ticket.reply``: beside the reply box on the ticket page (suggested articles, templates);
- ``customer.side``: cards in the customer page's side column;
- ``customer.main``: sections in the customer page's main column, after the journey;
- ``portal.nav``: links in the customer portal's top navigation;
- ``portal.contact``: on the portal's contact form, under the message field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SLOTS = ("console.nav", "ticket.side", "ticket.reply", "customer.side", "customer.main", "portal.nav",
         "portal.contact")


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable | None
    order: int


_panels: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}


def register(slot: str, template: str, *, context: Callable | None = None, order: int = 100) -> None:
    if slot not in _panels:
        raise ValueError(f"unknown panel slot {slot!r}; one of {', '.join(SLOTS)}")
    if any(p.template == template for p in _panels[slot]):
        return  # ready() may run twice (tests, autoreload)
    _panels[slot].append(Panel(template, context, order))
    _panels[slot].sort(key=lambda p: p.order)


def panels_of(slot: str) -> list[Panel]:
    if slot not in _panels:
        raise ValueError(f"unknown panel slot {slot!r}")
    return list(_panels[slot])
