"""Writes of loyalty. ``_post`` is the only code that writes ledger entries and balances: it locks
the customer's balance row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write lock does the
same, see tanggap/common/sqlite), refuses a debit larger than the balance, appends the entry with
the balance after it and updates the row, all in one transaction. The check constraint
``loyalty_balance_not_negative`` would refuse a negative balance even if that code were wrong.
Every failure is a DomainError with a stable code (docs/loyalty.md)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum

from tanggap.common.clock import now
from tanggap.common.errors import Conflict, DomainError, NotFound
from tanggap.customers.models import Customer
from tanggap.events import names
from tanggap.events.bus import publish
from tanggap.loyalty import drawing
from tanggap.loyalty.models import (
    Account, Draw, DrawBasis, DrawStatus, EarnRule, EntryKind, LedgerEntry, Reward, RuleKind, Tier, Voucher,
    VoucherUse,
)

TIER_WINDOW = dt.timedelta(days=365)
EARNING_KINDS = {"order_paid": RuleKind.ORDER_AMOUNT, "review_posted": RuleKind.REVIEW,
                 "survey_answered": RuleKind.SURVEY}
MAX_POINTS = 10_000_000  # one entry; keeps sums far from 64-bit limits
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _invalid(code: str, message: str) -> DomainError:
    return DomainError(code, message, status=422)


def expiry_months() -> int:
    return int(getattr(settings, "TANGGAP_LOYALTY_EXPIRY_MONTHS", 12))


def add_months(at: dt.datetime, months: int) -> dt.datetime:
    month = at.month - 1 + months
    year, month = at.year + month // 12, month % 12 + 1
    for day in (at.day, 30, 29, 28):
        try:
            return at.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(at)


# --- the ledger ------------------------------------------------------------------------------

def _account_locked(customer_id: int) -> Account:
    account = Account.objects.select_for_update().filter(customer_id=customer_id).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            Account.objects.create(customer_id=customer_id)
    except IntegrityError:  # created by a concurrent transaction a moment ago
        pass
    return Account.objects.select_for_update().get(customer_id=customer_id)


def _post(*, customer_id: int, kind: str, delta: int, source_key: str | None = None, note: str = "",
          rule: EarnRule | None = None, journey_event_id: int | None = None, reward: Reward | None = None,
          actor=None, at: dt.datetime | None = None) -> LedgerEntry | None:
    """Append one entry and move the balance with it. Returns None when ``source_key`` was
    already used (that earning happened before)."""
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0 or abs(delta) > MAX_POINTS:
        raise _invalid("invalid_points", f"Points must be a whole number between 1 and {MAX_POINTS:,}.")
    at = at or now()
    with transaction.atomic():
        account = _account_locked(customer_id)
        if source_key and LedgerEntry.objects.filter(source_key=source_key).exists():
            return None
        if account.balance + delta < 0:
            raise _invalid("insufficient_points",
                           f"The balance is {account.balance} points; {-delta} are needed.")
        entry = LedgerEntry(
            customer_id=customer_id, kind=kind, delta=delta, balance_after=account.balance + delta,
            source_key=source_key, rule=rule, journey_event_id=journey_event_id, reward=reward,
            note=(note or "")[:300], created_by=actor if getattr(actor, "pk", None) else None, created_at=at,
            expires_at=add_months(at, expiry_months()) if delta > 0 else None)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            if source_key and LedgerEntry.objects.filter(source_key=source_key).exists():
                return None
            raise
        Account.objects.filter(pk=account.pk).update(balance=F("balance") + delta, updated_at=at)
        if delta > 0 and kind in (EntryKind.EARN, EntryKind.REMEDY, EntryKind.ADJUST):
            tier_refresh(customer_id=customer_id, at=at)
        publish(names.POINTS_CHANGED, entry_id=entry.pk, customer_id=customer_id, delta=delta)
    return entry


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("customer_not_found", f"No customer {customer_id}.")
    return customer.merged_into if getattr(customer, "merged_into_id", None) else customer


# --- tiers -----------------------------------------------------------------------------------

def earned_in_window(customer_id: int, at: dt.datetime) -> int:
    return LedgerEntry.objects.filter(customer_id=customer_id, kind=EntryKind.EARN, delta__gt=0,
                                      created_at__gt=at - TIER_WINDOW, created_at__lte=at
                                      ).aggregate(s=Sum("delta"))["s"] or 0


def tier_for_points(points: int, tiers: list[Tier] | None = None) -> Tier | None:
    chosen = None
    for tier in tiers if tiers is not None else Tier.objects.order_by("threshold"):
        if points >= tier.threshold:
            chosen = tier
    return chosen


def tier_refresh(*, customer_id: int, at: dt.datetime | None = None) -> Tier | None:
    """Set the customer's tier from points earned in the last 12 months (rolling)."""
    at = at or now()
    tier = tier_for_points(earned_in_window(customer_id, at))
    Account.objects.filter(customer_id=customer_id).exclude(tier=tier).update(tier=tier)
    return tier


