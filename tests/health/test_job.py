"""The background job stores rows, refits daily, and recomputes what events marked stale."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from tanggap.health import services
from tanggap.health.models import ChurnModel, CustomerHealth
from tanggap.health.tasks import health_refresh
from tests.health.conftest import NOW, background_shop, buy, customer
from tests.web.support import receive

pytestmark = pytest.mark.django_db


def run_worker():
    call_command("db_worker", batch=True, interval=0, verbosity=0)


def test_the_stored_job_fits_stores_and_then_recomputes_only_stale_rows(django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        background_shop(40)
        rina = customer("rina@example.id")
        buy(rina, 90, 60, 30, 3)

        health_refresh.enqueue()
        run_worker()

        model = ChurnModel.objects.get()
        assert model.kind == "bgnbd" and model.customers == 41 and set(model.params) == {"r", "alpha", "a", "b"}
        row = CustomerHealth.objects.get(customer=rina)
        assert CustomerHealth.objects.count() == 41 and not row.stale
        assert "open_tickets" not in [r["code"] for r in row.reasons]
        first_score, first_at = row.score, row.computed_at

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            receive(email="rina@example.id", body="Pesanan saya yang kemarin salah warna.")  # ticket.opened
        assert CustomerHealth.objects.get(customer=rina).stale
        assert CustomerHealth.objects.filter(stale=True).count() == 1

        result = services.health_refresh()

        assert result == {"fitted": None, "computed": 1, "stale": 1, "missing": 0}
        row = CustomerHealth.objects.get(customer=rina)
        assert not row.stale and row.computed_at > first_at and row.score < first_score
        assert {"code": "open_tickets", "params": {"count": 1}} == \
            {k: v for k, v in row.reasons[0].items() if k in ("code", "params")}
        assert ChurnModel.objects.count() == 1  # no refit within the day

    with time_machine.travel(NOW + dt.timedelta(days=1, hours=1), tick=False):
        result = services.health_refresh()
        assert result["fitted"] == "bgnbd" and result["computed"] == 41
        assert ChurnModel.objects.count() == 2
        assert CustomerHealth.objects.filter(model=ChurnModel.objects.order_by("-fitted_at").first()).count() == 41


@time_machine.travel(NOW, tick=False)
def test_a_new_customer_gets_a_row_on_the_next_run_and_a_merge_moves_it(django_capture_on_commit_callbacks):
    from tanggap.customers.services import customer_merge

    background_shop(35)
    services.health_refresh()
    newcomer = customer("baru@example.id")
    buy(newcomer, 10)
    duplicate = customer("baru.lain@example.id")
    buy(duplicate, 40)

    assert services.health_refresh() == {"fitted": None, "computed": 2, "stale": 0, "missing": 2}
    with django_capture_on_commit_callbacks(execute=True):
        customer_merge(source=duplicate, target=newcomer)

    assert not CustomerHealth.objects.filter(customer=duplicate).exists()
    assert CustomerHealth.objects.get(customer=newcomer).stale
    services.health_refresh()
    assert CustomerHealth.objects.get(customer=newcomer).orders == 2


@time_machine.travel(NOW, tick=False)
def test_cancelled_orders_and_replacements_are_not_purchases():
    rina = customer("rina@example.id")
    first, = buy(rina, 30)
    buy(rina, 20, status="cancelled")
    from tanggap.customers.models import Order

    Order.objects.filter(pk=buy(rina, 10)[0].pk).update(replacement_for=first)
    services.health_compute(customer_ids=[rina.pk])
    assert CustomerHealth.objects.get(customer=rina).orders == 1
