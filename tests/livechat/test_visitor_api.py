"""The widget's endpoints: a visitor without an account chats onto an ordinary ticket of the chat
channel; the agent's reply, sent the ordinary way, becomes the visitor's event."""

from __future__ import annotations

import pytest

from tanggap.conversations import services as conv
from tanggap.conversations.models import Message, Ticket
from tanggap.customers.models import Identity
from tanggap.livechat.models import ChatConversation, ChatEvent
from tests.livechat.conftest import ORIGIN

pytestmark = pytest.mark.django_db


def test_a_visitor_message_opens_a_ticket_on_the_chat_channel_through_intake(visitor, chat_channel):
    v = visitor()
    response = v.say("Halo, blender saya mati setelah 2 minggu")
    assert response.status_code == 200
    assert response.body["event"]["text"] == "Halo, blender saya mati setelah 2 minggu"
    ticket = Ticket.objects.get()
    assert ticket.channel == chat_channel and ticket.subject.startswith("Halo, blender")
    message = ticket.messages.get()
    assert message.direction == "in" and message.channel_kind == "chat" and message.raw is not None
    handle = Identity.objects.get(customer=ticket.customer)
    assert (handle.kind, handle.namespace) == ("handle", "chat")
    # the second message joins the same ticket; resending the same client id stores nothing new
    v.say("Bisa diganti?", client_id="again")
    v.say("Bisa diganti?", client_id="again")
    assert Ticket.objects.count() == 1 and ticket.messages.count() == 2
    assert ChatEvent.objects.filter(kind="message", sender="visitor").count() == 2


def test_the_token_is_signed_and_resumes_the_same_conversation(visitor, chat_channel):
    v = visitor()
    v.say("Pesan pertama")
    again = v.open()
    assert again["token"] == v.token and [e["text"] for e in again["events"]] == ["Pesan pertama"]
    v.token = v.token[:-2] + ("AA" if not v.token.endswith("AA") else "BB")
    response = v.say("palsu")
    assert response.status_code == 401 and response.body["error"]["code"] == "bad_token"


def test_the_agent_reply_goes_through_reply_send_and_reaches_the_visitor(visitor, agent):
    v = visitor()
    v.say("Kapan paket saya sampai?")
    ticket = Ticket.objects.get()
    reply = conv.reply_send(ticket=ticket, author=agent, body_text="Besok siang, Kak.")
    assert reply.channel_kind == "chat" and reply.recipient == ChatConversation.objects.get().visitor_id
    event = ChatEvent.objects.get(message=reply)
    assert (event.sender, event.data["author"]) == ("agent", "sari")
    assert event.data["text"] == Message.objects.get(pk=reply.pk).body_text  # with what others added (a promise)
    assert event.data["text"].startswith("Besok siang, Kak.")
    # writing the event is delivering it: recorded as sent in the reply's own transaction (one
    # attempt, "delivered" on the timeline), so the worker has nothing left to do
    from tanggap.conversations.delivery import message_deliver

    assert reply.delivery_status == "sent" and reply.provider_id == f"chat-event-{event.pk}"
    assert list(reply.delivery_attempts.values_list("number", "outcome")) == [(1, "sent")]
    assert ticket.timeline.filter(kind="delivery.sent", message=reply).count() == 1
    assert message_deliver(message_id=reply.pk) == "skipped"
    assert ChatEvent.objects.filter(message=reply).count() == 1
    session = v.open()
    assert [(e["sender"], e["text"][:17]) for e in session["events"]] == [
        ("visitor", "Kapan paket saya "), ("agent", "Besok siang, Kak.")]


def test_giving_a_known_email_joins_that_customer_and_moves_the_chat_to_their_history(visitor):
    from tanggap.customers.services import customer_find_or_create
    from tanggap.channels.normalized import InboundIdentity

    budi, _ = customer_find_or_create(identity=InboundIdentity(kind="email", value="budi@example.co.id", name="Budi"))
    v = visitor()
    v.say("Saya mau tanya pesanan")
    response = v.post("identify", {"email": "Budi@Example.co.id"})
    assert response.status_code == 200 and response.body["email"] == "budi@example.co.id"
    ticket = Ticket.objects.get()
    assert ticket.customer_id == budi.pk
    assert Identity.objects.filter(customer=budi, kind="handle", namespace="chat").exists()
    # the next message threads into the same ticket, on Budi
    v.say("Nomor pesanan INV/2025/0412")
    assert Ticket.objects.count() == 1 and Ticket.objects.get().messages.count() == 2


def test_a_new_email_is_added_to_the_visitors_customer(visitor):
    v = visitor()
    v.say("Halo")
    v.post("identify", {"email": "baru@example.com", "phone": "0812-3456-7890"})
    customer = Ticket.objects.get().customer
    assert set(customer.identities.values_list("kind", flat=True)) == {"handle", "email", "phone"}
    assert v.post("identify", {"email": "bukan email"}).status_code == 400


def test_cors_answers_only_the_allowed_origins(chat_channel, visitor):
    v = visitor()
    ok = v.post("messages", {"text": "hai", "client_id": "x"})
    assert ok["Access-Control-Allow-Origin"] == ORIGIN and "Origin" in ok["Vary"]
    bad = v.post("messages", {"text": "hai", "client_id": "y"}, origin="https://penipu.example")
    assert bad.status_code == 403 and "Access-Control-Allow-Origin" not in bad
    assert ChatEvent.objects.filter(kind="message").count() == 1
    preflight = v.client.options(f"/chat/api/{chat_channel.slug}/messages", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == ORIGIN
    assert "Content-Type" in preflight["Access-Control-Allow-Headers"]


def test_visitor_endpoints_need_no_csrf_but_console_ones_do(chat_channel, agent):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/chat/api/{chat_channel.slug}/session", data="{}", content_type="application/json")
    assert response.status_code == 200
    strict.force_login(agent)
    assert strict.post("/chat/console/presence", {"status": "online"}).status_code == 403


def test_unknown_or_inactive_channels_are_refused(chat_channel, visitor):
    v = visitor()
    chat_channel.active = False
    chat_channel.save()
    assert v.say("hai").status_code == 404


def test_the_widget_files_are_served_for_any_site(client):
    js = client.get("/chat/widget.js")
    assert js.status_code == 200 and js["Content-Type"].startswith("text/javascript")
    text = js.content.decode()
    assert "innerHTML" not in text and "textContent" in text  # visitor text is never parsed as HTML
    css = client.get("/chat/widget.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