# --- earning ---------------------------------------------------------------------------------

def _rule(kind: str, currency: str = "") -> EarnRule | None:
    return EarnRule.objects.filter(kind=kind, currency=currency, active=True).first()


def points_for(rule: EarnRule, *, amount: int = 0, tier: Tier | None = None) -> int:
    base = rule.points * (amount // rule.per_amount) if rule.kind == RuleKind.ORDER_AMOUNT else rule.points
    multiplier = tier.multiplier_percent if tier else 100
    return base * multiplier // 100


def earn_from_journey(*, event_id: int) -> LedgerEntry | None:
    """Earn for one journey event (order paid, review posted, survey answered) under the active
    rule, once: the entry's source_key (unique) is ``order:<order id>`` for a paid order (two
    reports of one payment earn once) and ``journey:<event id>`` for the others."""
    from tanggap.journeys.models import JourneyEvent

    event = JourneyEvent.objects.select_related("order").filter(pk=event_id).first()
    if event is None or event.kind not in EARNING_KINDS:
        return None
    kind = EARNING_KINDS[event.kind]
    amount = 0
    if kind == RuleKind.ORDER_AMOUNT:
        if event.order is None:
            return None
        rule = _rule(kind, event.order.currency)
        amount = int(event.order.total)  # whole currency units, rounded down
    else:
        rule = _rule(kind)
    if rule is None:
        return None
    with transaction.atomic():
        account = _account_locked(event.customer_id)
        points = points_for(rule, amount=amount, tier=account.tier)
        if points <= 0:
            return None
        what = {"order_amount": f"order {event.order.external_id}" if event.order else "order",
                "review_posted": "review", "survey_answered": "survey"}[kind]
        # An order earns once, however many "paid" events report it; other events once each.
        key = f"order:{event.order_id}" if kind == RuleKind.ORDER_AMOUNT else f"journey:{event.pk}"
        return _post(customer_id=event.customer_id, kind=EntryKind.EARN, delta=points,
                     source_key=key, rule=rule, journey_event_id=event.pk, note=what)


def earn_sweep(*, days: int = 7) -> int:
    """Earn for recent journey events that have no entry yet (a crash between the event's commit
    and its after-commit handler). Idempotent."""
    from tanggap.journeys.models import JourneyEvent

    if not EarnRule.objects.filter(active=True).exists():
        return 0
    done = LedgerEntry.objects.filter(journey_event__isnull=False).values("journey_event_id")
    ids = list(JourneyEvent.objects.filter(kind__in=list(EARNING_KINDS), created_at__gte=now() - dt.timedelta(days=days))
               .exclude(pk__in=done).order_by("pk").values_list("pk", flat=True)[:5000])
    return sum(1 for pk in ids if earn_from_journey(event_id=pk))


def referral_record(*, referrer_id: int, referred_id: int, actor=None) -> LedgerEntry | None:
    """The referrer earns the referral rule's points once per referred customer."""
    if referrer_id == referred_id:
        raise _invalid("self_referral", "A customer cannot refer themselves.")
    referrer, referred = _customer(referrer_id), _customer(referred_id)
    rule = _rule(RuleKind.REFERRAL)
    if rule is None:
        raise _invalid("no_rule", "No active referral rule.")
    with transaction.atomic():
        account = _account_locked(referrer.pk)
        entry = _post(customer_id=referrer.pk, kind=EntryKind.EARN, delta=points_for(rule, tier=account.tier),
                      source_key=f"referral:{referred.pk}", rule=rule, note=f"referral of customer {referred.pk}",
                      actor=actor)
    if entry is None:
        raise Conflict("already_referred", f"Customer {referred.pk} was already counted as a referral.")
    return entry


def points_adjust(*, customer_id: int, delta: int, note: str, actor) -> LedgerEntry:
    """An administrator's correction, with its reason. Never below zero."""
    note = (note or "").strip()
    if not note:
        raise _invalid("note_required", "An adjustment needs its reason.")
    customer = _customer(customer_id)
    return _post(customer_id=customer.pk, kind=EntryKind.ADJUST, delta=delta, note=note, actor=actor)


def points_award_remedy(*, remedy) -> LedgerEntry | None:
    """Service recovery: a ``points`` remedy credits its amount in points, once per remedy."""
    points = int(remedy.amount)
    return _post(customer_id=remedy.ticket.customer_id, kind=EntryKind.REMEDY, delta=points,
                 source_key=f"remedy:{remedy.pk}", note=f"{remedy.ticket.reference}")


# --- expiry ----------------------------------------------------------------------------------

def _expiry_due(customer_id: int, at: dt.datetime) -> int:
    """FIFO: debits consume the oldest lots first, and lots expire in the order they were
    earned, so what is left of the lots expired by ``at`` is their sum minus every debit so far."""
    sums = LedgerEntry.objects.filter(customer_id=customer_id).aggregate(
        lots=Sum("delta", filter=Q(delta__gt=0, expires_at__lte=at)), debits=Sum("delta", filter=Q(delta__lt=0)))
    return (sums["lots"] or 0) + (sums["debits"] or 0)


def points_expire(*, at: dt.datetime | None = None) -> dict:
    """Write an expiry entry for every customer with lots past their expiry (the periodic job
    ``loyalty_expire``), and refresh tiers (points age out of the 12-month window)."""
    at = at or now()
    candidates = (LedgerEntry.objects.values("customer_id")
                  .annotate(lots=Sum("delta", filter=Q(delta__gt=0, expires_at__lte=at)),
                            debits=Sum("delta", filter=Q(delta__lt=0)))
                  .filter(lots__gt=0))
    expired, points = 0, 0
    for row in candidates:
        if (row["lots"] or 0) + (row["debits"] or 0) <= 0:
            continue
        with transaction.atomic():
            account = _account_locked(row["customer_id"])
            due = min(_expiry_due(row["customer_id"], at), account.balance)
            if due > 0:
                _post(customer_id=row["customer_id"], kind=EntryKind.EXPIRE, delta=-due, at=at,
                      note=f"points earned before {add_months(at, -expiry_months()):%Y-%m-%d}")
                expired, points = expired + 1, points + due
    tiers = list(Tier.objects.order_by("threshold"))
    window = dict(LedgerEntry.objects.filter(kind=EntryKind.EARN, delta__gt=0, created_at__gt=at - TIER_WINDOW,
                                             created_at__lte=at).values_list("customer_id").annotate(s=Sum("delta")))
    moves: dict[int | None, list[int]] = defaultdict(list)  # new tier id -> accounts
    for pk, customer_id, tier_id in Account.objects.values_list("pk", "customer_id", "tier_id").iterator():
        tier = tier_for_points(window.get(customer_id, 0), tiers)
        if (tier.pk if tier else None) != tier_id:
            moves[tier.pk if tier else None].append(pk)
    for tier_id, pks in moves.items():
        for start in range(0, len(pks), 500):
            Account.objects.filter(pk__in=pks[start:start + 500]).update(tier_id=tier_id)
    return {"customers": expired, "points": points, "tier_changes": sum(len(p) for p in moves.values())}


# --- rewards and exclusive offers -----------------------------------------------------------

def tier_allows(account_tier: Tier | None, needed: Tier | None) -> bool:
    return needed is None or (account_tier is not None and account_tier.threshold >= needed.threshold)


def new_code(prefix: str = "TG") -> str:
    for _ in range(20):
        code = prefix + "-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Voucher.objects.filter(code=code).exists():
            return code
    raise Conflict("voucher_code", "No free voucher code could be made; try again.")


def reward_redeem(*, customer_id: int, reward_id: int, actor=None) -> tuple[LedgerEntry, Voucher]:
    """Spend points on a reward: the points leave the balance and the customer gets a single-use
    voucher code for it. An exclusive offer needs the customer's tier (``tier_required``)."""
    customer = _customer(customer_id)
    reward = Reward.objects.select_related("min_tier").filter(pk=reward_id, active=True).first()
    if reward is None:
        raise NotFound("reward_not_found", f"No active reward {reward_id}.")
    with transaction.atomic():
        account = _account_locked(customer.pk)
        tier = Tier.objects.filter(pk=account.tier_id).first()
        if not tier_allows(tier, reward.min_tier):
            raise _invalid("tier_required", f"This offer is for {reward.min_tier.name} members and above.")
        entry = _post(customer_id=customer.pk, kind=EntryKind.SPEND, delta=-reward.cost_points, reward=reward,
                      note=reward.name_id, actor=actor)
        at = now()
        voucher = Voucher.objects.create(
            code=new_code("TG"), description=reward.name_id[:200], discount_amount=reward.discount_amount,
            currency=reward.currency, max_uses=1, per_customer=1, valid_from=at,
            valid_until=at + dt.timedelta(days=reward.voucher_days), customer=customer, reward=reward)
    return entry, voucher


# --- vouchers --------------------------------------------------------------------------------

def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def voucher_create(*, code: str = "", description: str = "", discount_amount: int = 0, discount_percent: int = 0,
                   currency: str = "IDR", max_uses: int = 1, per_customer: int = 1,
                   valid_from: dt.datetime | None = None, valid_until: dt.datetime | None = None,
                   customer_id: int | None = None, min_tier_code: str = "", remedy=None) -> Voucher:
    code = normalize_code(code) or new_code("TG")
    if len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code):
        raise _invalid("invalid_code", "A code is up to 40 letters, digits, '-' or '_'.")
    if max_uses < 1 or per_customer < 1:
        raise _invalid("invalid_uses", "max_uses and per_customer are at least 1.")
    if discount_amount > 2**31 - 1:
        raise _invalid("invalid_discount", "The discount amount is too large.")
    if not (0 <= discount_percent <= 100) or discount_amount < 0 or (discount_amount == 0 and discount_percent == 0):
        raise _invalid("invalid_discount", "Give a discount amount, or a percentage from 1 to 100.")
    valid_from = valid_from or now()
    if valid_until is not None and valid_until <= valid_from:
        raise _invalid("invalid_window", "valid_until must be after valid_from.")
    tier = None
    if min_tier_code:
        tier = Tier.objects.filter(code=min_tier_code).first()
        if tier is None:
            raise _invalid("unknown_tier", f"Unknown tier '{min_tier_code}'.")
    customer = _customer(customer_id) if customer_id else None
    try:
        with transaction.atomic():
            return Voucher.objects.create(
                code=code, description=(description or "")[:200], discount_amount=discount_amount,
                discount_percent=discount_percent, currency=(currency or "IDR").upper()[:3], max_uses=max_uses,
                per_customer=per_customer, valid_from=valid_from, valid_until=valid_until, customer=customer,
                min_tier=tier, remedy=remedy)
    except IntegrityError:
        raise Conflict("code_taken", f"The code {code} exists already.") from None


