"""Concurrency on PostgreSQL: many threads (each with its own database connection, so its own
transaction and session on the server) spend points or redeem one code at the same moment.
Skipped on SQLite, whose in-memory test database other connections cannot see (SQLite
serialises writers with its write lock anyway: tanggap/common/sqlite)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tanggap.common.errors import DomainError
from tanggap.loyalty import selectors, services
from tanggap.loyalty.models import Account, LedgerEntry, VoucherUse
from tests.loyalty.conftest import make_programme, new_customer

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: threads share the test database"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 12


def race(fn, n: int = THREADS) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", fn(i))
        except DomainError as exc:
            results[i] = ("refused", exc.code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_concurrent_spending_never_takes_the_balance_below_zero():
    programme = make_programme()
    customer = new_customer("rebutan@example.id")
    services.points_adjust(customer_id=customer.pk, delta=450, note="saldo awal", actor=None)  # 4 rewards of 100
    reward = programme["rewards"]["voucher"]
    results = race(lambda i: services.reward_redeem(customer_id=customer.pk, reward_id=reward.pk)[1].code)
    assert not [r for r in results if r[0] == "error"], results
    spent = [r for r in results if r[0] == "ok"]
    assert len(spent) == 4
    assert sorted(r[1] for r in results if r[0] == "refused") == ["insufficient_points"] * (THREADS - 4)
    account = Account.objects.get(customer=customer)
    assert account.balance == 50 and selectors.ledger_drift(customer.pk) == 0
    debits = -sum(LedgerEntry.objects.filter(customer=customer, delta__lt=0).values_list("delta", flat=True))
    assert debits == 400 <= 450
    # every balance_after is the running sum: no two spends saw the same balance
    running = 0
    for delta, after in LedgerEntry.objects.filter(customer=customer).order_by("id").values_list("delta", "balance_after"):
        running += delta
        assert after == running >= 0


def test_single_use_code_is_redeemed_once_when_requests_race():
    make_programme()
    buyers = [new_customer(f"pembeli{i}@example.id") for i in range(THREADS)]
    services.voucher_create(code="FLASH11", discount_amount=11_000, max_uses=1)
    results = race(lambda i: services.voucher_redeem(code="flash11", customer_id=buyers[i].pk, order_ref=f"o{i}").pk)
    assert not [r for r in results if r[0] == "error"], results
    assert len([r for r in results if r[0] == "ok"]) == 1
    assert sorted(r[1] for r in results if r[0] == "refused") == ["voucher_used"] * (THREADS - 1)
    assert VoucherUse.objects.count() == 1


def test_limited_code_with_per_customer_limit_under_a_race():
    make_programme()
    buyers = [new_customer(f"b{i}@example.id") for i in range(3)]
    services.voucher_create(code="PAYDAY", discount_percent=10, max_uses=5, per_customer=1)
    # 12 requests from 3 customers: each customer once, 3 uses in all
    results = race(lambda i: services.voucher_redeem(code="PAYDAY", customer_id=buyers[i % 3].pk).pk)
    assert not [r for r in results if r[0] == "error"], results
    assert len([r for r in results if r[0] == "ok"]) == 3
    assert {r[1] for r in results if r[0] == "refused"} == {"voucher_customer_limit"}
    assert sorted(VoucherUse.objects.values_list("customer_id", flat=True)) == sorted(b.pk for b in buyers)
