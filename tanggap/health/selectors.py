"""Reads of customer health. Customers are shared by all staff (docs/architecture.md), so any
staff caller may read any customer's health; the web and API layers check the role."""

from __future__ import annotations

from tanggap.common.errors import DomainError
from tanggap.common.pagination import Page, keyset_page
from tanggap.health import reasons as reason_words
from tanggap.health.models import Band, CustomerHealth


def as_dict(row: CustomerHealth) -> dict:
    """The public shape of a health row (the API's HealthOut, GET /customers/{id}'s "health")."""
    reasons = [{"code": r.get("code", ""), "params": r.get("params") or {}, "effect": r.get("effect", "negative"),
                "component": r.get("component", ""), "points": r.get("points", 0), "text": reason_words.text(r)}
               for r in row.reasons or []]
    return {
        "customer_id": row.customer_id,
        "score": row.score,
        "band": row.band,
        "band_label": str(Band(row.band).label),
        "summary": reason_words.summary(row.reasons or []),
        "reasons": reasons,
        "components": row.components or {},
        "p_alive": row.p_alive,
        "expected_purchases_90d": row.expected_purchases_90d,
        "orders": row.orders,
        "last_order_at": row.last_order_at.isoformat() if row.last_order_at else None,
        "model": row.model.kind if row.model_id and row.model else "fallback",
        "stale": row.stale,
        "computed_at": row.computed_at.isoformat(),
    }


def row_of(customer_id: int) -> CustomerHealth | None:
    return CustomerHealth.objects.select_related("model").filter(customer_id=customer_id).first()


def for_customer(customer) -> dict | None:
    """The customer's stored health (following a merge to the surviving customer), or None when
    it has not been computed yet (a new customer before the next hourly job)."""
    from tanggap.customers.services import resolve

    row = row_of(resolve(customer).pk)
    return as_dict(row) if row else None


def health_page(*, band: str | None = None, cursor: str | None = None, limit: int = 50) -> Page:
    """Customers by health, lowest score first (keyset on score, customer id)."""
    qs = CustomerHealth.objects.select_related("customer", "model")
    if band:
        qs = qs.filter(band=band)
    try:
        return keyset_page(qs, order=["score", "customer_id"], cursor=cursor, limit=limit)
    except (ValueError, TypeError):  # a well-formed cursor holding values of the wrong type
        raise DomainError("bad_cursor", "The page cursor is not valid.") from None


def band_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(CustomerHealth.objects.values_list("band").annotate(n=Count("pk")).order_by())
    return {b: counts.get(b, 0) for b in Band.values}


def current_model():
    from tanggap.health.models import ChurnModel

    return ChurnModel.objects.order_by("-fitted_at", "-id").first()
