"""Panels live chat puts on shared pages (registered in ``LivechatConfig.ready``)."""

from __future__ import annotations

from tanggap.accounts.selectors import role_of
from tanggap.livechat.adapter import KIND


def nav(request, page):
    role = page.get("role") if "role" in page else role_of(request.user)
    if not role:
        return None
    return {"active": getattr(request.resolver_match, "namespace", "") == "livechat"}


def ticket_reply(request, page):
    """On a chat ticket: the live feed of the visitor's new messages, and the typing signal."""
    ticket = page.get("ticket")
    if ticket is None or ticket.channel.kind != KIND:
        return None
    from tanggap.livechat.models import ChatConversation, ChatEvent

    conversation = ChatConversation.objects.filter(ticket=ticket).order_by("-last_visitor_at").first()
    last = ChatEvent.objects.filter(ticket_id=ticket.pk).order_by("-id").values_list("id", flat=True).first() or 0
    return {"ticket": ticket, "conversation": conversation, "last_event_id": last}
