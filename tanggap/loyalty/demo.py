"""The demo store's loyalty (issue 6): called by tanggap.demo.parts after the tickets, journeys,
surveys and reviews exist.

A programme with three tiers (Perunggu, Perak, Emas), earning rules, the points every paid order,
posted review and answered survey of the demo earned (written in bulk, each at the time of its
journey event, with the tier multiplier the customer had then), points expired after 12 months,
a few rewards spent, vouchers (one redeemed), a finished lucky draw with its published seed and
entries, and an exclusive offer for Emas members. Deterministic for a seed and ``now``."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict, deque

from django.db.models import Count

from tanggap.demo.aftercare import frozen
from tanggap.loyalty import services
from tanggap.loyalty.models import Account, EarnRule, EntryKind, LedgerEntry, Reward, RuleKind, Tier

TIERS = [
    dict(code="perunggu", name_id="Perunggu", name_ms="Gangsa", name_en="Bronze", threshold=0, multiplier_percent=100,
         benefits_id="Kumpulkan 1 poin tiap Rp 10.000 belanja; tukar poin dengan voucher.",
         benefits_ms="Kumpul 1 mata bagi setiap Rp 10.000 belanja; tukar mata dengan baucar.",
         benefits_en="Earn 1 point per Rp 10,000 spent; exchange points for vouchers."),
    dict(code="perak", name_id="Perak", name_ms="Perak", name_en="Silver", threshold=40, multiplier_percent=125,
         benefits_id="Poin 1,25x dan gratis ongkir sekali sebulan.",
         benefits_ms="Mata 1.25x dan penghantaran percuma sekali sebulan.",
         benefits_en="1.25x points and free shipping once a month."),
    dict(code="emas", name_id="Emas", name_ms="Emas", name_en="Gold", threshold=120, multiplier_percent=150,
         benefits_id="Poin 1,5x, layanan prioritas, dan penawaran eksklusif.",
         benefits_ms="Mata 1.5x, layanan keutamaan dan tawaran eksklusif.",
         benefits_en="1.5x points, priority service and exclusive offers."),
]


def _programme() -> dict:
    tiers = {t["code"]: Tier.objects.create(**t) for t in TIERS}
    rules = {
        ("order_amount", "IDR"): EarnRule.objects.create(kind=RuleKind.ORDER_AMOUNT, currency="IDR", points=1,
                                                         per_amount=10_000),
        ("order_amount", "MYR"): EarnRule.objects.create(kind=RuleKind.ORDER_AMOUNT, currency="MYR", points=1,
                                                         per_amount=3),
        ("review_posted", ""): EarnRule.objects.create(kind=RuleKind.REVIEW, points=25),
        ("survey_answered", ""): EarnRule.objects.create(kind=RuleKind.SURVEY, points=10),
        ("referral", ""): EarnRule.objects.create(kind=RuleKind.REFERRAL, points=50),
    }
    rewards = [
        Reward.objects.create(code="voucher-20rb", name_id="Voucher belanja Rp 20.000", name_ms="Baucar belanja Rp 20,000",
                              name_en="Rp 20,000 shopping voucher", cost_points=50, discount_amount=20_000,
                              description_id="Potongan untuk belanja berikutnya.",
                              description_ms="Potongan untuk belian seterusnya.",
                              description_en="A discount on your next order."),
        Reward.objects.create(code="gratis-ongkir", name_id="Gratis ongkir", name_ms="Penghantaran percuma",
                              name_en="Free shipping", cost_points=30, discount_amount=15_000,
                              description_id="Ongkos kirim ditanggung kami.",
                              description_ms="Kos penghantaran kami tanggung.",
                              description_en="We pay the delivery."),
        Reward.objects.create(code="emas-paket-perawatan", name_id="Paket perawatan eksklusif Emas",
                              name_ms="Pakej rawatan eksklusif Emas", name_en="Gold exclusive care set",
                              cost_points=100, discount_amount=150_000, min_tier=tiers["emas"],
                              description_id="Hanya untuk member Emas: paket produk edisi terbatas.",
                              description_ms="Hanya untuk ahli Emas: pakej produk edisi terhad.",
                              description_en="Gold members only: a limited-edition product set."),
    ]
    return {"tiers": tiers, "rules": rules, "rewards": rewards}


def _earn_history(programme: dict) -> int:
    """The points the demo's history earned, written in bulk: every paid order (at its "paid"
    journey event, or when it was placed for the archive's orders, which have no events), every
    posted review and answered survey, oldest first, each with the multiplier of the tier the
    customer had then; what the journey.event handler would have written had the programme
    existed all along (the same source keys)."""
    from tanggap.customers.models import Order
    from tanggap.journeys.models import JourneyEvent

    rules, tiers = programme["rules"], sorted(programme["tiers"].values(), key=lambda t: t.threshold)
    paid_at = {}
    for order_id, pk, at in (JourneyEvent.objects.filter(kind="order_paid", order__isnull=False)
                             .order_by("occurred_at", "id").values_list("order_id", "pk", "occurred_at")):
        paid_at.setdefault(order_id, (pk, at))
    sources = []  # (at, tie, customer, rule, amount, source_key, journey event id, note)
    for pk, customer_id, currency, total, placed_at, external_id in (
            Order.objects.filter(status__in=("paid", "shipped", "delivered"), replacement_for__isnull=True)
            .values_list("pk", "customer_id", "currency", "total", "placed_at", "external_id")):
        rule = rules.get((RuleKind.ORDER_AMOUNT, currency))
        event_id, at = paid_at.get(pk, (None, placed_at))
        if rule is not None:
            sources.append((at, pk, customer_id, rule, int(total), f"order:{pk}", event_id, f"order {external_id}"))
    for pk, customer_id, kind, at in (JourneyEvent.objects.filter(kind__in=("review_posted", "survey_answered"))
                                      .values_list("pk", "customer_id", "kind", "occurred_at")):
        rule = rules.get((services.EARNING_KINDS[kind], ""))
        if rule is not None:
            sources.append((at, pk, customer_id, rule, 0, f"journey:{pk}", pk, kind.split("_")[0]))
    sources.sort(key=lambda row: (row[0], row[5]))
    window: dict[int, deque] = defaultdict(deque)  # customer -> (at, points) earned in the last 12 months
    in_window: dict[int, int] = defaultdict(int)
    balance: dict[int, int] = defaultdict(int)
    joined: dict[int, dt.datetime] = {}
    entries = []
    months = services.expiry_months()
    for at, _tie, c, rule, amount, key, event_id, note in sources:
        q = window[c]
        while q and q[0][0] <= at - services.TIER_WINDOW:
            in_window[c] -= q.popleft()[1]
        points = services.points_for(rule, amount=amount, tier=services.tier_for_points(in_window[c], tiers))
        if points <= 0:
            continue
        q.append((at, points))
        in_window[c] += points
        balance[c] += points
        joined.setdefault(c, at)
        entries.append(LedgerEntry(customer_id=c, kind=EntryKind.EARN, delta=points, balance_after=balance[c],
                                   source_key=key, rule=rule, journey_event_id=event_id, note=note,
                                   created_at=at, expires_at=services.add_months(at, months)))
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    Account.objects.bulk_create([Account(customer_id=c, balance=b, joined_at=joined[c])
                                 for c, b in sorted(balance.items())], batch_size=1000)
    return len(entries)


def play(ctx) -> dict:
    started = time.perf_counter()
    rng, now = ctx.rng, ctx.now
    programme = _programme()
    earned = _earn_history(programme)
    with frozen(now):
        expired = services.points_expire(at=now)  # also sets every member's tier
        # A few members spent points on rewards (the richest first, deterministic).
        spenders = list(Account.objects.filter(balance__gte=50).order_by("-balance", "customer_id")
                        .values_list("customer_id", flat=True)[:12])
        spent = 0
        for customer_id in spenders:
            reward = programme["rewards"][rng.randrange(2)]
            services.reward_redeem(customer_id=customer_id, reward_id=reward.pk)
            spent += 1
        # An Emas member takes the exclusive offer.
        gold = (Account.objects.filter(tier__code="emas", balance__gte=programme["rewards"][2].cost_points)
                .order_by("-balance", "customer_id").values_list("customer_id", flat=True).first())
        if gold is not None:
            services.reward_redeem(customer_id=gold, reward_id=programme["rewards"][2].pk)
            spent += 1
        # Vouchers: a public campaign, a personal code (redeemed), one for Emas and above.
        vouchers = [
            services.voucher_create(code="HARBOLNAS12", description="Harbolnas 12.12", discount_percent=12,
                                    max_uses=500, per_customer=1, valid_from=now - dt.timedelta(days=3),
                                    valid_until=now + dt.timedelta(days=20)),
            services.voucher_create(code="EMAS50K", description="Khusus member Emas", discount_amount=50_000,
                                    max_uses=100, per_customer=1, min_tier_code="emas",
                                    valid_until=now + dt.timedelta(days=60)),
        ]
        redeemed = 0
        if spenders:
            from tanggap.loyalty.models import Voucher

            personal = Voucher.objects.filter(customer_id=spenders[0]).order_by("id").first()
            services.voucher_redeem(code=personal.code, customer_id=spenders[0], order_ref="DEMO-TUKAR-1")
            redeemed += 1
        # Last month's lucky draw: one entry per 10 points earned in the month, three winners.
        end = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        start = (end - dt.timedelta(days=1)).replace(day=1)
        seed = hashlib.sha256(f"{ctx.seed}:loyalty-draw:{start:%Y-%m}".encode()).hexdigest()[:32]
        draw = services.draw_create(name_id=f"Undian berhadiah {start:%m/%Y}", name_ms=f"Cabutan bertuah {start:%m/%Y}",
                                    name_en=f"Lucky draw {start:%m/%Y}", period_start=start, period_end=end,
                                    points_per_entry=10, winners_count=3, seed=seed)
        draw = services.draw_run(draw_id=draw.pk)
        services.draw_create(name_id="Undian akhir tahun", name_ms="Cabutan akhir tahun", name_en="Year-end draw",
                             period_start=end, period_end=end + dt.timedelta(days=45), points_per_entry=10,
                             winners_count=5, seed=hashlib.sha256(f"{ctx.seed}:loyalty-draw:next".encode()).hexdigest()[:32])
    members = dict(Account.objects.values_list("tier__code").annotate(n=Count("id")))
    return {"loyalty_entries": LedgerEntry.objects.count(), "points_earned_entries": earned,
            "expired_customers": expired["customers"], "rewards_redeemed": spent, "vouchers": len(vouchers) + spent,
            "vouchers_redeemed": redeemed, "members": {k or "none": v for k, v in sorted(members.items(), key=str)},
            "draw_entries": len(draw.published["entries"]), "draw_winners": len(draw.published["winners"]),
            "seconds": round(time.perf_counter() - started, 2)}

