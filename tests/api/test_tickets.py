"""Tickets, replies, notes and the timeline over the HTTP API."""

import pytest

from tanggap.common.models import AppendOnlyError
from tanggap.conversations.models import Message, TimelineEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_id(api, inbound_message):
    return api.post("/messages", inbound_message(channel="email", external_id="<a1@example.co.id>")).body["ticket_id"]


def test_get_ticket_shows_its_fields(api, ticket_id):
    r = api.get(f"/tickets/{ticket_id}")
    assert r.status_code == 200
    assert r.body["reference"] == f"TG-{ticket_id:06d}"
    assert (r.body["status"], r.body["status_group"], r.body["channel"]) == ("new", "open", "email")
    assert r.body["customer"]["name"] == "Budi"
    assert r.body["waiting_since"] is not None


def test_patch_changes_fields_and_records_each_change_in_the_timeline(api, ticket_id, agent, team):
    r = api.patch(f"/tickets/{ticket_id}", {"status": "on_hold", "priority": "high", "category": "delivery",
                                            "tags": ["Kurir", "jne"], "assignee_id": agent.pk, "team_id": team.pk})
    assert r.status_code == 200
    assert (r.body["status"], r.body["status_group"], r.body["priority"], r.body["category"]) == (
        "on_hold", "paused", "high", "delivery")
    assert r.body["tags"] == ["jne", "kurir"]
    assert r.body["assignee"]["username"] == "sari"
    kinds = [e["kind"] for e in api.get(f"/tickets/{ticket_id}/timeline").body]
    assert kinds == ["ticket.opened", "message.in", "status", "priority", "category", "assignee", "team", "tags"]


def test_patch_with_an_unknown_value_is_refused_and_nothing_changes(api, ticket_id):
    r = api.patch(f"/tickets/{ticket_id}", {"status": "lost", "priority": "high"})
    assert r.status_code == 400
    assert r.body["error"]["code"] == "invalid_status"
    assert api.get(f"/tickets/{ticket_id}").body["priority"] == "normal"


def test_a_reply_is_queued_with_threading_headers(api, ticket_id):
    r = api.post(f"/tickets/{ticket_id}/replies", {"body": "Mohon maaf, kami cek ke kurir."})
    assert r.status_code == 201
    assert (r.body["direction"], r.body["delivery_status"], r.body["initiated_by"]) == ("out", "queued", "customer")
    reply = Message.objects.get(pk=r.body["id"])
    assert reply.in_reply_to == "<a1@example.co.id>"
    assert reply.references == "<a1@example.co.id>"
    assert reply.recipient == "budi@example.co.id"
    assert reply.subject == f"Re: [TG-{ticket_id:06d}] Paket belum sampai"
    ticket = api.get(f"/tickets/{ticket_id}").body
    assert ticket["status"] == "open"
    assert ticket["first_response_at"] is not None
    assert ticket["waiting_since"] is None


def test_a_customer_reply_by_email_threads_into_the_ticket(api, ticket_id, inbound_message):
    reply = Message.objects.get(pk=api.post(f"/tickets/{ticket_id}/replies", {"body": "Sudah kami cek."}).body["id"])
    r = api.post("/messages", inbound_message(channel="email", external_id="<a2@example.co.id>",
                                              subject="Re: Paket", in_reply_to=reply.message_id_header))
    assert r.body["ticket_id"] == ticket_id


def test_an_email_without_thread_headers_opens_a_new_ticket_unless_the_subject_names_one(api, ticket_id, inbound_message):
    other = api.post("/messages", inbound_message(channel="email", external_id="<b1@example.co.id>", subject="Lain"))
    assert other.body["ticket_id"] != ticket_id
    ref = api.post("/messages", inbound_message(channel="email", external_id="<b2@example.co.id>",
                                                subject=f"Soal tiket [TG-{ticket_id:06d}]"))
    assert ref.body["ticket_id"] == ticket_id


