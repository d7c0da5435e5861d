"""Reads of triage."""

from __future__ import annotations

from tanggap.triage.models import CategoryModel, MessageTriage, SentimentModel


def latest_for_ticket(*, ticket_id: int) -> MessageTriage | None:
    """The triage of the ticket's latest customer message that has been triaged."""
    return (MessageTriage.objects.filter(ticket_id=ticket_id).select_related("message")
            .order_by("-message__created_at", "-message_id").first())


def category_model_status() -> dict:
    """What managers see of the category model: the version in use, its kind, labels, accuracy
    on held-out recent tickets (and the starting model's on the same tickets)."""
    row = CategoryModel.objects.order_by("-version").first()
    return {"model": row, "sentiment": SentimentModel.objects.order_by("-version").first()}
