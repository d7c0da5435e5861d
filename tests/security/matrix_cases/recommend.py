"""Recommendations' routes in the permission matrix: any staff token reads a customer's
recommendations; only leads and admins write profiles (API) or use the managers' page."""

from __future__ import annotations

from tests.security.matrix_base import Case, api, manager

MANAGER_API = api(agent=403, lead="ok", admin="ok")


def build(world, users) -> None:
    from tanggap.recommend import services

    rule = services.rule_save(label_id="profil risiko", product_attribute="risk_level", operator="lte",
                              customer_attribute="risk_tolerance", scale="low,medium,high")
    world.ids["rec_rule"] = rule.pk


RULE = {"label_id": "profil risiko", "product_attribute": "risk_level", "operator": "lte",
        "customer_attribute": "risk_tolerance", "scale": "low,medium,high", "active": "on"}

CASES = [
    Case("GET", "/api/v1/customers/{cust_a}/recommendations", api()),
    Case("PUT", "/api/v1/recommendations/customers/{cust_a}/profile", MANAGER_API,
         {"attributes": {"risk_tolerance": "low"}}, "json"),
    Case("POST", "/api/v1/recommendations/product-profiles", MANAGER_API,
         {"sku": "SKU-1", "attributes": {"risk_level": "low"}}, "json"),
    Case("GET", "/recommendations/", manager()),
    Case("POST", "/recommendations/rules/", manager(), RULE),
    Case("POST", "/recommendations/rules/{rec_rule}/", manager(), RULE),
    Case("POST", "/recommendations/rules/{rec_rule}/delete/", manager()),
    Case("POST", "/recommendations/products/", manager(), {"sku": "SKU-1", "attributes": "risk_level=low", "active": "on"}),
    Case("POST", "/recommendations/customers/", manager(), {"customer_id": "{cust_a}", "attributes": "risk_tolerance=low"}),
    Case("POST", "/recommendations/train/", manager()),
]