def voucher_for_remedy(*, remedy) -> Voucher:
    """Service recovery: a ``voucher`` remedy's code becomes a single-use voucher of its amount
    for the ticket's customer, valid 90 days, redeemable through the API."""
    return voucher_create(code=remedy.voucher_code, description=f"{remedy.ticket.reference}",
                          discount_amount=int(remedy.amount or 0) or 1, currency=remedy.currency,
                          customer_id=remedy.ticket.customer_id, valid_until=now() + dt.timedelta(days=90),
                          remedy=remedy)


def _check_voucher(voucher: Voucher | None, code: str, customer: Customer, at: dt.datetime) -> Voucher:
    if voucher is None or not voucher.active:
        raise NotFound("voucher_not_found", f"No voucher {code}.")
    if voucher.customer_id and voucher.customer_id != customer.pk:
        raise NotFound("voucher_not_found", f"No voucher {code}.")  # another's code: not disclosed
    if at < voucher.valid_from:
        raise _invalid("voucher_not_started", f"{code} is valid from {voucher.valid_from:%Y-%m-%d %H:%M} UTC.")
    if voucher.valid_until is not None and at >= voucher.valid_until:
        raise _invalid("voucher_expired", f"{code} expired on {voucher.valid_until:%Y-%m-%d %H:%M} UTC.")
    if voucher.uses >= voucher.max_uses:
        raise _invalid("voucher_used", f"{code} has been used" + (" already." if voucher.max_uses == 1 else
                                                                     f" {voucher.max_uses} times, its limit."))
    if VoucherUse.objects.filter(voucher=voucher, customer=customer).count() >= voucher.per_customer:
        raise _invalid("voucher_customer_limit", f"This customer has used {code} {voucher.per_customer} time(s), the limit.")
    if voucher.min_tier_id:
        account = Account.objects.select_related("tier").filter(customer=customer).first()
        if not tier_allows(account.tier if account else None, voucher.min_tier):
            raise _invalid("tier_required", f"{code} is for {voucher.min_tier.name} members and above.")
    return voucher


