"""Remedies under policy through the API: what an agent may do at once, what waits for a
lead, and what the policy refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from tanggap.accounts.services import team_get_or_create
from tanggap.conversations.models import Message, TimelineEntry
from tanggap.customers.models import Identity, Order
from tanggap.notifications.models import Notification
from tanggap.remedies.models import Remedy
from tests.remedies.conftest import jkt

pytestmark = pytest.mark.django_db


def remedy_messages(ticket):
    return list(Message.objects.filter(ticket=ticket, direction="out", meta__purpose="remedy"))


def test_a_refund_within_the_limit_is_applied_at_once_and_the_customer_is_told_in_english(
        api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="defect", language="en")
    order = make_order(ticket.customer)  # 2 × 150.000 + 50.000
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies",
                            {"kind": "refund", "order_id": order.pk, "amount": "150000", "note": "Sorry again."})
    assert r.status_code == 201, r.body
    assert (r.body["status"], r.body["amount"], r.body["customer_told"]) == ("applied", "150000.00", True)
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("150000")
    [message] = remedy_messages(ticket)
    assert message.delivery_status == "queued" and message.recipient == "rina@example.id"
    assert message.body_text == ("We are sorry for the trouble. We are refunding Rp150.000 for order "
                                 "INV/2026/0001. Sorry again.")
    row = TimelineEntry.objects.get(ticket=ticket, kind="remedy.applied")
    assert (row.actor, row.data["remedy"], row.data["amount"], row.data["order"]) == (
        agent, "refund", "150000.00", "INV/2026/0001")
    assert [x["id"] for x in api_for(agent).get(f"/tickets/{ticket.pk}/remedies").body] == [r.body["id"]]


def test_the_customer_message_is_in_the_customers_language(api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="defect", language="ms")
    order = make_order(ticket.customer)
    api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 50000})
    [message] = remedy_messages(ticket)
    assert message.body_text.startswith("Harap maaf atas kesulitan ini. Kami memulangkan wang sebanyak Rp50.000")


def test_a_refund_above_the_approval_limit_waits_for_a_lead_who_approves_it(
        api_for, agent, lead, make_staff, make_ticket, make_order):
    other_lead = make_staff("other-lead", "lead", [team_get_or_create(name="Gudang")])
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer, quantity=5)  # Rp800.000
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 600000})
    assert (r.status_code, r.body["status"]) == (201, "pending")
    rid = r.body["id"]
    order.refresh_from_db()
    assert order.refunded_amount == 0 and remedy_messages(ticket) == []
    assert TimelineEntry.objects.filter(ticket=ticket, kind="remedy.requested").count() == 1
    # the team's lead is asked; a lead of another team is not
    note = Notification.objects.get(user=lead, kind="remedy.approval")
    assert note.ticket_id == ticket.pk and ticket.reference in note.text
    assert not Notification.objects.filter(user=other_lead).exists()
    assert [p["id"] for p in api_for(lead).get("/remedies/pending").body] == [rid]
    assert api_for(agent).get("/remedies/pending").status_code == 403

    refused = api_for(agent).post(f"/tickets/{ticket.pk}/remedies/{rid}/approve", {})
    assert (refused.status_code, refused.body["error"]["code"]) == (403, "not_a_manager")
    assert Remedy.objects.get(pk=rid).status == "pending"

    ok = api_for(lead).post(f"/tickets/{ticket.pk}/remedies/{rid}/approve", {"note": "Pelanggan lama."})
    assert (ok.status_code, ok.body["status"], ok.body["decided_by"]["username"]) == (200, "applied", "bayu")
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("600000")
    [message] = remedy_messages(ticket)
    assert "Rp600.000" in message.body_text
    assert Notification.objects.filter(user=agent, kind="remedy.decided").count() == 1
    again = api_for(lead).post(f"/tickets/{ticket.pk}/remedies/{rid}/approve")
    assert (again.status_code, again.body["error"]["code"]) == (409, "remedy_not_pending")
    assert api_for(lead).get("/remedies/pending").body == []


def test_a_rejected_remedy_changes_nothing_and_tells_the_customer_nothing(api_for, agent, lead, make_ticket, make_order):
    ticket = make_ticket(category="billing")  # billing refunds always need approval
    order = make_order(ticket.customer)
    rid = api_for(agent).post(f"/tickets/{ticket.pk}/remedies",
                              {"kind": "refund", "order_id": order.pk, "amount": 10000}).body["id"]
    r = api_for(lead).post(f"/tickets/{ticket.pk}/remedies/{rid}/reject", {"note": "Tagihan sudah benar."})
    assert (r.status_code, r.body["status"], r.body["decision_note"]) == (200, "rejected", "Tagihan sudah benar.")
    order.refresh_from_db()
    assert order.refunded_amount == 0 and remedy_messages(ticket) == []
    assert TimelineEntry.objects.get(ticket=ticket, kind="remedy.rejected").data["reason"] == "Tagihan sudah benar."


def test_a_lead_applying_above_the_limit_approves_it_themselves(api_for, lead, make_ticket, make_order):
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer, quantity=5)
    r = api_for(lead).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 700000})
    assert (r.status_code, r.body["status"], r.body["decided_by"]["username"]) == (201, "applied", "bayu")


def test_a_pending_refund_holds_its_amount_so_two_requests_cannot_exceed_the_order(
        api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer, quantity=5)  # Rp800.000
    api = api_for(agent)
    assert api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 600000}).body["status"] == "pending"
    r = api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 300000})
    assert (r.status_code, r.body["error"]["code"]) == (422, "refund_exceeds_order")
    assert "At most Rp200.000 can still be refunded" in r.body["error"]["message"]
    assert "waiting for approval Rp600.000" in r.body["error"]["message"]


def test_the_return_window_closed_answers_422_with_the_deadline(api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="refund_request")  # return within 14 days of delivery
    order = make_order(ticket.customer, delivered_at=jkt(2026, 12, 1, 10, 0))
    api = api_for(agent)
    with time_machine.travel(jkt(2026, 12, 16, 0, 5), tick=False):
        r = api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "return", "order_id": order.pk})
    assert (r.status_code, r.body["error"]["code"]) == (422, "remedy_window_closed")
    assert "closed on 15 December 2026" in r.body["error"]["message"]
    order.refresh_from_db()
    assert order.status == "delivered"
    with time_machine.travel(jkt(2026, 12, 15, 23, 50), tick=False):  # the last day still counts
        r = api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "return", "order_id": order.pk})
    assert (r.status_code, r.body["status"]) == (201, "applied")
    order.refresh_from_db()
    assert order.status == "returned"


def test_a_kind_the_category_does_not_allow_is_refused_with_the_allowed_ones(api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="question")
    order = make_order(ticket.customer)
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 1000})
    assert (r.status_code, r.body["error"]["code"]) == (422, "remedy_not_allowed")
    assert r.body["error"]["message"] == "A refund is not allowed for question tickets; allowed: answer."
    assert Remedy.objects.count() == 0


def test_the_toothpaste_story_a_new_tube_at_once(api_for, agent, make_ticket, make_order):
    """Article 004: a faulty tube; the company apologised and sent a new one at once."""
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer, delivered_at=jkt(2026, 12, 1, 10, 0))
    api = api_for(agent)
    with time_machine.travel(jkt(2026, 12, 3, 9, 0), tick=False):
        r = api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "replace", "order_id": order.pk})
        second = api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "replace", "order_id": order.pk})
    assert (r.status_code, r.body["status"], r.body["replacement_order"]["external_id"]) == (
        201, "applied", "INV/2026/0001-R1")
    assert second.body["replacement_order"]["external_id"] == "INV/2026/0001-R2"
    new = Order.objects.get(pk=r.body["replacement_order"]["id"])
    assert (new.customer_id, new.total, new.replacement_for_id, new.status) == (ticket.customer_id, 0, order.pk, "placed")
    assert sorted((line.product.sku, line.quantity, line.unit_price) for line in new.lines.all()) == [
        ("PG-190", 2, 0), ("SK-01", 1, 0)]
    message = remedy_messages(ticket)[0]
    assert message.body_text == ("Mohon maaf atas ketidaknyamanannya. Kami mengirimkan pengganti untuk pesanan "
                                 "INV/2026/0001 tanpa biaya (INV/2026/0001-R1).")


def test_another_customers_order_is_refused(api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="defect")
    stranger = make_ticket(category="defect", email="joko@example.id", name="Joko")
    their_order = make_order(stranger.customer, external_id="INV/JOKO")
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": their_order.pk, "amount": 1000})
    assert (r.status_code, r.body["error"]["code"]) == (422, "order_not_customers")
    missing = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": 999999, "amount": 1000})
    assert (missing.status_code, missing.body["error"]["code"]) == (422, "order_not_customers")  # no disclosure
    their_order.refresh_from_db()
    assert their_order.refunded_amount == 0 and Remedy.objects.count() == 0


def test_another_teams_ticket_is_404(api_for, make_staff, make_ticket, make_order):
    outsider = make_staff("dimas", "agent", [team_get_or_create(name="Gudang")])
    ticket = make_ticket(category="defect")  # on "Layanan Pelanggan"
    order = make_order(ticket.customer)
    api = api_for(outsider)
    r = api.post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 1000})
    assert (r.status_code, r.body["error"]["code"]) == (404, "ticket_not_found")
    assert api.get(f"/tickets/{ticket.pk}/remedies").status_code == 404
    assert Remedy.objects.count() == 0


@pytest.mark.parametrize("payload, code, text", [
    ({"kind": "voucher", "amount": 150000}, "amount_above_limit", "at most Rp100.000"),
    ({"kind": "voucher"}, "amount_required", "needs an amount"),
    ({"kind": "refund", "amount": 400000, "order": True}, "refund_exceeds_order", "At most Rp350.000"),
    ({"kind": "refund", "amount": 1000}, "order_required", "needs the order"),
    ({"kind": "refund", "amount": -5, "order": True}, "invalid_amount", "more than zero"),
    ({"kind": "replace", "amount": 5, "order": True}, "amount_not_used", "does not take an amount"),
    ({"kind": "gift"}, "unknown_remedy", "not a remedy"),
])
def test_amount_rules_refuse_with_a_clear_message(api_for, agent, make_ticket, make_order, payload, code, text):
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer)
    body = {k: v for k, v in payload.items() if k != "order"} | ({"order_id": order.pk} if payload.get("order") else {})
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", body)
    assert (r.status_code, r.body["error"]["code"]) == (422, code)
    assert text in r.body["error"]["message"]
    assert Remedy.objects.count() == 0


def test_a_voucher_gets_a_readable_code_that_the_customer_is_sent(api_for, agent, make_ticket):
    ticket = make_ticket(category="complaint")
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "voucher", "amount": "25000"})
    code = r.body["voucher_code"]
    assert r.status_code == 201 and code.startswith("MAAF-") and len(code) == 14
    assert not set(code.replace("MAAF-", "").replace("-", "")) & set("01OIL")
    assert f"voucher senilai Rp25.000 untuk Anda: {code}." in remedy_messages(ticket)[0].body_text


def test_a_customer_who_cannot_be_reached_still_gets_the_remedy(api_for, agent, make_ticket, make_order):
    ticket = make_ticket(category="defect")
    order = make_order(ticket.customer)
    Identity.objects.filter(customer=ticket.customer).delete()
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "refund", "order_id": order.pk, "amount": 20000})
    assert (r.status_code, r.body["status"], r.body["customer_told"]) == (201, "applied", False)
    order.refresh_from_db()
    assert order.refunded_amount == Decimal("20000")
    row = TimelineEntry.objects.get(ticket=ticket, kind="remedy.applied")
    assert row.data["customer_told"] is False and "no address" in row.data["not_told_reason"]


def test_the_default_catalog_is_served(api_for, agent):
    rules = api_for(agent).get("/remedies/catalog?category=defect").body
    by_kind = {r["kind"]: r for r in rules}
    assert set(by_kind) == {"refund", "replace", "return", "voucher"}
    assert (by_kind["replace"]["window_days"], by_kind["replace"]["window_from"]) == (7, "delivered")
    assert by_kind["refund"]["approval_above"] == "500000.00"
    assert by_kind["voucher"]["max_amount"] == "100000.00"
    assert {r["category"] for r in api_for(agent).get("/remedies/catalog").body} >= {"question", "billing", "bug"}
