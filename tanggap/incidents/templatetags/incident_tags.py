"""{% incident_panel ticket %}: the incidents a ticket is linked to, on the ticket page
(nothing is shown when there are none)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tanggap.incidents.selectors import ticket_incidents

register = template.Library()


@register.inclusion_tag("incidents/_panel.html")
def incident_panel(ticket):
    links = ticket_incidents(ticket=ticket) if getattr(ticket, "pk", None) else []
    lang = (get_language() or "id")[:2]
    for link in links:  # what customers are told, in the agent's language when written, else Indonesian
        texts = link.incident.customer_status or {}
        link.status_text = texts.get(lang) or texts.get("id") or ""
    return {"links": links}
