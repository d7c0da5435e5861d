"""Permission cases of calls (issue 8): the API (staff tokens; calls on another team's ticket
are hidden and refused), the signed telephony webhook (the signature decides, for everyone
alike) and the console's "log a call" pages."""

from __future__ import annotations

from tests.security.matrix_base import MARKER_B, Case, api, console, everyone

CALL = {"customer_id": "{cust_a}", "direction": "inbound", "outcome": "missed", "number": "+6281200001111",
        "ticket_id": "{ticket_a}"}
FORM = {"direction": "in", "number": "0812-0000-1111", "outcome": "missed", "duration": ""}
EVENT = {"event": "call.ended", "call_id": "matrix-call-1", "direction": "inbound", "from": "0812-0000-2222",
         "timestamp": "2026-11-25T09:00:00+07:00", "outcome": "missed"}


def _admin_sees_call_b(role, response, world):
    ids = {c["id"] for c in response.json()["items"]}
    shown = world.ids["call_b"] in ids
    return None if shown == (role == "admin") else f"call on ticket_b listed: {shown}"


CASES = [
    Case("GET", "/api/v1/calls", api(), check=_admin_sees_call_b),
    Case("POST", "/api/v1/calls", api(), CALL, "json", label="own team"),
    Case("POST", "/api/v1/calls", api(agent=404), {**CALL, "customer_id": "{cust_b}", "ticket_id": "{ticket_b}"},
         "json", label="other team"),
    Case("POST", "/api/v1/calls/webhook", everyone(401), EVENT, "json", label="unsigned"),
    Case("POST", "/api/v1/calls/webhook/{phone_slug}", everyone(401), EVENT, "json", label="unsigned"),
    Case("GET", "/calls/customers/{cust_a}/log/", console()),
    Case("POST", "/calls/customers/{cust_a}/log/", console(), {**FORM, "ticket": "{ticket_a}"}),
    Case("GET", "/calls/tickets/{ticket_a}/log/", console(), label="own team"),
    Case("GET", "/calls/tickets/{ticket_b}/log/", console(agent=404), shows_b=True, label="other team"),
    Case("POST", "/calls/tickets/{ticket_a}/log/", console(), FORM, label="own team"),
    Case("POST", "/calls/tickets/{ticket_b}/log/", console(agent=404), FORM, shows_b=True, label="other team"),
]


def build(world, users) -> None:
    """A phone line with a secret, and a call on team Pembayaran's ticket (ticket_b) whose notes
    carry the marker: only the admin may see it, in the list and on the customer page."""
    from tanggap.calls.services import call_log
    from tanggap.channels.models import Channel
    from tanggap.conversations.models import Ticket
    from tanggap.customers.models import Customer

    Channel.objects.create(kind="phone", slug="matrix-phone", name="Telepon", secret="matrix-secret")
    world.ids["phone_slug"] = "matrix-phone"
    ticket_b = Ticket.objects.get(pk=world.ids["ticket_b"])
    call = call_log(actor=users["admin"], customer=Customer.objects.get(pk=world.ids["cust_b"]), direction="in",
                    number="+6281299990000", outcome="missed", ticket=ticket_b, notes=f"Telepon {MARKER_B}")
    world.ids["call_b"] = call.pk
