"""Reads of loyalty. Staff see every member (customers are shared by all staff); a portal
customer sees only their own account, through ``portal_*`` functions given the signed-in id."""

from __future__ import annotations

from django.db.models import Count, Sum

from tanggap.common.pagination import Page, keyset_page
from tanggap.loyalty.models import Account, Draw, DrawStatus, EarnRule, LedgerEntry, Reward, Tier, Voucher
from tanggap.loyalty.services import tier_allows


def account_of(customer_id: int) -> Account | None:
    return Account.objects.select_related("tier").filter(customer_id=customer_id).first()


def summary(customer_id: int) -> dict:
    account = account_of(customer_id)
    tiers = list(Tier.objects.order_by("threshold"))
    tier = account.tier if account else None
    from tanggap.common.clock import now
    from tanggap.loyalty.services import earned_in_window

    earned = earned_in_window(customer_id, now())
    following = next((t for t in tiers if t.threshold > earned), None)
    return {"customer_id": customer_id, "balance": account.balance if account else 0, "tier": tier,
            "earned_12_months": earned, "next_tier": following,
            "points_to_next_tier": (following.threshold - earned) if following else None}


def ledger_page(customer_id: int, *, cursor: str | None = None, limit: int = 50) -> Page:
    qs = LedgerEntry.objects.filter(customer_id=customer_id).select_related("rule", "reward")
    return keyset_page(qs, order=["-created_at", "-id"], cursor=cursor, limit=limit)


def ledger_drift(customer_id: int) -> int:
    """Balance row minus the ledger's sum: 0 when they are in step."""
    total = LedgerEntry.objects.filter(customer_id=customer_id).aggregate(s=Sum("delta"))["s"] or 0
    account = account_of(customer_id)
    return (account.balance if account else 0) - total


def rewards_for(customer_id: int | None) -> list[dict]:
    """Active rewards, each with whether this customer's tier may take it."""
    account = account_of(customer_id) if customer_id else None
    tier = account.tier if account else None
    return [{"reward": r, "allowed": tier_allows(tier, r.min_tier),
             "affordable": bool(account and account.balance >= r.cost_points)}
            for r in Reward.objects.filter(active=True).select_related("min_tier").order_by("cost_points", "id")]


def vouchers_of(customer_id: int) -> list[Voucher]:
    return list(Voucher.objects.filter(customer_id=customer_id).order_by("-created_at", "-id")[:50])


def tiers() -> list[Tier]:
    return list(Tier.objects.order_by("threshold"))


def rules() -> list[EarnRule]:
    return list(EarnRule.objects.order_by("kind", "currency"))


def members_per_tier() -> list[dict]:
    counts = dict(Account.objects.values_list("tier_id").annotate(n=Count("id")))
    rows = [{"tier": None, "members": counts.get(None, 0)}]
    rows += [{"tier": t, "members": counts.get(t.pk, 0)} for t in tiers()]
    return rows


def draws(*, limit: int = 50) -> list[Draw]:
    return list(Draw.objects.order_by("-period_end", "-id")[:limit])


def draw_public(draw_id: int) -> Draw | None:
    return Draw.objects.filter(pk=draw_id).first()


def draw_json(draw: Draw) -> dict:
    """What anyone may see: while open only the seed's hash; after the draw, everything."""
    if draw.status == DrawStatus.DRAWN and draw.published:
        return {"status": draw.status, **draw.published}
    return {"draw": draw.pk, "status": draw.status, "name": draw.name_id, "period_start": draw.period_start.isoformat(),
            "period_end": draw.period_end.isoformat(), "basis": draw.basis, "points_per_entry": draw.points_per_entry,
            "winners_count": draw.winners_count, "seed_sha256": draw.seed_sha256}
