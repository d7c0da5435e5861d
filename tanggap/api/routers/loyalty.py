"""Loyalty over the API (issue 6): balances and ledgers, adjustments (admins), spending on rewards,
referrals, vouchers (create, validate, redeem), tiers, rules, rewards and lucky draws. The rules
live in loyalty.services (docs/loyalty.md); this router only parses, checks roles and shapes."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.api.schemas import MAX_INT, DateTimeIn, ErrorOut, Id
from tanggap.common.errors import DomainError, NotFound, PermissionDenied
from tanggap.customers.models import Customer
from tanggap.loyalty import selectors, services
from tanggap.loyalty.models import Draw

router = Router(tags=["loyalty"])

Points = int  # whole points


def _admin(request) -> None:
    if role_of(request.auth) != Role.ADMIN:
        raise PermissionDenied("not_admin", "Only administrators change points and create vouchers or draws.")


def _manager(request) -> None:
    if role_of(request.auth) not in (Role.LEAD, Role.ADMIN):
        raise PermissionDenied("not_a_manager", "Only team leads and admins draw winners.")


def _customer_id(customer_id: int) -> int:
    customer = Customer.objects.filter(pk=customer_id).only("pk", "merged_into_id").first()
    if customer is None:
        raise NotFound("customer_not_found", f"No customer {customer_id}.")
    return customer.merged_into_id or customer.pk


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise DomainError("naive_datetime", f"{field} needs a time zone offset (e.g. 2026-12-01T00:00:00+07:00).",
                          status=422)
    return value


# ---- schemas -----------------------------------------------------------------------------------

class LoyaltyTierOut(Schema):
    id: int
    code: str
    name: dict[str, str]
    benefits: dict[str, str]
    threshold: int
    multiplier_percent: int


class LoyaltyAccountOut(Schema):
    customer_id: int
    balance: int
    tier: LoyaltyTierOut | None
    earned_12_months: int
    next_tier: LoyaltyTierOut | None
    points_to_next_tier: int | None


class LoyaltyEntryOut(Schema):
    id: int
    kind: str
    delta: int
    balance_after: int
    note: str
    source_key: str | None
    reward_id: int | None
    expires_at: dt.datetime | None
    created_at: dt.datetime


class LoyaltyLedgerOut(Schema):
    items: list[LoyaltyEntryOut]
    next_cursor: str | None


class LoyaltyLedgerQuery(Schema):
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


class LoyaltyAdjustIn(Schema):
    points: int = Field(ge=-services.MAX_POINTS, le=services.MAX_POINTS, description="positive adds, negative takes")
    note: str = Field(min_length=1, max_length=300, description="the reason, shown in the ledger")


class LoyaltyRedeemRewardIn(Schema):
    reward_id: Id


class LoyaltyVoucherOut(Schema):
    id: int
    code: str
    description: str
    discount_amount: int
    discount_percent: int
    currency: str
    max_uses: int
    per_customer: int
    uses: int
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    customer_id: int | None
    min_tier: str | None


class LoyaltySpendOut(Schema):
    entry: LoyaltyEntryOut
    voucher: LoyaltyVoucherOut


class LoyaltyReferralIn(Schema):
    referrer_id: Id
    referred_id: Id


class LoyaltyVoucherIn(Schema):
    code: str = Field(default="", max_length=40, description="empty: a code is made")
    description: str = Field(default="", max_length=200)
    discount_amount: int = Field(default=0, ge=0, le=MAX_INT)
    discount_percent: int = Field(default=0, ge=0, le=100)
    currency: str = Field(default="IDR", min_length=3, max_length=3)
    max_uses: int = Field(default=1, ge=1, le=MAX_INT)
    per_customer: int = Field(default=1, ge=1, le=MAX_INT)
    valid_from: DateTimeIn | None = None
    valid_until: DateTimeIn | None = None
    customer_id: Id | None = None
    min_tier: str = Field(default="", max_length=30)


class LoyaltyVoucherCheckIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    customer_id: Id


class LoyaltyVoucherRedeemIn(LoyaltyVoucherCheckIn):
    order_ref: str = Field(default="", max_length=64)


class LoyaltyUseOut(Schema):
    id: int
    voucher: LoyaltyVoucherOut
    customer_id: int
    order_ref: str
    created_at: dt.datetime


class LoyaltyRuleOut(Schema):
    id: int
    kind: str
    currency: str
    points: int
    per_amount: int | None
    active: bool


class LoyaltyRewardOut(Schema):
    id: int
    code: str
    name: dict[str, str]
    description: dict[str, str]
    cost_points: int
    discount_amount: int
    currency: str
    min_tier: str | None


class LoyaltyDrawIn(Schema):
    name_id: str = Field(min_length=1, max_length=120)
    name_ms: str = Field(default="", max_length=120)
    name_en: str = Field(default="", max_length=120)
    period_start: DateTimeIn
    period_end: DateTimeIn
    basis: str = Field(default="points", max_length=10, description="points | orders")
    points_per_entry: int = Field(default=100, ge=1, le=MAX_INT)
    winners_count: int = Field(default=1, ge=1, le=1000)


class LoyaltyDrawOut(Schema):
    id: int
    status: str
    name: dict[str, str]
    period_start: dt.datetime
    period_end: dt.datetime
    basis: str
    points_per_entry: int
    winners_count: int
    seed_sha256: str
    drawn_at: dt.datetime | None
    published: dict | None = Field(description="after the draw: seed, entries, entries_sha256, winners")


def tier_out(t) -> dict | None:
    if t is None:
        return None
    return {"id": t.pk, "code": t.code, "name": {"id": t.name_id, "ms": t.name_ms, "en": t.name_en},
            "benefits": {"id": t.benefits_id, "ms": t.benefits_ms, "en": t.benefits_en},
            "threshold": t.threshold, "multiplier_percent": t.multiplier_percent}


def entry_out(e) -> dict:
    return {"id": e.pk, "kind": e.kind, "delta": e.delta, "balance_after": e.balance_after, "note": e.note,
            "source_key": e.source_key, "reward_id": e.reward_id, "expires_at": e.expires_at,
            "created_at": e.created_at}


def voucher_out(v) -> dict:
    return {"id": v.pk, "code": v.code, "description": v.description, "discount_amount": v.discount_amount,
            "discount_percent": v.discount_percent, "currency": v.currency, "max_uses": v.max_uses,
            "per_customer": v.per_customer, "uses": v.uses, "valid_from": v.valid_from, "valid_until": v.valid_until,
            "customer_id": v.customer_id, "min_tier": v.min_tier.code if v.min_tier_id else None}


def draw_out(d: Draw) -> dict:
    return {"id": d.pk, "status": d.status, "name": {"id": d.name_id, "ms": d.name_ms, "en": d.name_en},
            "period_start": d.period_start, "period_end": d.period_end, "basis": d.basis,
            "points_per_entry": d.points_per_entry, "winners_count": d.winners_count, "seed_sha256": d.seed_sha256,
            "drawn_at": d.drawn_at, "published": d.published if d.status == "drawn" else None}


def account_out(customer_id: int) -> dict:
    s = selectors.summary(customer_id)
    return {**s, "tier": tier_out(s["tier"]), "next_tier": tier_out(s["next_tier"])}


# ---- members -----------------------------------------------------------------------------------

@router.get("/loyalty/customers/{customer_id}", response={200: LoyaltyAccountOut, 404: ErrorOut})
def loyalty_account(request: HttpRequest, customer_id: Id):
    """A customer's balance, tier (by points earned in the last 12 months) and the next tier."""
    return account_out(_customer_id(customer_id))


