"""Customer health in the demo (tanggap.demo.parts).

The demo's six months of orders are spread evenly, so nobody has stopped buying. To show what the
churn model and the score are for, a few customers who already had a bad experience in the demo
(a broken promise, a low survey score, an open ticket) and whose last order is 40 days old or more
get an order history of a regular buyer before it: an order about every two weeks since six
months ago, then nothing after the bad experience. Then the model is fitted and every customer
scored, as the hourly job does (one fit, a few queries per 500 customers)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import ROUND_HALF_UP, Decimal

STOPPED_REGULARS = 8
MIN_SILENCE_DAYS = 40
HISTORY_DAYS = 180


def _candidates(now: dt.datetime) -> tuple[list[int], dict]:
    from django.db.models import Max

    from tanggap.conversations.models import Ticket
    from tanggap.customers.models import Order
    from tanggap.promises.models import Promise
    from tanggap.surveys.models import SurveyResponse

    troubled = []
    for ids in (Promise.objects.filter(status="broken").values_list("ticket__customer_id", flat=True),
                SurveyResponse.objects.filter(low=True).values_list("send__customer_id", flat=True),
                Ticket.objects.filter(status__in=("new", "open")).values_list("customer_id", flat=True)):
        troubled += [c for c in sorted(set(ids)) if c not in troubled]
    cut = now - dt.timedelta(days=MIN_SILENCE_DAYS)
    last = dict(Order.objects.filter(customer_id__in=troubled, customer__merged_into__isnull=True)
                .values_list("customer_id").annotate(m=Max("placed_at")).order_by())
    return [c for c in troubled if c in last and last[c] <= cut][:STOPPED_REGULARS], last


def _price(rupiah: Decimal, currency: str) -> Decimal:
    """The catalog's rupiah price, in ringgit for a Malaysian customer (as the demo's own orders)."""
    if currency != "MYR":
        return rupiah
    ringgit = max(Decimal("3.90"), (rupiah / Decimal(3400)).quantize(Decimal("1"), rounding=ROUND_HALF_UP) - Decimal("0.10"))
    return ringgit.quantize(Decimal("0.01"))


def _regular_history(ctx, customer_ids: list[int], last: dict) -> int:
    from tanggap.customers.models import Order, OrderLine, Product

    products = list(Product.objects.order_by("pk")[:20])
    latest = {}  # the customer's last order: its courier, region and currency carry over
    for o in Order.objects.filter(customer_id__in=customer_ids).order_by("customer_id", "-placed_at", "-id"):
        latest.setdefault(o.customer_id, o)
    orders, lines = [], []
    for cid in customer_ids:
        like = latest[cid]
        gap = ctx.rng.uniform(12, 18)
        at = last[cid] - dt.timedelta(days=gap)
        n = 0
        while at > ctx.now - dt.timedelta(days=HISTORY_DAYS):
            product = ctx.rng.choice(products)
            price = _price(product.price, like.currency)
            orders.append(Order(external_id=f"TN-R{cid}-{n:02d}", customer_id=cid, status="delivered", placed_at=at,
                                total=price, currency=like.currency, courier=like.courier, region=like.region,
                                created_at=at, updated_at=at, delivered_at=at + dt.timedelta(days=2)))
            lines.append((product, price))
            at -= dt.timedelta(days=gap + ctx.rng.uniform(-3, 3))
            n += 1
    Order.objects.bulk_create(orders, batch_size=500)
    OrderLine.objects.bulk_create([OrderLine(order=o, product=p, quantity=1, unit_price=price)
                                   for o, (p, price) in zip(orders, lines)], batch_size=500)
    return len(orders)


def play(ctx) -> dict:
    from tanggap.health import selectors, services

    started = time.perf_counter()
    stopped, last = _candidates(ctx.now)
    added = _regular_history(ctx, stopped, last) if stopped else 0
    result = services.health_refresh(at=ctx.now, force_fit=True)
    model = services.current_model()
    return {"model": model.kind, "model_note": model.note, "customers_scored": result["computed"],
            "stopped_regulars": len(stopped), "orders_added": added, "bands": selectors.band_counts(),
            "seconds": round(time.perf_counter() - started, 2)}
