"""Who may see what: agents by team, non-staff users, portal access keys, admin pages."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model

from tanggap.accounts.services import team_get_or_create
from tanggap.channels.models import InboundRaw
from tanggap.channels.services import channel_for, inbound_receive
from tanggap.common.errors import ParseError
from tanggap.conversations import services
from tests.web.support import receive, receive_email_with_attachment

pytestmark = pytest.mark.django_db


def refs(response) -> list[str]:
    return re.findall(r'<span class="ref">(TG-\d{6})</span>', response.content.decode())


@pytest.fixture
def other_team_ticket(admin_user):
    ticket = receive(subject="Urusan tim B", email="lina@example.com")
    services.ticket_update(ticket=ticket, actor=admin_user, team=team_get_or_create(name="Tim B"))
    return ticket


def test_an_agent_cannot_open_another_teams_ticket(client, agent, other_team_ticket):
    client.force_login(agent)
    assert client.get(f"/tickets/{other_team_ticket.pk}/").status_code == 404
    assert client.post(f"/tickets/{other_team_ticket.pk}/reply/", {"body_text": "x"}).status_code == 404
    assert client.post(f"/tickets/{other_team_ticket.pk}/note/", {"body_text": "x"}).status_code == 404
    assert client.post(f"/tickets/{other_team_ticket.pk}/properties/", {
        "status": "closed", "priority": "low", "category": "other"}).status_code == 404
    assert other_team_ticket.messages.count() == 1


def test_an_agent_sees_own_team_shared_queue_and_own_assignments_only(client, agent, team, admin_user, other_team_ticket):
    shared = receive(subject="Tanpa tim", email="a@example.com")
    own_team = receive(subject="Tim sendiri", email="b@example.com")
    services.ticket_update(ticket=own_team, actor=admin_user, team=team)
    assigned = receive(subject="Tim B tapi untuk Sari", email="c@example.com")
    services.ticket_update(ticket=assigned, actor=admin_user, team=other_team_ticket.team, assignee=agent)
    client.force_login(agent)
    assert refs(client.get("/inbox/")) == [assigned.reference, own_team.reference, shared.reference]
    assert client.get(f"/tickets/{assigned.pk}/").status_code == 200
    assert client.get(f"/tickets/{shared.pk}/").status_code == 200


def test_the_customer_page_lists_only_tickets_the_agent_may_see(client, agent, other_team_ticket):
    visible = receive(subject="Terlihat", email="lina@example.com")
    client.force_login(agent)
    assert refs(client.get(f"/customers/{other_team_ticket.customer_id}/")) == [visible.reference]


def test_an_admin_sees_every_ticket(client, admin_user, other_team_ticket):
    client.force_login(admin_user)
    assert refs(client.get("/inbox/")) == [other_team_ticket.reference]


def test_a_logged_in_user_without_a_staff_role_is_refused(client):
    outsider = get_user_model().objects.create_user(username="tamu", password="rahasia-123")
    ticket = receive()
    client.force_login(outsider)
    for url in ("/inbox/", f"/tickets/{ticket.pk}/", f"/customers/{ticket.customer_id}/", "/admin-inbound/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Akses ditolak" in response.content.decode()


def test_an_attachment_downloads_only_through_a_visible_ticket(client, agent, admin_user):
    ticket = receive_email_with_attachment()
    attachment = ticket.messages.get().attachments.get()
    client.force_login(agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'<a href="/tickets/{ticket.pk}/attachments/{attachment.pk}/">📎 struk.pdf</a>' in page
    response = client.get(f"/tickets/{ticket.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="struk.pdf"'
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 struk"
    other = receive(subject="Lain")
    assert client.get(f"/tickets/{other.pk}/attachments/{attachment.pk}/").status_code == 404
    services.ticket_update(ticket=ticket, actor=admin_user, team=team_get_or_create(name="Tim B"))
    assert client.get(f"/tickets/{ticket.pk}/attachments/{attachment.pk}/").status_code == 404


def test_an_unknown_ticket_is_a_404_page(client, agent):
    client.force_login(agent)
    response = client.get("/tickets/999999/")
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.content.decode()


def test_the_portal_key_shows_that_customers_ticket_only(client):
    mine = receive(subject="Punya X", email="x@example.com", body="Pesan X")
    theirs = receive(subject="Punya Y", email="y@example.com", body="Pesan Y")
    body = client.get(f"/portal/t/{mine.access_key}/").content.decode()
    assert "Punya X" in body
    assert "Pesan X" in body
    assert "Punya Y" not in body
    assert "Pesan Y" not in body
    assert theirs.access_key not in body


@pytest.mark.parametrize("key", ["salah", "x" * 43, ""])
def test_a_wrong_portal_key_is_a_404(client, key):
    receive()
    assert client.get(f"/portal/t/{key}/").status_code == 404


def test_internal_notes_never_reach_the_portal(client, agent):
    ticket = receive()
    services.reply_send(ticket=ticket, author=agent, body_text="Balasan untuk pelanggan.")
    services.note_add(ticket=ticket, author=agent, body_text="Catatan rahasia: pelanggan ini rewel.")
    body = client.get(f"/portal/t/{ticket.access_key}/").content.decode()
    assert "Balasan untuk pelanggan." in body
    assert "Catatan rahasia" not in body
    assert "msg-note" not in body


def test_the_portal_does_not_show_delivery_errors_or_agent_names(client, agent):
    ticket = receive()
    services.reply_send(ticket=ticket, author=agent, body_text="Sudah kami kirim.")
    body = client.get(f"/portal/t/{ticket.access_key}/").content.decode()
    assert "sari" not in body
    assert "Dalam antrean" not in body


def _rejected(body: bytes) -> InboundRaw:
    with pytest.raises(ParseError):
        inbound_receive(channel=channel_for(kind="api"), body=body, content_type="application/json", source="api")
    return InboundRaw.objects.filter(status="rejected").latest("id")


def test_rejected_inbound_is_for_admins_only(client, agent):
    raw = _rejected(b"{not json")
    client.force_login(agent)
    assert client.get("/admin-inbound/").status_code == 403
    assert client.get(f"/admin-inbound/{raw.pk}/").status_code == 403


def test_rejected_inbound_lists_newest_first_with_the_reason(client, admin_user):
    older = _rejected(b"{not json")
    newer = _rejected(b'{"channel": "api", "external_id": "x", "from": {}, "body": "hi"}')
    client.force_login(admin_user)
    body = client.get("/admin-inbound/").content.decode()
    ids = [int(i) for i in re.findall(r'<a href="/admin-inbound/(\d+)/">', body)]
    assert ids == [newer.pk, older.pk]
    assert "<code>malformed_json</code>" in body
    assert "<code>missing_field</code>" in body


def test_the_rejected_payload_is_shown_escaped_never_as_html(client, admin_user):
    payload = b'<script>alert("x")</script>' + b"a" * 30_000
    raw = _rejected(payload)
    client.force_login(admin_user)
    body = client.get(f"/admin-inbound/{raw.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    shown = re.search(r'<pre class="raw">(.*?)</pre>', body, re.S).group(1)
    assert html.unescape(shown) == payload[:20 * 1024].decode()
    assert client.get("/admin-inbound/999999/").status_code == 404


def test_rejected_inbound_pages_follow_the_cursor(client, admin_user):
    rows = [_rejected(b"{not json %d" % n) for n in range(51)]
    client.force_login(admin_user)
    first = client.get("/admin-inbound/").content.decode()
    ids = [int(i) for i in re.findall(r'<a href="/admin-inbound/(\d+)/">', first)]
    assert ids == [r.pk for r in reversed(rows)][:50]
    next_url = html.unescape(re.search(r'rel="next" href="([^"]+)"', first).group(1))
    second = client.get(next_url).content.decode()
    assert [int(i) for i in re.findall(r'<a href="/admin-inbound/(\d+)/">', second)] == [rows[0].pk]
