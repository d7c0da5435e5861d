"""Recommendations over the API (issue 7): a customer's recommended products with the reasons, and
the risk/preference profiles the managers' rules compare (leads and admins write them). The
logic lives in tanggap.recommend (docs/recommendations.md); this router parses, checks roles and
shapes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tanggap.accounts.models import Role
from tanggap.accounts.selectors import role_of
from tanggap.api.schemas import ErrorOut, Id
from tanggap.common.errors import PermissionDenied
from tanggap.customers.selectors import customer_get
from tanggap.recommend import selectors, services

router = Router(tags=["recommendations"])

Value = str | int | float


class RecommendationOut(Schema):
    product_id: int
    sku: str
    name: str
    category: str
    source: Literal["bought_together", "similar_customers", "popular", "profile"]
    score: float
    reason: str
    reasons: list[str]
    with_product_id: int | None
    together_count: int | None
    rule_ids: list[int]


class RecommendationsOut(Schema):
    customer_id: int
    model_version: int | None
    trained_at: dt.datetime | None
    items: list[RecommendationOut]


class CustomerProfileIn(Schema):
    attributes: dict[str, Value] = Field(max_length=20)


class CustomerProfileOut(Schema):
    customer_id: int
    attributes: dict[str, Value]


class ProductProfileIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    active: bool = True
    attributes: dict[str, Value] = Field(default_factory=dict, max_length=20)


class ProductProfileOut(Schema):
    sku: str
    active: bool
    attributes: dict[str, Value]


def _manager(request) -> None:
    if role_of(request.auth) not in (Role.LEAD, Role.ADMIN):
        raise PermissionDenied("not_a_manager", "Only team leads and admins change profiles.")


@router.get("/customers/{customer_id}/recommendations", response={200: RecommendationsOut, 404: ErrorOut})
def customer_recommendations(request: HttpRequest, customer_id: Id, limit: Annotated[int, Field(ge=1, le=50)] = 5,
                             language: Literal["id", "ms", "en"] | None = None):
    """Products to offer this customer, best first, each with why (in `language`, else the
    request's): bought together with one of theirs, bought by similar customers, popular, or
    fitting their risk/preference profile. Never one they bought or one not offered."""
    customer = customer_get(customer_id=customer_id)
    row = selectors.current_model()
    return {"customer_id": customer.pk, "model_version": row.version if row else None,
            "trained_at": row.trained_at if row else None,
            "items": selectors.for_customer(customer, limit=limit, language=language)}


@router.put("/recommendations/customers/{customer_id}/profile",
            response={200: CustomerProfileOut, 403: ErrorOut, 404: ErrorOut})
def customer_profile_put(request: HttpRequest, customer_id: Id, payload: CustomerProfileIn):
    """Replace the customer's profile attributes (e.g. `{"risk_tolerance": "medium"}`)."""
    _manager(request)
    customer = customer_get(customer_id=customer_id)
    profile = services.customer_profile_set(customer=customer, attributes=payload.attributes)
    return {"customer_id": customer.pk, "attributes": profile.attributes}


@router.post("/recommendations/product-profiles", response={200: ProductProfileOut, 403: ErrorOut, 404: ErrorOut})
def product_profile_post(request: HttpRequest, payload: ProductProfileIn):
    """Set a product's profile: whether it is offered (recommended at all) and its attributes
    (e.g. `{"risk_level": "low"}`)."""
    _manager(request)
    profile = services.product_profile_set(sku=payload.sku, active=payload.active, attributes=payload.attributes)
    return {"sku": payload.sku, "active": profile.active, "attributes": profile.attributes}