def test_a_ticket_reference_from_another_customer_does_not_join_their_ticket(api, ticket_id, inbound_message):
    r = api.post("/messages", inbound_message(channel="email", external_id="<c1@x.id>", email="orang.lain@x.id",
                                              subject=f"[TG-{ticket_id:06d}]"))
    assert r.body["ticket_id"] != ticket_id


def test_notes_are_internal_and_company_side(api, ticket_id):
    r = api.post(f"/tickets/{ticket_id}/notes", {"body": "Cek resi JNE dulu."})
    assert r.status_code == 201
    assert (r.body["direction"], r.body["delivery_status"]) == ("note", "")


def test_an_empty_reply_is_refused(api, ticket_id):
    r = api.post(f"/tickets/{ticket_id}/replies", {"body": "   "})
    assert r.status_code == 400
    assert r.body["error"]["code"] == "empty_reply"


def test_timeline_rows_cannot_be_changed_or_deleted(api, ticket_id):
    entry = TimelineEntry.objects.filter(ticket_id=ticket_id).first()
    entry.data = {"forged": True}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_list_filters_and_keyset_pages_do_not_overlap(api, inbound_message):
    for i in range(7):
        api.post("/messages", inbound_message(external_id=f"x{i}", email=f"c{i}@x.id", channel="sms" if i % 2 else "api"))
    seen, cursor = [], None
    while True:
        page = api.get(f"/tickets?limit=3{'&cursor=' + cursor if cursor else ''}").body
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7
    sms = api.get("/tickets?channel=sms").body["items"]
    assert len(sms) == 3 and {t["channel"] for t in sms} == {"sms"}
    assert api.get("/tickets?status=resolved").body["items"] == []
    assert len(api.get("/tickets?status=open").body["items"]) == 7


def test_a_forged_cursor_is_a_clear_error(api):
    r = api.get("/tickets?cursor=not-a-cursor")
    assert r.status_code == 400
    assert r.body["error"]["code"] == "bad_cursor"


def test_the_list_runs_a_bounded_number_of_queries(api, inbound_message, django_assert_max_num_queries):
    for i in range(20):
        api.post("/messages", inbound_message(external_id=f"q{i}", email=f"q{i}@x.id"))
    with django_assert_max_num_queries(8):
        r = api.get("/tickets?limit=20")
    assert len(r.body["items"]) == 20


def test_openapi_schema_is_served(api):
    r = api.get("/openapi.json")
    assert r.status_code == 200
    paths = r.body["paths"]
    for path in ("/api/v1/messages", "/api/v1/tickets", "/api/v1/tickets/{ticket_id}",
                 "/api/v1/channels/email/inbound", "/api/v1/channels/{kind}/webhook",
                 "/api/v1/customers/{customer_id}", "/api/v1/orders", "/api/v1/products"):
        assert path in paths


def test_a_web_form_ticket_is_answered_by_email(api, inbound_message):
    tid = api.post("/messages", inbound_message(channel="web", external_id="form-1")).body["ticket_id"]
    r = api.post(f"/tickets/{tid}/replies", {"body": "Terima kasih, kami cek."})
    assert (r.status_code, r.body["channel"]) == (201, "email")
    reply = Message.objects.get(pk=r.body["id"])
    assert reply.recipient == "budi@example.co.id"
    assert reply.subject == f"Re: [TG-{tid:06d}] Paket belum sampai"


def test_a_ticket_whose_customer_has_no_reachable_address_cannot_be_answered(api):
    tid = api.post("/messages", {"channel": "web", "external_id": "f2", "from": {"handle": "visitor-9"},
                                 "body": "Halo"}).body["ticket_id"]
    r = api.post(f"/tickets/{tid}/replies", {"body": "Halo juga"})
    assert (r.status_code, r.body["error"]["code"]) == (400, "no_recipient")
    assert Message.objects.filter(direction="out").count() == 0


def test_solving_a_ticket_means_nobody_is_waiting(api, ticket_id):
    assert api.get(f"/tickets/{ticket_id}").body["waiting_since"] is not None
    api.patch(f"/tickets/{ticket_id}", {"status": "solved"})
    assert api.get(f"/tickets/{ticket_id}").body["waiting_since"] is None
