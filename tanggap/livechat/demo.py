"""The demo's live chat (issue 8): the chat channel (its widget on the demo shop page, /demo-shop/)
and two chats through the real intake: one from a known customer who gave her email (the chat
joined her history) and answered by an agent, one from an anonymous visitor still waiting."""

from __future__ import annotations

import datetime as dt

from tanggap.channels.models import Channel
from tanggap.conversations.services import reply_send, ticket_update
from tanggap.customers.models import Identity
from tanggap.demo.aftercare import frozen, mark_sent
from tanggap.livechat import services
from tanggap.livechat.models import ChatConversation

# The demo serves on 127.0.0.1:8000 by default; the demo shop page is tanggap's own (same origin).
ORIGINS = ["http://127.0.0.1:8000", "http://localhost:8000"]


def play(ctx) -> dict:
    channel, _ = Channel.objects.update_or_create(slug="chat", defaults={
        "kind": "chat", "name": "Live chat", "active": True,
        "config": {"allowed_origins": ORIGINS, "demo_shop": True}})
    customers = sorted(ctx.customers.values(), key=lambda c: c.pk)
    known = next((c for c in customers if c.language == "id"
                  and Identity.objects.filter(customer=c, kind="email").exists()), None)
    # routed as every other ticket of the demo: the customer-service team, one of its agents
    team = ctx.teams.get("Layanan Pelanggan")
    members = [u for _, u in sorted(ctx.agents.items()) if team is not None and getattr(u, "profile", None) is not None
               and u.profile.teams.filter(pk=team.pk).exists()]
    agent = members[0] if members else (ctx.agents[sorted(ctx.agents)[0]] if ctx.agents else None)
    chats = 0
    start = ctx.now - dt.timedelta(hours=3)
    if known is not None:
        with frozen(start):
            conv, _ = services.session_open(channel=channel, language="id", ip="198.51.100.20",
                                            page_url="http://127.0.0.1:8000/demo-shop/")
            services.message_send(conversation=conv, text="Halo, apakah Blender Turbo 300 masih ada stok?",
                                  client_id="demo-1")
            conv.refresh_from_db()
            email = Identity.objects.filter(customer=known, kind="email").order_by("id").values_list("value", flat=True)[0]
            services.identify(conversation=conv, email=email)
        if agent is not None:
            with frozen(start + dt.timedelta(minutes=1)):
                conv.refresh_from_db()
                ticket_update(ticket=conv.ticket, actor=agent, team=team, assignee=agent, category="question",
                              tags=["stok", "live-chat"])
                reply_send(ticket=conv.ticket, author=agent,
                           body_text="Halo Kak, stoknya masih ada 12 unit. Mau dibantu pesan sekarang?")
                mark_sent(conv.ticket_id)
        chats += 1
    with frozen(ctx.now - dt.timedelta(minutes=4)):
        waiting, _ = services.session_open(channel=channel, language="id", ip="198.51.100.21",
                                           page_url="http://127.0.0.1:8000/demo-shop/")
        services.message_send(conversation=waiting, text="Ongkir ke Makassar berapa ya kak?", client_id="demo-2")
        chats += 1
    return {"chats": chats, "conversations": ChatConversation.objects.filter(channel=channel).count()}