@router.get("/loyalty/customers/{customer_id}/ledger", response={200: LoyaltyLedgerOut, 400: ErrorOut, 404: ErrorOut})
def loyalty_ledger(request: HttpRequest, customer_id: Id, query: Query[LoyaltyLedgerQuery]):
    """The customer's ledger, newest first; pass `next_cursor` back as `cursor`."""
    page = selectors.ledger_page(_customer_id(customer_id), cursor=query.cursor, limit=query.limit)
    return {"items": [entry_out(e) for e in page.items], "next_cursor": page.next_cursor}


@router.post("/loyalty/customers/{customer_id}/adjust", response={201: LoyaltyEntryOut, 403: ErrorOut, 404: ErrorOut,
                                                                   422: ErrorOut})
def loyalty_adjust(request: HttpRequest, customer_id: Id, payload: LoyaltyAdjustIn):
    """Administrators: add or take points with a reason (never below zero: `insufficient_points`)."""
    _admin(request)
    entry = services.points_adjust(customer_id=_customer_id(customer_id), delta=payload.points, note=payload.note,
                                   actor=request.auth)
    return Status(201, entry_out(entry))


@router.post("/loyalty/customers/{customer_id}/redeem", response={201: LoyaltySpendOut, 404: ErrorOut, 409: ErrorOut,
                                                                   422: ErrorOut})
def loyalty_redeem(request: HttpRequest, customer_id: Id, payload: LoyaltyRedeemRewardIn):
    """Spend the customer's points on a reward: returns the ledger entry and the single-use voucher
    it issued. `insufficient_points`, `tier_required` (an exclusive offer) are 422."""
    entry, voucher = services.reward_redeem(customer_id=_customer_id(customer_id), reward_id=payload.reward_id,
                                            actor=request.auth)
    return Status(201, {"entry": entry_out(entry), "voucher": voucher_out(voucher)})


