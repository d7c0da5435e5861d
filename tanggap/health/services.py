"""Writes of customer health: fit the churn model, compute the rows, mark them stale.

``health_refresh`` is what the background job runs (tasks.health_refresh): refit the model when
it is a day old, then recompute the rows that are stale or missing (all of them after a refit).
Handlers only mark rows stale (one UPDATE), so an event never waits on a computation."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django.db import transaction

from tanggap.common.clock import now
from tanggap.health import churn, scoring
from tanggap.health.models import ChurnModel, CustomerHealth

REFIT_AFTER = dt.timedelta(hours=24)
BATCH = 500
OPEN_STATUSES = ("new", "open", "pending", "on_hold")
UPDATE_FIELDS = ["score", "band", "reasons", "components", "p_alive", "expected_purchases_90d", "orders",
                 "last_order_at", "model", "computed_at"]


def _orders(customer_ids=None):
    """(customer_id, placed_at, total less refunds, currency) of real purchases: not cancelled,
    not a replacement sent as a remedy."""
    from tanggap.customers.models import Order

    qs = Order.objects.exclude(status=Order.Status.CANCELLED).filter(replacement_for__isnull=True,
                                                                    customer__merged_into__isnull=True)
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=customer_ids)
    return qs.values_list("customer_id", "placed_at", "total", "refunded_amount", "currency").order_by()


def _deciles(values) -> list[float]:
    if not values:
        return []
    qs = statistics.quantiles(values, n=10, method="inclusive") if len(values) > 1 else [values[0]] * 9
    return [round(float(q), 2) for q in qs]


def _reference(days_by_customer: dict, value_by_customer: dict, at: dt.datetime) -> tuple[dict, float | None]:
    today = at.astimezone(dt.UTC).date()
    recency, frequency, gaps = [], [], []
    value_by_currency: dict[str, list[float]] = defaultdict(list)
    for cid, days in days_by_customer.items():
        recency.append((today - max(days)).days)
        frequency.append(len(days) - 1)
        if len(days) >= 2:
            gaps.append((max(days) - min(days)).days / (len(days) - 1))
        currency, value = value_by_customer[cid]
        value_by_currency[currency].append(value)
    ref = {"recency_days": _deciles(recency), "frequency": _deciles(frequency),
           "value": {c: _deciles(v) for c, v in value_by_currency.items()}}
    return ref, (round(statistics.median(gaps), 1) if gaps else None)


def _collect(rows):
    """Orders -> ({customer: set of UTC purchase days}, {customer: (currency, value)}, [(customer, time)])."""
    days: dict[int, set] = defaultdict(set)
    money: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tx = []
    for cid, placed, total, refunded, currency in rows:
        days[cid].add(placed.astimezone(dt.UTC).date())
        money[cid][currency] += float(total - refunded)
        counts[cid][currency] += 1
        tx.append((cid, placed))
    value = {}
    for cid, per in counts.items():
        currency = max(per, key=lambda c: (per[c], c))  # the customer's usual currency
        value[cid] = (currency, money[cid][currency])
    return days, value, tx


def model_fit(*, at: dt.datetime | None = None, penalizer: float = churn.PENALIZER) -> ChurnModel:
    """Fit BG/NBD on the whole order history (or record a fallback when there is too little)."""
    at = at or now()
    days, value, tx = _collect(_orders())
    reference, gap = _reference(days, value, at)
    summary = churn.summarize([c for c, _t in tx], [t for _c, t in tx], end=at)
    history = int(summary["T"].max()) if len(summary) else 0
    common = {"fitted_at": at, "penalizer": penalizer, "customers": len(summary),
              "repeat_customers": int((summary["frequency"] > 0).sum()) if len(summary) else 0,
              "history_days": history, "median_gap_days": gap, "reference": reference}
    why = churn.too_little_history(summary)
    if why:
        return ChurnModel.objects.create(kind=ChurnModel.Kind.FALLBACK, note=why[:200], **common)
    result = churn.fit_robust(summary["frequency"], summary["recency"], summary["T"], penalizer=penalizer)
    if not result.ok:
        return ChurnModel.objects.create(kind=ChurnModel.Kind.FALLBACK, note=result.note[:200],
                                         fit_seconds=result.seconds, **common)
    return ChurnModel.objects.create(kind=ChurnModel.Kind.BGNBD, params=result.params, fit_seconds=result.seconds,
                                     log_likelihood=result.log_likelihood, note=result.note[:200], **common)


def current_model() -> ChurnModel | None:
    return ChurnModel.objects.order_by("-fitted_at", "-id").first()


def _facts_for(ids: list[int], at: dt.datetime, model: ChurnModel | None) -> dict[int, scoring.Facts]:
    from tanggap.conversations.models import Ticket
    from tanggap.promises.models import Promise, PromiseStatus
    from tanggap.surveys.models import SurveyResponse
    from tanggap.surveys.scoring import is_low
    from tanggap.triage.models import MessageTriage

    days, value, _tx = _collect(_orders(ids))
    ref = model.reference if model else {}
    facts = {cid: scoring.Facts(now=at, reference=ref, shop_gap_days=model.median_gap_days if model else None)
             for cid in ids}
    for cid, d in days.items():
        f = facts[cid]
        f.order_days = sorted(d)
        f.currency, f.value = value[cid]
    recent_cut = at - dt.timedelta(days=scoring.RECENT_TICKET_DAYS)
    for cid, status, created in Ticket.objects.filter(customer_id__in=ids).exclude(
            status__in=("solved", "closed"), created_at__lt=recent_cut).values_list(
            "customer_id", "status", "created_at").order_by():
        if status in OPEN_STATUSES:
            facts[cid].open_tickets += 1
        if created >= recent_cut:
            facts[cid].recent_tickets += 1
    since = at - dt.timedelta(days=scoring.SENTIMENT_DAYS)
    for cid, created, s in MessageTriage.objects.filter(
            ticket__customer_id__in=ids, created_at__gte=since, created_at__lte=at).exclude(sentiment="").values_list(
            "ticket__customer_id", "created_at", "sentiment_score").order_by("created_at"):
        facts[cid].sentiments.append((created, float(s)))
    promise_cut = at - dt.timedelta(days=scoring.PROMISE_DAYS)
    for (cid,) in Promise.objects.filter(ticket__customer_id__in=ids, status=PromiseStatus.BROKEN,
                                         due_at__gte=promise_cut, due_at__lte=at).values_list(
            "ticket__customer_id").order_by():
        facts[cid].broken_promises += 1
    survey_cut = at - dt.timedelta(days=scoring.SURVEY_DAYS)
    for cid, kind, score, outcome in SurveyResponse.objects.filter(
            send__customer_id__in=ids, answered_at__gte=survey_cut, answered_at__lte=at,
            kind__in=("csat", "nps", "ces", "outcome")).values_list(
            "send__customer_id", "kind", "score", "outcome").order_by("-answered_at", "-id"):
        facts[cid].surveys.append({"kind": kind, "score": score, "outcome": outcome,
                                   "low": is_low(kind, score, outcome)})
    if model is not None and model.kind == ChurnModel.Kind.BGNBD:
        with_orders = [cid for cid in ids if facts[cid].order_days]
        if with_orders:
            today = at.astimezone(dt.UTC).date()
            freq = [len(facts[c].order_days) - 1 for c in with_orders]
            rec = [(facts[c].order_days[-1] - facts[c].order_days[0]).days for c in with_orders]
            age = [(today - facts[c].order_days[0]).days for c in with_orders]
            alive, expected = churn.predict(model.params, freq, rec, age)
            informative = model.params.get("a", 0) >= churn.NO_DROPOUT_A
            for c, p, e in zip(with_orders, alive, expected):
                # A fit that found no dropout says P(alive) ~1 for everyone: not shown, not used.
                # One purchase day: BG/NBD gives P(alive) = 1 by construction (no dropout possible yet).
                facts[c].p_alive = float(p) if informative and len(facts[c].order_days) >= 2 else None
                facts[c].expected_90d = float(e)
    return facts


def _eligible(ids) -> list[int]:
    """Surviving customers that have at least one order or ticket (nothing to score otherwise)."""
    from tanggap.conversations.models import Ticket
    from tanggap.customers.models import Customer, Order

    qs = Customer.objects.filter(merged_into__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with_orders = set(Order.objects.filter(customer__in=qs).values_list("customer_id", flat=True).distinct())
    with_tickets = set(Ticket.objects.filter(customer__in=qs).values_list("customer_id", flat=True).distinct())
    return sorted(with_orders | with_tickets)


def health_compute(*, customer_ids=None, at: dt.datetime | None = None, model: ChurnModel | None = None) -> int:
    """Compute and store the rows of these customers (all scorable customers when None)."""
    at = at or now()
    model = model if model is not None else current_model()
    ids = _eligible(customer_ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        facts = _facts_for(chunk, at, model)
        rows = []
        for cid in chunk:
            f = facts[cid]
            result = scoring.compute(f)
            rows.append(CustomerHealth(
                customer_id=cid, score=result.score, band=result.band, reasons=result.reasons,
                components=result.components,
                p_alive=None if f.p_alive is None else round(f.p_alive, 4),
                expected_purchases_90d=None if f.expected_90d is None else round(f.expected_90d, 3),
                orders=len(f.order_days), last_order_at=_day_start(f.order_days[-1]) if f.order_days else None,
                model=model, computed_at=at, stale=False))
        with transaction.atomic():
            CustomerHealth.objects.bulk_create(rows, update_conflicts=True, unique_fields=["customer"],
                                               update_fields=UPDATE_FIELDS)
        done += len(rows)
    return done


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def health_mark_stale(*, customer_id: int | None = None, ticket_id: int | None = None) -> int:
    """A relevant event happened: the job recomputes the row on its next run."""
    qs = CustomerHealth.objects.filter(stale=False)
    if customer_id is not None:
        return qs.filter(customer_id=customer_id).update(stale=True)
    if ticket_id is not None:  # one UPDATE: this runs inside every intake transaction
        from django.db.models import Subquery

        from tanggap.conversations.models import Ticket

        return qs.filter(customer_id=Subquery(Ticket.objects.filter(pk=ticket_id).values("customer_id")[:1])
                         ).update(stale=True)
    return 0


def health_on_merge(*, source_id: int, target_id: int) -> None:
    CustomerHealth.objects.filter(customer_id=source_id).delete()
    health_mark_stale(customer_id=target_id)


def health_refresh(*, at: dt.datetime | None = None, force_fit: bool = False) -> dict:
    """The job: refit when due, then recompute stale and missing rows (every row after a refit)."""
    at = at or now()
    model = current_model()
    refit = force_fit or model is None or at - model.fitted_at >= REFIT_AFTER
    if refit:
        model = model_fit(at=at)
        CustomerHealth.objects.filter(stale=True).update(stale=False)  # every row is recomputed now
        computed = health_compute(at=at, model=model)
        return {"fitted": model.kind, "customers": model.customers, "computed": computed}
    stale = list(CustomerHealth.objects.filter(stale=True).values_list("customer_id", flat=True))
    # Claim them first: an event during the computation marks the row stale again for the next run.
    CustomerHealth.objects.filter(customer_id__in=stale).update(stale=False)
    missing = set(_eligible(None)) - set(CustomerHealth.objects.values_list("customer_id", flat=True))
    computed = health_compute(customer_ids=sorted(set(stale) | missing), at=at, model=model)
    return {"fitted": None, "computed": computed, "stale": len(stale), "missing": len(missing)}