def voucher_validate(*, code: str, customer_id: int) -> Voucher:
    code = normalize_code(code)
    customer = _customer(customer_id)
    voucher = Voucher.objects.select_related("min_tier").filter(code=code).first()
    return _check_voucher(voucher, code, customer, now())


def voucher_redeem(*, code: str, customer_id: int, order_ref: str = "", actor=None) -> VoucherUse:
    """Use a code once. The voucher row is locked and its use counter moved by a conditional
    UPDATE (``uses < max_uses``), so two requests racing for a single-use code get one use and
    one ``voucher_used``."""
    code = normalize_code(code)
    customer = _customer(customer_id)
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update(of=("self",)).select_related("min_tier").filter(code=code).first()
        voucher = _check_voucher(voucher, code, customer, now())
        if not Voucher.objects.filter(pk=voucher.pk, uses__lt=F("max_uses")).update(uses=F("uses") + 1):
            raise _invalid("voucher_used", f"{code} has been used already.")
        use = VoucherUse.objects.create(voucher=voucher, customer=customer, order_ref=(order_ref or "")[:64],
                                        created_by=actor if getattr(actor, "pk", None) else None)
        publish(names.VOUCHER_REDEEMED, voucher_id=voucher.pk, code_id=use.pk, customer_id=customer.pk)
    return use


