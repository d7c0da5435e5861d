"""Service recovery through loyalty: a `points` remedy credits the customer's points ledger once,
and a `voucher` remedy's code is a single-use loyalty voucher the shop redeems through the API."""

from __future__ import annotations

import pytest

from tanggap.conversations.models import Message
from tanggap.loyalty.models import Account, LedgerEntry
from tanggap.remedies.models import RemedyRule

pytestmark = pytest.mark.django_db


def test_a_points_remedy_awards_points_once_and_tells_the_customer(api_for, agent, lead, make_ticket):
    RemedyRule.objects.create(category="defect", kind="points", max_amount=500, approval_above=200)
    ticket = make_ticket(category="defect", language="ms")
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "points", "amount": "150", "note": "Maaf."})
    assert r.status_code == 201 and r.body["status"] == "applied", r.body
    entry = LedgerEntry.objects.get(customer=ticket.customer)
    assert (entry.kind, entry.delta, entry.source_key) == ("remedy", 150, f"remedy:{r.body['id']}")
    assert Account.objects.get(customer=ticket.customer).balance == 150
    message = Message.objects.get(ticket=ticket, direction="out", meta__purpose="remedy")
    assert message.body_text == "Sebagai tanda maaf, kami menambah 150 mata ke akaun ahli anda. Maaf."
    # above the approval limit: nothing until a lead approves, then once
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "points", "amount": "300"})
    assert r.body["status"] == "pending"
    assert Account.objects.get(customer=ticket.customer).balance == 150
    api_for(lead).post(f"/tickets/{ticket.pk}/remedies/{r.body['id']}/approve")
    assert Account.objects.get(customer=ticket.customer).balance == 450
    # whole points only, and within the rule's maximum
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "points", "amount": "10.5"})
    assert r.status_code == 422 and r.body["error"]["code"] == "invalid_amount"
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "points", "amount": "501"})
    assert r.status_code == 422 and r.body["error"]["code"] == "amount_above_limit"
    assert LedgerEntry.objects.count() == 2


def test_a_voucher_remedy_is_redeemable_once_through_the_loyalty_api(api_for, agent, make_ticket):
    RemedyRule.objects.update_or_create(category="defect", kind="voucher", defaults={"max_amount": 100000})
    ticket = make_ticket(category="defect")
    r = api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "voucher", "amount": "50000"})
    assert r.status_code == 201 and r.body["status"] == "applied", r.body
    code = r.body["voucher_code"]
    body = {"code": code, "customer_id": ticket.customer_id, "order_ref": "INV/9"}
    v = api_for(agent).post("/loyalty/vouchers/validate", body)
    assert v.status_code == 200 and v.body["discount_amount"] == 50000 and v.body["max_uses"] == 1
    assert api_for(agent).post("/loyalty/vouchers/redeem", body).status_code == 201
    again = api_for(agent).post("/loyalty/vouchers/redeem", body)
    assert again.status_code == 422 and again.body["error"]["code"] == "voucher_used"


def test_the_portal_case_page_shows_a_points_remedy_as_points(api_for, agent, make_ticket, client):
    RemedyRule.objects.create(category="defect", kind="points", max_amount=500)
    ticket = make_ticket(category="defect")
    api_for(agent).post(f"/tickets/{ticket.pk}/remedies", {"kind": "points", "amount": "150"})
    page = client.get(f"/portal/t/{ticket.access_key}/").content.decode()
    assert "Poin loyalitas" in page and "150 poin" in page and "Rp150" not in page
