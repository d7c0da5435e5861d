"""Writes of recommendations: training a model version from the orders, and the managers' profile
rules and product/customer profiles."""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tanggap.common.clock import now
from tanggap.common.errors import DomainError, NotFound
from tanggap.customers.models import Customer, Order, OrderLine, Product
from tanggap.recommend.models import CustomerProfile, Operator, ProductProfile, ProfileRule, RecModel

log = logging.getLogger(__name__)

TRAIN_JOB = "recommend_train"  # the common.PeriodicJob row (the same name as in tanggap/schedule.py)
TRAIN_EVERY = dt.timedelta(days=1)
KEEP_FILES = 2  # model files kept on disk: the current one and the one before (a reader may hold it)
MAX_ATTRIBUTES = 20


def model_dir() -> Path:
    path = Path(settings.VAR_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def purchase_matrices():
    """(customer ids, product ids, counts, last) from every order that was not cancelled: ``counts``
    customers x products = orders that held the product; ``last`` = the part of it from each
    customer's latest order (what the blend's weights are chosen on)."""
    import numpy as np
    import scipy.sparse as sp

    live = Order.objects.exclude(status=Order.Status.CANCELLED)
    last_order = {}
    for customer_id, order_id in live.order_by("customer_id", "placed_at", "pk").values_list("customer_id", "pk"):
        last_order[customer_id] = order_id
    triples = set(OrderLine.objects.filter(order__in=live).values_list("order__customer_id", "product_id", "order_id"))
    customers = sorted({t[0] for t in triples})
    products = sorted({t[1] for t in triples})
    cix = {c: i for i, c in enumerate(customers)}
    pix = {p: i for i, p in enumerate(products)}
    rows = np.array([cix[t[0]] for t in triples], np.int64)
    cols = np.array([pix[t[1]] for t in triples], np.int64)
    is_last = np.array([last_order.get(t[0]) == t[2] for t in triples], bool)
    shape = (len(customers), len(products))
    counts = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=shape)  # duplicates summed
    last = sp.csr_matrix((np.ones(int(is_last.sum()), np.float32), (rows[is_last], cols[is_last])), shape=shape)
    return customers, products, counts, last


def model_train(*, params=None) -> dict:
    """Train a new version from all orders and make it current; older files beyond the last
    ``KEEP_FILES`` are removed (their rows stay, as history)."""
    from tanggap.recommend import engine

    t0 = time.perf_counter()
    customers, products, matrix, last = purchase_matrices()
    model = engine.fit_tuned(matrix, last, params or engine.Params())
    seconds = time.perf_counter() - t0
    with transaction.atomic():
        last_row = RecModel.objects.select_for_update().order_by("-version").first()
        version = (last_row.version if last_row else 0) + 1
        path = model_dir() / f"recommend-{version}.npz"
        engine.save(model, path, extra={"product_ids": products, "version": version})
        row = RecModel.objects.create(version=version, customers=len(customers), products=len(products),
                                      interactions=int(matrix.nnz), seconds=round(seconds, 3), path=str(path),
                                      tuning=model.info.get("tuning", {}))
    for old in RecModel.objects.filter(version__lte=version - KEEP_FILES).exclude(path=""):
        Path(old.path).unlink(missing_ok=True)
        RecModel.objects.filter(pk=old.pk).update(path="")
    log.info("recommend model v%d: %d customers, %d products, %d interactions in %.2f s (weights: %s)",
             version, len(customers), len(products), matrix.nnz, seconds, model.info.get("tuning"))
    return {"version": row.version, "customers": row.customers, "products": row.products,
            "interactions": row.interactions, "seconds": row.seconds, "tuning": row.tuning}


def retrain_if_due(*, at=None) -> bool:
    """Claim the daily training (a ``common.PeriodicJob`` row claimed with a conditional UPDATE, so
    many workers enqueue it once) and enqueue it on commit. Called when an order's journey event
    is stored; returns whether this call enqueued it."""
    from tanggap.common.models import PeriodicJob

    at = at or now()
    job, _ = PeriodicJob.objects.get_or_create(
        name=TRAIN_JOB, defaults={"interval_seconds": int(TRAIN_EVERY.total_seconds()), "next_run_at": at})
    if job.next_run_at > at:
        return False
    with transaction.atomic():
        won = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
            next_run_at=at + TRAIN_EVERY, last_run_at=at)
        if won:
            transaction.on_commit(train_enqueue, robust=True)
    return bool(won)


