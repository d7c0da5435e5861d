"""Health over the API and in the console: the customer's health with reasons, the list by band
with keyset pages, the customer page's panel, the managers' page; who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tanggap.health import services
from tanggap.health.models import CustomerHealth
from tests.health.conftest import NOW, background_shop, broken_promise, buy, customer, triage

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    with time_machine.travel(NOW, tick=False):
        background_shop(40)
        upset = customer("kecewa@example.id", name="Dewi Kecewa")
        buy(upset, 200, 170, 140)
        triage("kecewa@example.id", 0.3, NOW - dt.timedelta(days=100))
        ticket = triage("kecewa@example.id", -0.9, NOW - dt.timedelta(days=2), "Sudah dua kali dijanjikan!")
        broken_promise(ticket, NOW - dt.timedelta(days=3))
        broken_promise(ticket, NOW - dt.timedelta(days=1))
        services.health_refresh()
        yield upset

def test_customer_health_over_the_api(api, shop):
    response = api.get(f"/customers/{shop.pk}/health")

    assert response.status_code == 200
    body = response.body
    assert body["customer_id"] == shop.pk and body["band"] == "at_risk" and body["model"] == "bgnbd"
    assert body["score"] == CustomerHealth.objects.get(customer=shop).score
    assert "2 janji diingkari" in body["summary"]  # the API speaks Indonesian by default
    assert "tren negatif" in [r["text"] for r in body["reasons"]]
    codes = {r["code"]: r for r in body["reasons"]}
    assert codes["broken_promises"]["params"] == {"count": 2}
    assert codes["no_order_for"]["params"] == {"days": 140, "usual_days": 30}
    assert set(body) >= {"p_alive", "expected_purchases_90d", "components", "stale", "computed_at"}


def test_customer_health_is_computed_on_the_spot_for_a_customer_not_scored_yet(api, shop):
    with time_machine.travel(NOW, tick=False):
        late = customer("terlambat@example.id")
        buy(late, 5)
        assert not CustomerHealth.objects.filter(customer=late).exists()
        response = api.get(f"/customers/{late.pk}/health")
    assert response.status_code == 200 and response.body["orders"] == 1
    assert api.get("/customers/999999/health").body["error"]["code"] == "customer_not_found"
    nobody = customer("kosong@example.id")
    response = api.get(f"/customers/{nobody.pk}/health")
    assert (response.status_code, response.body["error"]["code"]) == (404, "no_health")


def test_health_list_filters_by_band_in_keyset_pages(api, shop, django_assert_max_num_queries):
    at_risk = list(CustomerHealth.objects.filter(band="at_risk").order_by("score", "customer_id")
                   .values_list("customer_id", flat=True))
    assert shop.pk in at_risk and len(at_risk) >= 2
    seen, cursor = [], None
    while True:
        with django_assert_max_num_queries(10):  # 8 here: session, user, role, counts, page, model, nav  # the token, the page
            response = api.get("/health?band=at_risk&limit=1" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200
        seen += [item["customer_id"] for item in response.body["items"]]
        assert all(item["band"] == "at_risk" for item in response.body["items"])
        cursor = response.body["next_cursor"]
        if not cursor:
            break
    assert seen == at_risk
    everyone = api.get("/health?limit=200").body["items"]
    assert len(everyone) == CustomerHealth.objects.count()
    assert [i["score"] for i in everyone] == sorted(i["score"] for i in everyone)
    assert api.get("/health?cursor=bm9wZQ").body["error"]["code"] == "bad_cursor"
    assert api.get("/health?band=gone").status_code == 422


def test_health_api_needs_a_staff_token(api_for, make_staff, shop, agent):
    assert api_for(None).get(f"/customers/{shop.pk}/health").status_code == 401
    assert api_for(agent).get("/health?band=at_risk").status_code == 200


def test_customer_page_shows_the_score_and_its_reasons(client, agent, shop):
    client.force_login(agent)
    page = client.get(f"/customers/{shop.pk}/").content.decode()
    assert 'id="health-panel"' in page
    row = CustomerHealth.objects.get(customer=shop)
    assert f'data-score="{row.score}"' in page
    assert "2 janji diingkari" in page and "tren negatif" in page
    assert 'data-code="no_order_for"' in page


def test_managers_page_lists_customers_at_risk_and_filters_by_band(client, lead, agent, shop):
    client.force_login(lead)
    page = client.get("/health/").content.decode()
    assert "Dewi Kecewa" in page and f'data-customer="{shop.pk}"' in page
    assert 'href="/health/"' in client.get("/").content.decode() or "/health/" in page
    healthy = client.get("/health/?band=healthy").content.decode()
    assert "Dewi Kecewa" not in healthy
    counts = CustomerHealth.objects.filter(band="healthy").count()
    assert f'data-band-count="healthy">{counts}<' in healthy
    client.force_login(agent)
    assert client.get("/health/").status_code == 403
    assert "/health/" not in client.get(f"/customers/{shop.pk}/").content.decode().split("health-panel")[0]


def test_managers_page_pages_through_with_a_cursor(client, lead, shop, monkeypatch):
    from tanggap.health import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(lead)
    first = client.get("/health/?band=all").content.decode()
    assert first.count('class="health-row"') == 2 and "after=" in first
    cursor = first.split("after=")[1].split('"')[0]
    second = client.get(f"/health/?band=all&after={cursor}").content.decode()
    assert second.count('class="health-row"') == 2
    assert client.get("/health/?band=all&after=broken").status_code == 302


def test_for_customer_gives_the_keys_the_customer_endpoint_uses(shop):
    from tanggap.health.selectors import for_customer

    health = for_customer(shop)
    assert set(health) == {"customer_id", "score", "band", "band_label", "summary", "reasons", "components", "p_alive",
                           "expected_purchases_90d", "orders", "last_order_at", "model", "stale", "computed_at"}
    assert set(health["reasons"][0]) == {"code", "params", "effect", "component", "points", "text"}
    assert health["computed_at"] == NOW.isoformat()
    assert for_customer(customer("belum@example.id")) is None


def test_managers_page_query_count_does_not_grow_with_the_rows(client, lead, shop, django_assert_max_num_queries):
    client.force_login(lead)
    client.get("/health/?band=all")  # warm the session and the panels
    with django_assert_max_num_queries(10):  # 8 here: session, user, role, counts, page, model, nav
        page = client.get("/health/?band=all").content.decode()
    assert page.count('class="health-row"') == CustomerHealth.objects.count() == 41
