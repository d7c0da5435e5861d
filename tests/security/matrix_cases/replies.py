"""Permission cases of reply templates (issue 7): everyone on staff reads them and gets
suggestions for the tickets they may see; team leads and admins write them."""

from __future__ import annotations

from tests.security.matrix_base import OK, Case, api, console, manager

TEMPLATE = {"title": "Matriks", "body_id": "Halo {{customer_name}}", "moods": ["angry"]}
FORM = {"title": "Matriks", "body_id": "Halo {{customer_name}}", "moods": ["angry"], "active": "on"}

CASES = [
    Case("GET", "/api/v1/reply-templates", api()),
    Case("POST", "/api/v1/reply-templates", api(agent=403, lead=OK), TEMPLATE, "json"),
    Case("PATCH", "/api/v1/reply-templates/{reply_t}", api(agent=403, lead=OK), {"active": False}, "json"),
    Case("GET", "/api/v1/tickets/{ticket_a}/reply-suggestions", api()),
    Case("GET", "/api/v1/tickets/{ticket_b}/reply-suggestions", api(agent=404, lead=404), shows_b=True,
         label="ticket of another team"),
    Case("GET", "/replies/", console()),
    Case("GET", "/replies/new/", manager()),
    Case("POST", "/replies/new/", manager(), FORM),
    Case("GET", "/replies/{reply_t}/", manager()),
    Case("POST", "/replies/{reply_t}/", manager(), FORM),
    Case("POST", "/replies/{reply_t}/delete/", manager()),
]


def build(world, users) -> None:
    from tanggap.replies.models import ReplyTemplate

    world.ids["reply_t"] = ReplyTemplate.objects.create(title="Sapaan", body_id="Halo {customer_name}").pk
