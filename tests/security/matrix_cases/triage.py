"""Permission cases of triage (issue 7): an agent sets the sentiment of a customer message (the
label the sentiment model learns from) only on tickets they may see; 404 for another team's."""

from __future__ import annotations

from tests.security.matrix_base import Case, console

LABEL = {"label": "neutral"}

CASES = [
    Case("POST", "/triage/messages/{triage_msg_a}/sentiment/", console(), LABEL, label="own team"),
    Case("POST", "/triage/messages/{triage_msg_b}/sentiment/", console(agent=404, lead=404), LABEL, shows_b=True,
         label="other team"),
]


def build(world, users) -> None:
    from tanggap.conversations.models import Message
    from tanggap.triage.models import MessageTriage

    for key, ticket in (("triage_msg_a", "ticket_a"), ("triage_msg_b", "ticket_b")):
        message = Message.objects.filter(ticket_id=world.ids[ticket], direction="in").order_by("id").first()
        MessageTriage.objects.create(message=message, ticket_id=world.ids[ticket], sentiment="negative")
        world.ids[key] = message.pk
