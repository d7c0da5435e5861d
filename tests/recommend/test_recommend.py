"""Recommendations (issue 7): co-bought items from a small purchase history, cold items through
co-occurrence, popularity for a customer without history, exclusions (bought, cancelled,
inactive), profile rules that filter and explain, the training job and its retraining."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from tanggap.recommend import selectors, services
from tanggap.recommend.models import RecModel
from tests.recommend.conftest import buy, customer

pytestmark = pytest.mark.django_db


def skus(recs):
    return [r["sku"] for r in recs]


def work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)


def test_co_bought_items_first_and_bought_ones_never(shop):
    services.model_train()
    recs = selectors.for_customer(shop["new_kopi"], limit=3, language="en")
    assert set(skus(recs)[:2]) == {"GILING", "FILTER"}
    assert "KOPI" not in skus(selectors.for_customer(shop["new_kopi"], limit=20))
    grinder = next(r for r in recs if r["sku"] == "GILING")
    assert grinder["source"] == "bought_together"
    assert grinder["reason"] == "Bought together with Kopi Arabika Gayo by 4 customers"
    assert grinder["with_product_id"] == shop["new_kopi"].orders.get().lines.get().product_id
    assert grinder["together_count"] == 4
    tea = selectors.for_customer(shop["new_teh"], limit=2)
    assert set(skus(tea)) == {"GULA", "CANGKIR"}


def test_cold_item_found_through_co_occurrence(shop):
    services.model_train()
    recs = selectors.for_customer(shop["dripper"], limit=3, language="en")
    assert recs[0]["sku"] == "TEKO"  # one buyer in the whole shop
    assert recs[0]["reason"] == "Bought together with Dripper V60 by 1 customer"


def test_without_history_the_popular_products_with_or_without_a_model(shop):
    before = selectors.for_customer(shop["nobody"], limit=2, language="en")  # no model yet: counted live
    assert skus(before) == ["KOPI", "GILING"] and before[0]["reason"] == "Popular: bought by 5 customers"
    services.model_train()
    after = selectors.for_customer(shop["nobody"], limit=2, language="en")
    assert skus(after) == ["KOPI", "GILING"] and {r["source"] for r in after} == {"popular"}


def test_inactive_and_cancelled(shop):
    services.product_profile_set(sku="GILING", active=False)
    lapsed = customer("Batal Beli")
    buy(lapsed, "KOPI")
    buy(lapsed, "FILTER", status="cancelled")  # not bought: may still be recommended
    services.model_train()
    recs = skus(selectors.for_customer(lapsed, limit=20))
    assert "GILING" not in recs and "KOPI" not in recs
    assert recs[0] == "FILTER"


def test_reasons_in_each_language(shop):
    services.model_train()
    texts = {lang: selectors.for_customer(shop["new_kopi"], limit=1, language=lang)[0]["reason"]
             for lang in ("id", "ms", "en")}
    assert texts["en"].startswith("Bought together with Kopi Arabika Gayo by 4 customers")
    assert texts["id"] == texts["en"].replace("Bought together with", "Dibeli bersama").replace(
        "by 4 customers", "oleh 4 pelanggan")
    assert texts["ms"] == texts["en"].replace("Bought together with", "Dibeli bersama").replace(
        "by 4 customers", "oleh 4 pelanggan")


@pytest.fixture
def funds(db):
    from tanggap.customers.services import product_upsert

    out = {}
    for sku, name, risk in (("RD-PASAR-UANG", "Reksa Dana Pasar Uang", "low"),
                            ("RD-CAMPURAN", "Reksa Dana Campuran", "medium"),
                            ("RD-SAHAM", "Reksa Dana Saham", "high")):
        out[sku] = product_upsert(sku=sku, name=name)[0]
        services.product_profile_set(sku=sku, attributes={"risk_level": risk})
    services.rule_save(label_id="profil risiko", label_en="risk profile", label_ms="profil risiko",
                       product_attribute="risk_level", operator="lte", customer_attribute="risk_tolerance",
                       scale="low, medium, high")
    return out


def test_profile_rules_filter_and_explain(shop, funds):
    careful = shop["new_kopi"]
    services.customer_profile_set(customer=careful, attributes={"risk_tolerance": "medium"})
    for c in (shop["kopi0"], shop["kopi1"]):  # coffee buyers also hold the equity fund
        buy(c, "RD-SAHAM")
    services.model_train()
    recs = selectors.for_customer(careful, limit=10, language="en")
    assert "RD-SAHAM" not in skus(recs)  # co-bought, but above the customer's risk tolerance
    fits = {r["sku"]: r for r in recs if r["source"] == "profile"}
    assert set(fits) == {"RD-PASAR-UANG", "RD-CAMPURAN"}
    assert fits["RD-CAMPURAN"]["reason"] == "Fits risk profile: medium"
    assert fits["RD-CAMPURAN"]["rule_ids"] == [funds and selectors.rules()[0].pk]
    # Without a profile the rule does not apply: the co-bought fund is offered, no fund by profile.
    other = selectors.for_customer(shop["kopi2"], limit=10)
    assert "RD-SAHAM" in skus(other) and not any(r["source"] == "profile" for r in other)
    assert selectors.for_customer(careful, limit=10, language="id")[1]["reasons"][-1].startswith("Sesuai")


def test_rule_with_numbers_and_equality(shop, funds):
    services.rule_save(label_id="syariah", label_en="sharia", product_attribute="syariah", operator="eq",
                       customer_attribute="syariah")
    services.product_profile_set(sku="RD-CAMPURAN", attributes={"risk_level": "medium", "syariah": "ya"})
    services.product_profile_set(sku="RD-PASAR-UANG", attributes={"risk_level": "low", "syariah": "tidak"})
    who = shop["nobody"]
    services.customer_profile_set(customer=who, attributes={"risk_tolerance": "high", "syariah": "ya"})
    recs = selectors.for_customer(who, limit=10, language="en")
    fits = {r["sku"]: r["reasons"] for r in recs if r["source"] == "profile"}
    assert set(fits) == {"RD-CAMPURAN", "RD-SAHAM"}
    assert fits["RD-CAMPURAN"] == ["Fits risk profile: high", "Fits sharia: ya"]


def test_training_job_stores_a_model_and_a_retrain_replaces_it(shop, settings):
    services.train_enqueue()
    work()
    first = selectors.current_model()
    assert first.version == 1 and Path(first.path).exists() and first.customers == 11  # "nobody" has no orders
    assert Path(first.path).parent == Path(settings.VAR_DIR) / "models"
    assert "MADU" not in skus(selectors.for_customer(shop["new_teh"], limit=2))
    # Tea drinkers start buying honey; the next training learns it.
    for i in range(3):
        buy(shop[f"teh{i}"], "MADU")
        buy(shop[f"teh{i}"], "MADU")
    services.train_enqueue()
    work()
    second = selectors.current_model()
    assert second.version == 2 and second.path != first.path
    recs = selectors.for_customer(shop["new_teh"], limit=3, language="en")
    assert "MADU" in skus(recs)
    services.model_train()
    assert not Path(first.path).exists() and Path(second.path).exists()  # only the last two files stay
    assert RecModel.objects.get(version=1).path == ""


def test_retraining_is_claimed_once_a_day(shop, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC), tick=False):
            assert services.retrain_if_due() is True
            assert services.retrain_if_due() is False
        with time_machine.travel(dt.datetime(2026, 11, 3, 7, tzinfo=dt.UTC), tick=False):
            assert services.retrain_if_due() is False
        with time_machine.travel(dt.datetime(2026, 11, 3, 8, 1, tzinfo=dt.UTC), tick=False):
            assert services.retrain_if_due() is True
    assert DBTaskResult.objects.filter(task_path="tanggap.recommend.tasks.recommend_train").count() == 2


def test_an_order_journey_event_enqueues_the_training(shop, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from tanggap.journeys.services import event_record

    order = shop["new_kopi"].orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        event_record(kind="order_paid", customer=shop["new_kopi"], order_external_id=order.external_id,
                     external_id="rec-journey-1")
        event_record(kind="order_paid", customer=shop["new_teh"], order_external_id=shop["new_teh"].orders.get().external_id,
                     external_id="rec-journey-2")
    assert DBTaskResult.objects.filter(task_path="tanggap.recommend.tasks.recommend_train").count() == 1


def test_training_without_orders_then_with_one_customer(products):
    services.model_train()
    assert selectors.current_model().products == 0
    assert selectors.for_customer(customer("Sendiri"), limit=3) == []
    lone = customer("Satu Satunya")
    buy(lone, "KOPI", "GILING")
    services.model_train()
    newcomer = customer("Baru")
    buy(newcomer, "KOPI")
    assert skus(selectors.for_customer(newcomer, limit=3)) == ["GILING"]


def test_request_time_queries_do_not_grow_with_history(shop, django_assert_max_num_queries):
    services.model_train()
    selectors.for_customer(shop["new_kopi"])  # loads the model file once per process
    for i in range(30):
        buy(shop["new_kopi"], "TEH" if i % 2 else "GULA")
    with django_assert_max_num_queries(7):
        recs = selectors.for_customer(shop["new_kopi"], limit=5)
    assert "TEH" not in skus(recs) and "GULA" not in skus(recs)


def test_a_merge_keeps_the_profile_and_the_history(shop, funds):
    from tanggap.customers.services import customer_merge

    target, source = shop["nobody"], shop["new_kopi"]
    services.customer_profile_set(customer=source, attributes={"risk_tolerance": "low", "syariah": "ya"})
    services.customer_profile_set(customer=target, attributes={"risk_tolerance": "medium"})
    customer_merge(source=source, target=target, actor=None)
    recs = selectors.for_customer(target, limit=10, language="en")
    assert "KOPI" not in skus(recs)  # the merged customer's order is the survivor's now
    assert {r["sku"] for r in recs if r["source"] == "profile"} == {"RD-PASAR-UANG", "RD-CAMPURAN"}
    from tanggap.recommend.models import CustomerProfile

    assert CustomerProfile.objects.get(customer=target).attributes == {"risk_tolerance": "medium", "syariah": "ya"}
    assert not CustomerProfile.objects.filter(customer=source).exists()