# --- lucky draws -----------------------------------------------------------------------------

def member_ref(customer_id: int) -> str:
    return f"M-{customer_id:06d}"


def draw_create(*, name_id: str, name_ms: str = "", name_en: str = "", period_start: dt.datetime,
                period_end: dt.datetime, basis: str = DrawBasis.POINTS, points_per_entry: int = 100,
                winners_count: int = 1, seed: str | None = None) -> Draw:
    """Open a draw. Its seed is fixed now and only the seed's SHA-256 is shown until the draw."""
    if period_end <= period_start:
        raise _invalid("invalid_period", "The period must end after it starts.")
    if basis not in DrawBasis.values:
        raise _invalid("invalid_basis", f"basis is one of {', '.join(DrawBasis.values)}.")
    if winners_count < 1 or (basis == DrawBasis.POINTS and points_per_entry < 1):
        raise _invalid("invalid_draw", "winners_count and points_per_entry are at least 1.")
    seed = seed or secrets.token_hex(16)
    return Draw.objects.create(name_id=name_id, name_ms=name_ms, name_en=name_en, period_start=period_start,
                               period_end=period_end, basis=basis, points_per_entry=points_per_entry,
                               winners_count=winners_count, seed=seed, seed_sha256=drawing.seed_digest(seed))