@router.post("/loyalty/referrals", response={201: LoyaltyEntryOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def loyalty_referral(request: HttpRequest, payload: LoyaltyReferralIn):
    """The referrer earns the referral rule's points, once per referred customer."""
    entry = services.referral_record(referrer_id=_customer_id(payload.referrer_id),
                                     referred_id=_customer_id(payload.referred_id), actor=request.auth)
    return Status(201, entry_out(entry))


# ---- programme ---------------------------------------------------------------------------------

@router.get("/loyalty/tiers", response={200: list[LoyaltyTierOut]})
def loyalty_tiers(request: HttpRequest):
    return [tier_out(t) for t in selectors.tiers()]


@router.get("/loyalty/rules", response={200: list[LoyaltyRuleOut]})
def loyalty_rules(request: HttpRequest):
    return [{"id": r.pk, "kind": r.kind, "currency": r.currency, "points": r.points, "per_amount": r.per_amount,
             "active": r.active} for r in selectors.rules()]


@router.get("/loyalty/rewards", response={200: list[LoyaltyRewardOut]})
def loyalty_rewards(request: HttpRequest):
    """Active rewards; `min_tier` marks an exclusive offer."""
    return [{"id": r.pk, "code": r.code, "name": {"id": r.name_id, "ms": r.name_ms, "en": r.name_en},
             "description": {"id": r.description_id, "ms": r.description_ms, "en": r.description_en},
             "cost_points": r.cost_points, "discount_amount": r.discount_amount, "currency": r.currency,
             "min_tier": r.min_tier.code if r.min_tier_id else None}
            for r in (row["reward"] for row in selectors.rewards_for(None))]


# ---- vouchers ----------------------------------------------------------------------------------

@router.post("/loyalty/vouchers", response={201: LoyaltyVoucherOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                            422: ErrorOut})
def loyalty_voucher_create(request: HttpRequest, payload: LoyaltyVoucherIn):
    """Administrators: a discount code (single-use by default; `max_uses`, `per_customer`, a validity
    window, optionally for one customer or a tier and above)."""
    _admin(request)
    voucher = services.voucher_create(
        code=payload.code, description=payload.description, discount_amount=payload.discount_amount,
        discount_percent=payload.discount_percent, currency=payload.currency, max_uses=payload.max_uses,
        per_customer=payload.per_customer, valid_from=_aware(payload.valid_from, "valid_from"),
        valid_until=_aware(payload.valid_until, "valid_until"),
        customer_id=_customer_id(payload.customer_id) if payload.customer_id else None, min_tier_code=payload.min_tier)
    return Status(201, voucher_out(voucher))


@router.post("/loyalty/vouchers/validate", response={200: LoyaltyVoucherOut, 404: ErrorOut, 422: ErrorOut})
def loyalty_voucher_validate(request: HttpRequest, payload: LoyaltyVoucherCheckIn):
    """Would this code work for this customer now? 200 with the voucher, or the reason:
    `voucher_not_found` (404), `voucher_not_started`, `voucher_expired`, `voucher_used`,
    `voucher_customer_limit`, `tier_required` (422). Changes nothing."""
    return voucher_out(services.voucher_validate(code=payload.code, customer_id=_customer_id(payload.customer_id)))


@router.post("/loyalty/vouchers/redeem", response={201: LoyaltyUseOut, 404: ErrorOut, 422: ErrorOut})
def loyalty_voucher_redeem(request: HttpRequest, payload: LoyaltyVoucherRedeemIn):
    """Use the code once for this customer (and order). Two requests racing for a single-use code:
    one 201, one `voucher_used`."""
    use = services.voucher_redeem(code=payload.code, customer_id=_customer_id(payload.customer_id),
                                  order_ref=payload.order_ref, actor=request.auth)
    return Status(201, {"id": use.pk, "voucher": voucher_out(use.voucher), "customer_id": use.customer_id,
                        "order_ref": use.order_ref, "created_at": use.created_at})


# ---- draws -------------------------------------------------------------------------------------

@router.get("/loyalty/draws", response={200: list[LoyaltyDrawOut]})
def loyalty_draws(request: HttpRequest):
    """The latest 50 draws; a drawn one carries its published seed, entries and winners."""
    return [draw_out(d) for d in selectors.draws()]


@router.get("/loyalty/draws/{draw_id}", response={200: LoyaltyDrawOut, 404: ErrorOut})
def loyalty_draw(request: HttpRequest, draw_id: Id):
    draw = selectors.draw_public(draw_id)
    if draw is None:
        raise NotFound("draw_not_found", f"No draw {draw_id}.")
    return draw_out(draw)


@router.post("/loyalty/draws", response={201: LoyaltyDrawOut, 403: ErrorOut, 422: ErrorOut})
def loyalty_draw_create(request: HttpRequest, payload: LoyaltyDrawIn):
    """Administrators: open a draw. Its seed is fixed now; only its SHA-256 is public until the draw."""
    _admin(request)
    draw = services.draw_create(
        name_id=payload.name_id, name_ms=payload.name_ms, name_en=payload.name_en,
        period_start=_aware(payload.period_start, "period_start"), period_end=_aware(payload.period_end, "period_end"),
        basis=payload.basis, points_per_entry=payload.points_per_entry, winners_count=payload.winners_count)
    return Status(201, draw_out(draw))


@router.post("/loyalty/draws/{draw_id}/run", response={200: LoyaltyDrawOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                                       422: ErrorOut})
def loyalty_draw_run(request: HttpRequest, draw_id: Id):
    """Leads and admins: draw the winners after the period ends and publish seed, entries and winners."""
    _manager(request)
    return draw_out(services.draw_run(draw_id=draw_id))