def train_enqueue():
    from tanggap.recommend.tasks import recommend_train

    return recommend_train.enqueue()


# --- profiles and rules ---------------------------------------------------------------------------

def _clean_attributes(attributes: dict) -> dict:
    if not isinstance(attributes, dict):
        raise DomainError("invalid_input", "Attributes must be an object of names to values.", status=422)
    if len(attributes) > MAX_ATTRIBUTES:
        raise DomainError("invalid_input", f"At most {MAX_ATTRIBUTES} attributes.", status=422)
    out = {}
    for key, value in attributes.items():
        key = str(key).strip()
        if not key or len(key) > 50:
            raise DomainError("invalid_input", "An attribute name has 1 to 50 characters.", status=422)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise DomainError("invalid_input", f"Attribute {key!r} must be a text or a number.", status=422)
        if isinstance(value, float) and not math.isfinite(value):
            raise DomainError("invalid_input", f"Attribute {key!r} must be a finite number.", status=422)
        if isinstance(value, int) and abs(value) > 2**53:
            raise DomainError("invalid_input", f"Attribute {key!r} is too large.", status=422)
        out[key] = value.strip()[:100] if isinstance(value, str) else value
    return out


@transaction.atomic
def product_profile_set(*, sku: str, active: bool = True, attributes: dict | None = None) -> ProductProfile:
    product = Product.objects.filter(sku=sku).first()
    if product is None:
        raise NotFound("unknown_product", f"Unknown product sku: {sku}.")
    profile, _ = ProductProfile.objects.update_or_create(
        product=product, defaults={"active": active, "attributes": _clean_attributes(attributes or {})})
    return profile


@transaction.atomic
def customer_profile_set(*, customer: Customer, attributes: dict) -> CustomerProfile:
    profile, _ = CustomerProfile.objects.update_or_create(
        customer=customer, defaults={"attributes": _clean_attributes(attributes), "updated_at": now()})
    return profile


@transaction.atomic
def rule_save(*, rule_id: int | None = None, label_id: str, product_attribute: str, operator: str,
              customer_attribute: str, scale: str = "", label_ms: str = "", label_en: str = "",
              active: bool = True) -> ProfileRule:
    if operator not in Operator.values:
        raise DomainError("invalid_input", f"Unknown operator {operator!r}.", status=422)
    if not label_id.strip() or not product_attribute.strip() or not customer_attribute.strip():
        raise DomainError("missing_field", "A rule needs a label and both attributes.")
    values = [v.strip() for v in scale.split(",") if v.strip()]
    rule = ProfileRule.objects.filter(pk=rule_id).first() if rule_id else ProfileRule()
    if rule is None:
        raise NotFound("rule_not_found", f"Rule {rule_id} does not exist.")
    rule.label_id, rule.label_ms, rule.label_en = label_id.strip(), label_ms.strip(), label_en.strip()
    rule.product_attribute, rule.customer_attribute = product_attribute.strip(), customer_attribute.strip()
    rule.operator, rule.scale, rule.active = operator, ",".join(values), active
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule_id: int) -> None:
    if not ProfileRule.objects.filter(pk=rule_id).delete()[0]:
        raise NotFound("rule_not_found", f"Rule {rule_id} does not exist.")


def _merge_profiles(source: Customer, target: Customer) -> None:
    """A merge keeps the surviving customer's profile; the merged one's attributes fill in the
    names the survivor lacks (runs inside the merge's transaction)."""
    src = CustomerProfile.objects.filter(customer=source).first()
    if src is None:
        return
    dst = CustomerProfile.objects.filter(customer=target).first()
    if dst is None:
        src.customer = target
        src.save(update_fields=["customer"])
        return
    dst.attributes = {**src.attributes, **dst.attributes}
    dst.save(update_fields=["attributes"])
    src.delete()


def _register_merge_hook() -> None:
    from tanggap.customers.services import register_merge_hook

    register_merge_hook(_merge_profiles)


_register_merge_hook()
