"""Recommendations over HTTP: the API (staff tokens only, 404 for an unknown customer, managers
write profiles), the card on the customer page, and the managers' page for rules and profiles."""

from __future__ import annotations

import pytest
from django.test import Client

from tanggap.recommend import selectors, services
from tanggap.recommend.models import ProductProfile, ProfileRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_staff, team):
    return make_staff("lina", "lead", [team])


def test_api_lists_recommendations_with_reasons(api, shop):
    services.model_train()
    r = api.get(f"/customers/{shop['new_kopi'].pk}/recommendations?limit=2&language=en")
    assert r.status_code == 200
    assert r.body["customer_id"] == shop["new_kopi"].pk and r.body["model_version"] == 1
    assert {i["sku"] for i in r.body["items"]} == {"GILING", "FILTER"}
    assert r.body["items"][0]["reason"] == "Bought together with Kopi Arabika Gayo by 4 customers"
    assert set(r.body["items"][0]) == {"product_id", "sku", "name", "category", "source", "score", "reason",
                                       "reasons", "with_product_id", "together_count", "rule_ids"}
    r = api.get(f"/customers/{shop['new_kopi'].pk}/recommendations?language=id")
    assert r.body["items"][0]["reason"].startswith("Dibeli bersama")


def test_api_unknown_customer_bad_limit_and_no_token(api, api_for, shop):
    assert api.get("/customers/999999/recommendations").status_code == 404
    assert api.get("/customers/999999/recommendations").body["error"]["code"] == "customer_not_found"
    assert api.get(f"/customers/{shop['nobody'].pk}/recommendations?limit=0").status_code == 422
    assert api_for(None).get(f"/customers/{shop['nobody'].pk}/recommendations").status_code == 401


def test_profiles_over_the_api_managers_only(api, api_for, agent, shop):
    from tanggap.customers.services import product_upsert

    product_upsert(sku="RD-SAHAM", name="Reksa Dana Saham")
    agent_api = api_for(agent)
    path = f"/recommendations/customers/{shop['nobody'].pk}/profile"
    assert agent_api._call("put", path, {"attributes": {"risk_tolerance": "low"}}).status_code == 403
    r = api._call("put", path, {"attributes": {"risk_tolerance": "low"}})
    assert r.status_code == 200 and r.body["attributes"] == {"risk_tolerance": "low"}
    assert agent_api.post("/recommendations/product-profiles", {"sku": "RD-SAHAM"}).status_code == 403
    r = api.post("/recommendations/product-profiles", {"sku": "RD-SAHAM", "attributes": {"risk_level": "high"}})
    assert r.status_code == 200 and r.body == {"sku": "RD-SAHAM", "active": True, "attributes": {"risk_level": "high"}}
    assert api.post("/recommendations/product-profiles", {"sku": "NOPE"}).status_code == 404
    bad = api.post("/recommendations/product-profiles", {"sku": "RD-SAHAM", "attributes": {"": "x"}})
    assert bad.status_code == 422


def test_customer_page_shows_the_card_with_reasons(client, agent, shop):
    services.model_train()
    client.force_login(agent)
    page = client.get(f"/customers/{shop['new_kopi'].pk}/")  # the console speaks Indonesian by default
    html = page.content.decode()
    assert page.status_code == 200 and 'id="recommend-panel"' in html
    assert "Penggiling Kopi" in html and "Dibeli bersama Kopi Arabika Gayo oleh 4 pelanggan" in html
    assert "Kopi Arabika Gayo</strong>" not in html  # bought already: not offered


def test_managers_page_adds_a_rule_and_sets_profiles(client, lead, agent, shop):
    client.force_login(agent)
    assert client.get("/recommendations/").status_code == 403
    client.force_login(lead)
    assert client.get("/recommendations/").status_code == 200
    r = client.post("/recommendations/rules/", {"label_id": "profil risiko", "label_en": "risk profile",
                                                "product_attribute": "risk_level", "operator": "lte",
                                                "customer_attribute": "risk_tolerance", "scale": "low,medium,high",
                                                "active": "on"})
    assert r.status_code == 302
    rule = ProfileRule.objects.get()
    assert (rule.product_attribute, rule.operator, rule.scale) == ("risk_level", "lte", "low,medium,high")
    client.post("/recommendations/products/", {"sku": "GILING", "attributes": "risk_level=high"})
    client.post("/recommendations/products/", {"sku": "FILTER", "attributes": "risk_level=low", "active": "on"})
    client.post("/recommendations/customers/", {"customer_id": shop["new_kopi"].pk, "attributes": "risk_tolerance=low"})
    assert ProductProfile.objects.get(product__sku="GILING").active is False  # unticked: not offered
    services.model_train()
    recs = selectors.for_customer(shop["new_kopi"], limit=5, language="en")
    assert "GILING" not in [r["sku"] for r in recs]
    assert next(r for r in recs if r["sku"] == "FILTER")["reasons"][-1] == "Fits risk profile: low"
    page = client.get("/recommendations/").content.decode()
    assert "risk_level=high" in page and "profil risiko" in page
    assert "bawaan" in page  # version 1's blend weights: the defaults (too few customers to choose on)
    edit = dict(label_id="profil risiko", label_en="risk profile", product_attribute="risk_level", operator="lte",
                customer_attribute="risk_tolerance", scale="low,medium,high")  # "active" unticked: switched off
    assert client.post(f"/recommendations/rules/{rule.pk}/", edit).status_code == 302
    assert ProfileRule.objects.get().active is False
    assert not any(r["source"] == "profile" for r in selectors.for_customer(shop["new_kopi"], limit=5))
    bad = client.post("/recommendations/products/", {"sku": "GILING", "attributes": "no equals sign"})
    assert bad.status_code == 400
    client.post(f"/recommendations/rules/{rule.pk}/delete/")
    assert not ProfileRule.objects.exists()


def test_train_now_button_queues_the_job(client, lead, shop):
    from django_tasks_db.models import DBTaskResult

    client.force_login(lead)
    assert client.post("/recommendations/train/").status_code == 302
    assert DBTaskResult.objects.filter(task_path="tanggap.recommend.tasks.recommend_train").count() == 1
