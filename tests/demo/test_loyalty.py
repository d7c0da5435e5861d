"""The demo's loyalty programme (tanggap/loyalty/demo.py) on the package's one generated store."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from tanggap.loyalty import drawing
from tanggap.loyalty.models import Account, Draw, LedgerEntry, Reward, Tier, Voucher

pytestmark = pytest.mark.django_db


def test_programme_has_members_in_every_tier_and_a_consistent_ledger(demo):
    counts = demo.counts["loyalty"]
    assert set(counts["members"]) >= {"perunggu", "perak", "emas"}, counts
    assert all(counts["members"][t] > 0 for t in ("perunggu", "perak", "emas")), counts
    for account in Account.objects.order_by("pk")[:200]:
        total = LedgerEntry.objects.filter(customer_id=account.customer_id).aggregate(s=Sum("delta"))["s"] or 0
        assert account.balance == total >= 0
    # points came from the demo's paid orders, once per event
    keys = list(LedgerEntry.objects.filter(kind="earn").values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) > 100
    assert LedgerEntry.objects.filter(journey_event__kind="order_paid").exists()
    assert LedgerEntry.objects.filter(kind="spend").count() == counts["rewards_redeemed"] > 0


def test_vouchers_exclusive_offer_and_a_rechecked_draw(demo):
    assert Voucher.objects.filter(uses__gt=0).count() >= 1
    assert Voucher.objects.filter(min_tier__code="emas").exists()
    offer = Reward.objects.get(min_tier=Tier.objects.get(code="emas"))
    takers = LedgerEntry.objects.filter(reward=offer).values_list("customer_id", flat=True)
    assert takers and all(Account.objects.get(customer_id=c).tier.code == "emas" for c in takers)
    draw = Draw.objects.get(status="drawn")
    ok, problems = drawing.check(draw.published)
    assert ok, problems
    assert len(draw.published["winners"]) == 3 and len(draw.published["entries"]) >= 30
    assert demo.counts["loyalty"]["seconds"] < 10
