"""Permission cases of live chat (issue 8). The visitor endpoints take no session: the signed
visitor token decides, the same for every caller (a staff session gives nothing more). The live
chat console, its stream and the typing signal are staff-only; the API is for staff tokens."""

from __future__ import annotations

from tests.security.matrix_base import LOGIN, MARKER_B, OK, REACHED, Case, api, console, everyone

STAFF_ONLY_JSON = {"anon": 403, "customer": 403, "nonstaff": 403, "agent": OK, "lead": OK, "admin": OK}


def _chats_hide_team_b(role, response, world):
    ids = {c["ticket_id"] for c in response.json()}
    expected = {world.ids["ticket_a"], world.ids["ticket_b"]} if role == "admin" else {world.ids["ticket_a"]}
    return None if ids == expected else f"chats on tickets {ids}, expected {expected}"


TOKEN = {"token": "{chat_token}"}

CASES = [
    Case("GET", "/chat/widget.js", everyone()),
    Case("GET", "/chat/widget.css", everyone()),
    Case("GET", "/demo-shop/", everyone()),
    Case("POST", "/chat/api/{chat_slug}/session", everyone(), {"lang": "ms"}, "json"),
    Case("POST", "/chat/api/{chat_slug}/messages", everyone(), {**TOKEN, "text": "Halo", "client_id": "m1"}, "json"),
    Case("POST", "/chat/api/{chat_slug}/messages", everyone(401), {"token": "palsu", "text": "Halo"}, "json",
         label="bad token"),
    Case("POST", "/chat/api/{chat_slug}/identify", everyone(), {**TOKEN, "email": "tamu@example.com"}, "json"),
    Case("POST", "/chat/api/{chat_slug}/continue-by-email", everyone(), {**TOKEN, "email": "tamu@example.com"},
         "json"),
    Case("POST", "/chat/api/{chat_slug}/transcript", everyone(REACHED), {**TOKEN, "email": "tamu@example.com"},
         "json"),
    Case("POST", "/chat/api/{chat_slug}/read", everyone(), {**TOKEN, "up_to": 1}, "json"),
    Case("GET", "/chat/api/{chat_slug}/stream?token={chat_token}&max=0", everyone()),
    Case("GET", "/chat/api/{chat_slug}/stream?token=palsu&max=0", everyone(401), label="bad token"),
    Case("GET", "/chat/console/", console()),
    # the matrix itself checks that nobody but the admin is shown team Pembayaran's chat (MARKER_B)
    Case("GET", "/chat/console/stream?after=0&max=0", STAFF_ONLY_JSON),
    Case("POST", "/chat/console/presence", console(), {"status": "online"}),
    Case("POST", "/chat/console/tickets/{ticket_a}/typing", console(), {"typing": "1"}),
    Case("POST", "/chat/console/tickets/{ticket_b}/typing", console(agent=404, admin=OK), {"typing": "1"},
         label="another team's ticket"),
    Case("GET", "/api/v1/livechat/chats", api(), check=_chats_hide_team_b),
    Case("GET", "/api/v1/livechat/presence", api()),
    Case("PUT", "/api/v1/livechat/presence", api(), {"status": "online"}, "json"),
]
_ = LOGIN  # (console() spells the login redirects)


def build(world, users) -> None:
    """A chat channel (also the demo shop's) and one visitor; chats attached to the shared world's
    tickets a (the shared queue) and b (team Pembayaran's), so no new ticket changes other lists."""
    from tanggap.channels.models import Channel
    from tanggap.livechat.models import ChatConversation, ChatEvent
    from tanggap.livechat.services import token_for

    channel = Channel.objects.create(kind="chat", slug="matrix-chat", name="Matrix chat",
                                     config={"allowed_origins": ["http://toko.example"], "demo_shop": True})
    visitor = ChatConversation.objects.create(channel=channel, visitor_id="matrixvisitor")
    on_a = ChatConversation.objects.create(channel=channel, visitor_id="matrixa", ticket_id=world.ids["ticket_a"])
    on_b = ChatConversation.objects.create(channel=channel, visitor_id="matrixb", ticket_id=world.ids["ticket_b"])
    ChatEvent.objects.create(conversation=on_b, ticket_id=world.ids["ticket_b"], kind="message", sender="visitor",
                             data={"text": MARKER_B})
    ChatEvent.objects.create(conversation=on_a, ticket_id=world.ids["ticket_a"], kind="message", sender="visitor",
                             data={"text": "halo dari tiket a"})
    world.ids.update(chat_slug=channel.slug, chat_token=token_for(visitor))
