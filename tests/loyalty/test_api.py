"""Loyalty over the API: balances and ledgers, admin adjustments, spending on rewards, exclusive
offers refused to lower tiers, vouchers validated and redeemed, draws drawn and re-checked."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import time_machine

from tanggap.loyalty import services
from tests.loyalty.conftest import utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_api(api_for, agent):
    return api_for(agent)


def test_balance_and_paginated_ledger(api, programme, customer):
    for i in range(5):
        services.points_adjust(customer_id=customer.pk, delta=10 + i, note=f"n{i}", actor=None)
    r = api.get(f"/loyalty/customers/{customer.pk}")
    assert r.status_code == 200
    assert r.body["balance"] == 60 and r.body["tier"]["code"] == "perunggu"
    assert r.body["tier"]["name"] == {"id": "Perunggu", "ms": "Gangsa", "en": "Bronze"}
    assert r.body["earned_12_months"] == 0 and r.body["next_tier"]["code"] == "perak"
    first = api.get(f"/loyalty/customers/{customer.pk}/ledger?limit=3")
    assert [e["note"] for e in first.body["items"]] == ["n4", "n3", "n2"]
    second = api.get(f"/loyalty/customers/{customer.pk}/ledger?limit=3&cursor={first.body['next_cursor']}")
    assert [e["note"] for e in second.body["items"]] == ["n1", "n0"] and second.body["next_cursor"] is None
    assert api.get("/loyalty/customers/999999").status_code == 404


def test_only_admins_adjust(api, agent_api, programme, customer):
    r = agent_api.post(f"/loyalty/customers/{customer.pk}/adjust", {"points": 500, "note": "hadiah"})
    assert r.status_code == 403 and r.body["error"]["code"] == "not_admin"
    r = api.post(f"/loyalty/customers/{customer.pk}/adjust", {"points": 500, "note": "hadiah"})
    assert r.status_code == 201 and r.body["balance_after"] == 500
    r = api.post(f"/loyalty/customers/{customer.pk}/adjust", {"points": -501, "note": "koreksi"})
    assert r.status_code == 422 and r.body["error"]["code"] == "insufficient_points"
    assert api.get(f"/loyalty/customers/{customer.pk}").body["balance"] == 500


def test_spend_on_reward_and_exclusive_offer_for_gold_only(api, agent_api, programme, customer):
    services.points_adjust(customer_id=customer.pk, delta=300, note="awal", actor=None)  # adjust: not "earned"
    offer = programme["rewards"]["emas-only"]
    r = agent_api.post(f"/loyalty/customers/{customer.pk}/redeem", {"reward_id": offer.pk})
    assert r.status_code == 422 and r.body["error"]["code"] == "tier_required"
    assert api.get(f"/loyalty/customers/{customer.pk}").body["balance"] == 300
    r = agent_api.post(f"/loyalty/customers/{customer.pk}/redeem", {"reward_id": programme["rewards"]["voucher"].pk})
    assert r.status_code == 201
    assert r.body["entry"]["delta"] == -100 and r.body["voucher"]["customer_id"] == customer.pk
    code = r.body["voucher"]["code"]
    # The issued code works once, for this customer only.
    assert agent_api.post("/loyalty/vouchers/validate", {"code": code, "customer_id": customer.pk}).status_code == 200
    from tests.loyalty.conftest import new_customer

    other = new_customer("lain@example.id")
    r = agent_api.post("/loyalty/vouchers/redeem", {"code": code, "customer_id": other.pk})
    assert r.status_code == 404 and r.body["error"]["code"] == "voucher_not_found"
    assert agent_api.post("/loyalty/vouchers/redeem", {"code": code, "customer_id": customer.pk}).status_code == 201
    r = agent_api.post("/loyalty/vouchers/redeem", {"code": code, "customer_id": customer.pk})
    assert r.status_code == 422 and r.body["error"]["code"] == "voucher_used"
    # Gold members may take the exclusive offer.
    from tanggap.loyalty.models import Account, Tier

    Account.objects.filter(customer=customer).update(tier=Tier.objects.get(code="emas"))
    r = agent_api.post(f"/loyalty/customers/{customer.pk}/redeem", {"reward_id": offer.pk})
    assert r.status_code == 201 and r.body["voucher"]["discount_amount"] == 100_000


def test_voucher_window_limits_and_tier(api, agent_api, programme, customer):
    with time_machine.travel(utc(2026, 11, 1), tick=False):
        r = api.post("/loyalty/vouchers", {"code": "harbolnas", "discount_percent": 12, "max_uses": 100,
                                           "per_customer": 2, "valid_from": "2026-12-12T00:00:00+07:00",
                                           "valid_until": "2026-12-13T00:00:00+07:00"})
        assert r.status_code == 201 and r.body["code"] == "HARBOLNAS"
        assert api.post("/loyalty/vouchers", {"code": "HARBOLNAS", "discount_amount": 5}).status_code == 409
        assert agent_api.post("/loyalty/vouchers", {"discount_amount": 5}).status_code == 403
        r = api.post("/loyalty/vouchers", {"discount_amount": 5, "valid_until": "2026-12-13T00:00:00"})
        assert r.status_code == 422 and r.body["error"]["code"] == "naive_datetime"
        r = agent_api.post("/loyalty/vouchers/validate", {"code": "HARBOLNAS", "customer_id": customer.pk})
        assert r.body["error"]["code"] == "voucher_not_started"
    body = {"code": "harbolnas", "customer_id": customer.pk, "order_ref": "INV/1"}
    with time_machine.travel(utc(2026, 12, 12, 3), tick=False):
        assert agent_api.post("/loyalty/vouchers/redeem", body).status_code == 201
        assert agent_api.post("/loyalty/vouchers/redeem", body).status_code == 201
        r = agent_api.post("/loyalty/vouchers/redeem", body)
        assert r.status_code == 422 and r.body["error"]["code"] == "voucher_customer_limit"
    from tests.loyalty.conftest import new_customer

    late = new_customer("telat@example.id")
    with time_machine.travel(utc(2026, 12, 12, 17, 0, 1), tick=False):
        r = agent_api.post("/loyalty/vouchers/redeem", {**body, "customer_id": late.pk})
        assert r.status_code == 422 and r.body["error"]["code"] == "voucher_expired"
    r = api.post("/loyalty/vouchers", {"code": "EMASONLY", "discount_amount": 50_000, "min_tier": "emas"})
    assert r.status_code == 201
    r = agent_api.post("/loyalty/vouchers/redeem", {"code": "EMASONLY", "customer_id": late.pk})
    assert r.status_code == 422 and r.body["error"]["code"] == "tier_required"


def test_referral_api(agent_api, programme, customer):
    from tests.loyalty.conftest import new_customer

    friend = new_customer("teman@example.id")
    r = agent_api.post("/loyalty/referrals", {"referrer_id": customer.pk, "referred_id": friend.pk})
    assert r.status_code == 201 and r.body["delta"] == 100
    r = agent_api.post("/loyalty/referrals", {"referrer_id": customer.pk, "referred_id": friend.pk})
    assert r.status_code == 409 and r.body["error"]["code"] == "already_referred"


def test_programme_lists(agent_api, programme):
    assert [t["code"] for t in agent_api.get("/loyalty/tiers").body] == ["perunggu", "perak", "emas"]
    assert {r["kind"] for r in agent_api.get("/loyalty/rules").body} >= {"order_amount", "review_posted"}
    rewards = agent_api.get("/loyalty/rewards").body
    assert [(r["code"], r["min_tier"]) for r in rewards] == [("voucher-25rb", None), ("emas-spa", "emas")]


def _earn(customer, points, at):
    from tanggap.loyalty.models import EntryKind

    with time_machine.travel(at, tick=False):
        services._post(customer_id=customer.pk, kind=EntryKind.EARN, delta=points, note="test")


def test_draw_is_published_and_rechecked_by_anyone(api, agent_api, api_for, lead, programme, tmp_path):
    from tests.loyalty.conftest import new_customer

    people = [new_customer(f"undian{i}@example.id") for i in range(6)]
    for i, person in enumerate(people):
        _earn(person, 100 * (i + 1), utc(2026, 10, 5 + i))
    _earn(people[0], 5000, utc(2026, 9, 1))  # before the period: no entries
    with time_machine.travel(utc(2026, 10, 1), tick=False):
        r = api.post("/loyalty/draws", {"name_id": "Undian Oktober", "period_start": "2026-10-01T00:00:00+07:00",
                                        "period_end": "2026-11-01T00:00:00+07:00", "points_per_entry": 100,
                                        "winners_count": 2})
        assert r.status_code == 201 and r.body["published"] is None and len(r.body["seed_sha256"]) == 64
        draw_id = r.body["id"]
        from tanggap.loyalty.drawing import seed_digest
        from tanggap.loyalty.models import Draw

        # a fixed seed, so the tampered list below is known to change the winners
        Draw.objects.filter(pk=draw_id).update(seed="5eed" * 8, seed_sha256=seed_digest("5eed" * 8))
        r = api_for(lead).post(f"/loyalty/draws/{draw_id}/run")
        assert r.status_code == 422 and r.body["error"]["code"] == "draw_not_finished"
    assert agent_api.post(f"/loyalty/draws/{draw_id}/run").status_code == 403
    with time_machine.travel(utc(2026, 11, 2), tick=False):
        r = api_for(lead).post(f"/loyalty/draws/{draw_id}/run")
    assert r.status_code == 200 and r.body["status"] == "drawn"
    published = r.body["published"]
    assert len(published["entries"]) == 1 + 2 + 3 + 4 + 5 + 6
    assert len(published["winners"]) == 2 and published["winners"][0]["member"] != published["winners"][1]["member"]
    assert api_for(lead).post(f"/loyalty/draws/{draw_id}/run").status_code == 409
    # Anyone re-checks from the public JSON: the same winners; a tampered entry list does not give them.
    from django.test import Client

    public = Client().get(f"/portal/loyalty/draws/{draw_id}.json")
    assert public.status_code == 200 and json.loads(public.content)["winners"] == published["winners"]
    good = tmp_path / "draw.json"
    good.write_bytes(public.content)
    ok = subprocess.run([sys.executable, "-m", "tanggap.loyalty.verify", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stdout + ok.stderr
    for w in published["winners"]:
        assert f"entry {w['entry']} ({w['member']})" in ok.stdout
    tampered = json.loads(public.content)
    # one entry of a member who did not win is left out (and the rest renumbered)
    losers = [e for e in tampered["entries"] if e["member"] not in {w["member"] for w in published["winners"]}]
    tampered["entries"].remove(losers[-1])
    for i, e in enumerate(tampered["entries"], 1):
        e["entry"] = i
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(tampered))
    result = subprocess.run([sys.executable, "-m", "tanggap.loyalty.verify", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and "MISMATCH" in result.stdout
    from tanggap.loyalty import drawing

    tampered["entries_sha256"] = drawing.entries_digest(tampered["entries"])  # even with a matching digest
    assert drawing.check(tampered)[0] is False