def draw_entries(draw: Draw) -> list[dict]:
    """The eligible entries, in a canonical order: by member reference, then entry number."""
    per_customer: dict[int, int] = defaultdict(int)
    if draw.basis == DrawBasis.POINTS:
        rows = (LedgerEntry.objects.filter(kind=EntryKind.EARN, delta__gt=0, created_at__gte=draw.period_start,
                                           created_at__lt=draw.period_end)
                .values_list("customer_id").annotate(s=Sum("delta")))
        for customer_id, points in rows:
            per_customer[customer_id] = points // draw.points_per_entry
    else:
        from tanggap.journeys.models import JourneyEvent

        for customer_id in (JourneyEvent.objects.filter(kind="order_paid", occurred_at__gte=draw.period_start,
                                                        occurred_at__lt=draw.period_end)
                            .values_list("customer_id", flat=True)):
            per_customer[customer_id] += 1
    entries, n = [], 0
    for customer_id in sorted(per_customer):
        for _ in range(per_customer[customer_id]):
            n += 1
            entries.append({"entry": n, "member": member_ref(customer_id)})
    return entries


def draw_run(*, draw_id: int) -> Draw:
    """Draw the winners of a finished period and publish seed, entries and winners."""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().filter(pk=draw_id).first()
        if draw is None:
            raise NotFound("draw_not_found", f"No draw {draw_id}.")
        if draw.status == DrawStatus.DRAWN:
            raise Conflict("draw_already_drawn", "This draw has been drawn already.")
        at = now()
        if at < draw.period_end:
            raise _invalid("draw_not_finished", f"The draw's period ends {draw.period_end:%Y-%m-%d %H:%M} UTC.")
        entries = draw_entries(draw)
        winners = drawing.pick_winners(draw.seed, entries, draw.winners_count)
        draw.published = {
            "draw": draw.pk, "name": draw.name_id, "period_start": draw.period_start.isoformat(),
            "period_end": draw.period_end.isoformat(), "basis": draw.basis, "points_per_entry": draw.points_per_entry,
            "winners_count": draw.winners_count, "seed": draw.seed, "seed_sha256": draw.seed_sha256,
            "entries_sha256": drawing.entries_digest(entries), "entries": entries, "winners": winners,
            "drawn_at": at.isoformat(),
        }
        draw.status, draw.drawn_at = DrawStatus.DRAWN, at
        draw.save(update_fields=["published", "status", "drawn_at"])
    return draw


# --- customer merge ----------------------------------------------------------------------------

def _merge_accounts(source: Customer, target: Customer) -> None:
    """A merged customer's points follow them: the entries move to the target (history kept)
    and the balances are added, inside the merge's transaction."""
    if not Account.objects.filter(customer=source).exists():
        return
    source_account = Account.objects.select_for_update().get(customer=source)
    target_account = _account_locked(target.pk)
    LedgerEntry.objects.filter(customer=source).update(customer=target)
    VoucherUse.objects.filter(customer=source).update(customer=target)
    Voucher.objects.filter(customer=source).update(customer=target)
    Account.objects.filter(pk=target_account.pk).update(balance=F("balance") + source_account.balance)
    Account.objects.filter(pk=source_account.pk).update(balance=0, tier=None)
    tier_refresh(customer_id=target.pk)


def _register_merge_hook() -> None:
    from tanggap.customers.services import register_merge_hook

    register_merge_hook(_merge_accounts)


_register_merge_hook()
