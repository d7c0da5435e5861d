"""Reads of recommendations: ``for_customer`` (the customer page, the API, proactive messages)
and the managers' views of rules and model versions.

``for_customer(customer, limit=5)`` returns a list of dicts, best first, each with:

- ``product_id`` (int), ``sku``, ``name``, ``category`` (str);
- ``source``: ``"bought_together"`` | ``"similar_customers"`` | ``"popular"`` | ``"profile"``;
- ``score`` (float, 0..3, only to order the list);
- ``reason`` (str, in the active language, or ``language``), ``reasons`` (every reason, the
  first is ``reason``: an item both co-bought and fitting a profile rule has two);
- ``with_product_id`` (int or None) and ``together_count`` (int or None): the bought item it is
  most often bought with, and by how many customers;
- ``rule_ids`` (list of int): the profile rules it fits.

Never an item the customer bought (in an order that was not cancelled), never an inactive
product, never one failing a profile rule that applies to the customer. Computed from the stored
model (the current ``RecModel``), with a few small queries: no training at request time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tanggap.customers.models import Customer, Order, OrderLine, Product
from tanggap.recommend.models import CustomerProfile, Operator, ProductProfile, ProfileRule, RecModel

_lock = threading.Lock()
_cache: OrderedDict = OrderedDict()  # path -> (engine.Model, {product id: item index}, [product ids])
MAX_PROFILE_CANDIDATES = 2000


def current_model() -> RecModel | None:
    return RecModel.objects.exclude(path="").order_by("-version").first()


def models_recent(limit: int = 10) -> list[RecModel]:
    return list(RecModel.objects.order_by("-version")[:limit])


def rules() -> list[ProfileRule]:
    return list(ProfileRule.objects.order_by("pk"))


def _load(row: RecModel):
    with _lock:
        hit = _cache.get(row.path)
        if hit is not None:
            _cache.move_to_end(row.path)
            return hit
    from tanggap.recommend import engine

    try:
        model, extra = engine.load(row.path)
    except (OSError, ValueError, KeyError):
        return None
    ids = [int(p) for p in extra.get("product_ids", [])]
    loaded = (model, {p: i for i, p in enumerate(ids)}, ids)
    with _lock:
        _cache[row.path] = loaded
        while len(_cache) > 2:
            _cache.popitem(last=False)
    return loaded


def history(customer_id: int) -> dict[int, int]:
    """Product id -> orders (not cancelled) of this customer that held it."""
    return dict(OrderLine.objects.filter(order__customer_id=customer_id)
                .exclude(order__status=Order.Status.CANCELLED)
                .values("product_id").annotate(n=Count("order_id", distinct=True)).values_list("product_id", "n"))


def _compare(rule: ProfileRule, pval, cval) -> bool | None:
    """Whether the product's value fits the customer's; None when they cannot be compared."""
    scale = [s.strip().lower() for s in rule.scale.split(",") if s.strip()]
    if scale:
        try:
            a, b = scale.index(str(pval).strip().lower()), scale.index(str(cval).strip().lower())
        except ValueError:
            return None
    else:
        try:
            a, b = float(pval), float(cval)
        except (TypeError, ValueError):
            a, b = str(pval).strip().lower(), str(cval).strip().lower()
            if rule.operator not in (Operator.EQ, Operator.NE):
                return None
    return {"lte": a <= b, "gte": a >= b, "eq": a == b, "ne": a != b}[rule.operator]


def profile_fit(rules_: list[ProfileRule], product_attrs: dict, customer_attrs: dict) -> tuple[bool, list]:
    """(passes every applicable rule, [(rule, customer value) of the rules it fits])."""
    fits = []
    for rule in rules_:
        if rule.product_attribute not in product_attrs or rule.customer_attribute not in customer_attrs:
            continue
        cval = customer_attrs[rule.customer_attribute]
        ok = _compare(rule, product_attrs[rule.product_attribute], cval)
        if ok is False:
            return False, []
        if ok:
            fits.append((rule, cval))
    return True, fits


def _profile_reason(rule: ProfileRule, value, language: str) -> str:
    return _("Fits %(label)s: %(value)s") % {"label": rule.label(language), "value": value}


def _cf_reason(row: dict, names: dict) -> str:
    if row["source"] == "bought_together":
        return ngettext("Bought together with %(product)s by %(count)d customer",
                        "Bought together with %(product)s by %(count)d customers", row["together"]) % {
            "product": names.get(row["with_product_id"], "?"), "count": row["together"]}
    if row["source"] == "similar_customers":
        return _("Bought by customers with similar purchases")
    return ngettext("Popular: bought by %(count)d customer", "Popular: bought by %(count)d customers",
                    row["buyers"]) % {"count": row["buyers"]}


def _popular_live(limit: int, exclude: set[int]) -> list[tuple[int, int]]:
    """(product id, buyers) by distinct buyers, from the orders (no model trained yet)."""
    qs = (OrderLine.objects.exclude(order__status=Order.Status.CANCELLED).exclude(product_id__in=exclude)
          .values("product_id").annotate(n=Count("order__customer_id", distinct=True)).order_by("-n", "product_id"))
    return [(r["product_id"], r["n"]) for r in qs[:limit]]


def for_customer(customer: Customer | int, limit: int = 5, *, language: str | None = None) -> list[dict]:
    """Recommendations for one customer, best first (see the module's docstring for the keys)."""
    customer_id = customer if isinstance(customer, int) else customer.pk
    limit = max(0, min(int(limit), 50))
    if limit == 0:
        return []
    with translation.override(language or translation.get_language() or "id"):
        return _for_customer(customer_id, limit, translation.get_language()[:2])


def _for_customer(customer_id: int, limit: int, language: str) -> list[dict]:
    import numpy as np

    bought = history(customer_id)
    inactive = set(ProductProfile.objects.filter(active=False).values_list("product_id", flat=True))
    active_rules = list(ProfileRule.objects.filter(active=True).order_by("pk"))
    cprof = CustomerProfile.objects.filter(customer_id=customer_id).values_list("attributes", flat=True).first() or {}
    rules_for = [r for r in active_rules if r.customer_attribute in cprof] if cprof else []
    blocked = set(bought) | inactive
    product_attrs: dict[int, dict] = {}
    if rules_for:
        wanted = {r.product_attribute for r in rules_for}
        for pid, attrs in (ProductProfile.objects.filter(active=True).exclude(attributes={})
                           .values_list("product_id", "attributes")[:MAX_PROFILE_CANDIDATES]):
            if pid not in blocked and wanted & set(attrs or {}):
                product_attrs[pid] = attrs
    fails, fits = set(), {}
    for pid, attrs in product_attrs.items():
        ok, matched = profile_fit(rules_for, attrs, cprof)
        if not ok:
            fails.add(pid)
        elif matched:
            fits[pid] = matched
    blocked |= fails

    cf: list[dict] = []  # {"product_id", "source", "score", "with_product_id", "together", "buyers"}
    row = current_model()
    loaded = _load(row) if row else None
    if loaded:
        from tanggap.recommend import engine

        model, index, ids = loaded
        items = [(index[p], n) for p, n in bought.items() if p in index]
        allowed = np.ones(model.n_items, bool)
        for p in blocked:
            if p in index:
                allowed[index[p]] = False
        recs = engine.recommend(model, np.array([i for i, _ in items], np.int64),
                                np.array([n for _, n in items], np.float32), n=limit + len(fits), allowed=allowed)
        for r in recs:
            cf.append({"product_id": ids[r["item"]], "source": r["source"], "score": r["score"],
                       "with_product_id": ids[r["with_item"]] if r["with_item"] is not None else None,
                       "together": r["together"], "buyers": r["buyers"]})
    else:
        for pid, n in _popular_live(limit + len(fits), blocked):
            cf.append({"product_id": pid, "source": "popular", "score": 0.0, "with_product_id": None,
                       "together": 0, "buyers": n})

    # Interleave: co-bought/similar/popular first, then a profile fit, and so on.
    by_pid = {c["product_id"]: c for c in cf}
    prof_order = sorted(fits, key=lambda p: (-(by_pid[p]["score"] if p in by_pid else 0), p))
    order, seen = [], set()
    cf_ids = [c["product_id"] for c in cf]
    for k in range(max(len(cf_ids), len(prof_order))):
        for pid in (cf_ids[k] if k < len(cf_ids) else None, prof_order[k] if k < len(prof_order) else None):
            if pid is not None and pid not in seen:
                seen.add(pid)
                order.append(pid)
    order = order[:limit]
    names_needed = set(order) | {c["with_product_id"] for c in cf if c["with_product_id"]}
    products = {p.pk: p for p in Product.objects.filter(pk__in=names_needed)}
    names = {pid: p.name for pid, p in products.items()}
    out = []
    for pid in order:
        p = products.get(pid)
        if p is None:
            continue
        c = by_pid.get(pid)
        reasons, source = [], "profile"
        if c is not None:
            source = c["source"]
            reasons.append(_cf_reason(c, names))
        matched = fits.get(pid, [])
        prof = [_profile_reason(rule, value, language) for rule, value in matched]
        reasons = prof + reasons if c is None else reasons + prof
        out.append({
            "product_id": pid, "sku": p.sku, "name": p.name, "category": p.category, "source": source,
            "score": round(float(c["score"]) if c else 0.0, 4), "reason": reasons[0], "reasons": reasons,
            "with_product_id": c["with_product_id"] if c and c["source"] == "bought_together" else None,
            "together_count": c["together"] if c and c["source"] == "bought_together" else None,
            "rule_ids": [rule.pk for rule, _v in matched],
        })
    return out
