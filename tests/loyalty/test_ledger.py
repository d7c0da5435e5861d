"""The points ledger: earning per rule exactly once per event, tier multipliers, spending,
adjustments, expiry (FIFO, with time_machine) and the balance row kept in step with the ledger."""

from __future__ import annotations

import pytest
import time_machine

from tanggap.common.models import AppendOnlyError
from tanggap.loyalty import selectors, services
from tanggap.loyalty.handlers import earn_points
from tanggap.events.bus import Event
from tanggap.loyalty.models import Account, EntryKind, LedgerEntry
from tests.loyalty.conftest import journey, new_customer, pay, utc

pytestmark = pytest.mark.django_db


def balance(customer) -> int:
    assert selectors.ledger_drift(customer.pk) == 0
    account = Account.objects.filter(customer=customer).first()
    return account.balance if account else 0


def test_paid_order_earns_one_point_per_rp_10000_once(programme, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event, _ = pay(customer, 1_259_000)
    assert balance(customer) == 125
    entry = LedgerEntry.objects.get(customer=customer)
    assert (entry.kind, entry.delta, entry.source_key) == ("earn", 125, f"order:{event.order_id}")
    # The same event again (a retry of the shop's report, a second delivery of the bus event): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again, created = pay(customer, 1_259_000, external_id=event.order.external_id)
    assert (again.pk, created) == (event.pk, False)
    earn_points(Event("journey.event", {"event_id": event.pk, "kind": "order_paid"}))
    assert services.earn_from_journey(event_id=event.pk) is None
    assert balance(customer) == 125 and LedgerEntry.objects.count() == 1
    # A second "paid" report of the same order under another id earns nothing either.
    from tanggap.journeys.services import event_record

    with django_capture_on_commit_callbacks(execute=True):
        event_record(kind="order_paid", external_id="paid-again", source="marketplace", customer=customer,
                     order_external_id=event.order.external_id)
    assert balance(customer) == 125 and LedgerEntry.objects.count() == 1


def test_review_survey_and_ringgit_orders_earn_by_their_rules(programme, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        journey(customer, "review_posted")
        journey(customer, "survey_answered")
        journey(customer, "site_visit")  # no rule: earns nothing
        pay(customer, 100, currency="MYR")  # 1 point per RM 3
    assert balance(customer) == 50 + 20 + 33
    assert sorted(LedgerEntry.objects.values_list("note", flat=True)) == sorted(
        ["review", "survey", LedgerEntry.objects.get(delta=33).note])


def test_no_rule_no_points(db, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pay(customer, 500_000)
    assert balance(customer) == 0 and not LedgerEntry.objects.exists()


def test_missed_event_is_earned_by_the_sweep_once(programme, customer):
    pay(customer, 300_000)  # on_commit never runs here: as if the process died after the commit
    assert balance(customer) == 0
    assert services.earn_sweep() == 1
    assert services.earn_sweep() == 0
    assert balance(customer) == 30


def test_tier_changes_at_the_threshold_and_multiplies_earning(programme, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pay(customer, 4_990_000)  # 499 points: still Perunggu
    assert Account.objects.get(customer=customer).tier.code == "perunggu"
    with django_capture_on_commit_callbacks(execute=True):
        pay(customer, 10_000)  # 500: Perak
    assert Account.objects.get(customer=customer).tier.code == "perak"
    with django_capture_on_commit_callbacks(execute=True):
        pay(customer, 1_000_000)  # 100 base x 1.25
    assert LedgerEntry.objects.filter(customer=customer).order_by("-id").first().delta == 125
    assert balance(customer) == 625


def test_referral_earns_once_per_referred_customer(programme, customer):
    friend = new_customer("teman@example.id")
    services.referral_record(referrer_id=customer.pk, referred_id=friend.pk)
    with pytest.raises(services.DomainError) as exc:
        services.referral_record(referrer_id=customer.pk, referred_id=friend.pk)
    assert exc.value.code == "already_referred"
    with pytest.raises(services.DomainError) as exc:
        services.referral_record(referrer_id=customer.pk, referred_id=customer.pk)
    assert exc.value.code == "self_referral"
    assert balance(customer) == 100


def test_spending_more_than_the_balance_is_refused_and_changes_nothing(programme, customer):
    services.points_adjust(customer_id=customer.pk, delta=120, note="migrasi", actor=None)
    entry, voucher = services.reward_redeem(customer_id=customer.pk, reward_id=programme["rewards"]["voucher"].pk)
    assert (entry.delta, entry.balance_after) == (-100, 20)
    assert voucher.customer_id == customer.pk and voucher.max_uses == 1 and voucher.discount_amount == 25_000
    with pytest.raises(services.DomainError) as exc:
        services.reward_redeem(customer_id=customer.pk, reward_id=programme["rewards"]["voucher"].pk)
    assert (exc.value.code, exc.value.status) == ("insufficient_points", 422)
    with pytest.raises(services.DomainError) as exc:
        services.points_adjust(customer_id=customer.pk, delta=-21, note="koreksi", actor=None)
    assert exc.value.code == "insufficient_points"
    assert balance(customer) == 20 and LedgerEntry.objects.count() == 2


def test_entries_are_append_only(programme, customer):
    entry = services.points_adjust(customer_id=customer.pk, delta=10, note="x", actor=None)
    entry.note = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_points_expire_fifo_after_twelve_months(programme, customer):
    with time_machine.travel(utc(2025, 1, 10), tick=False):
        services.points_adjust(customer_id=customer.pk, delta=100, note="lot Januari", actor=None)
    with time_machine.travel(utc(2025, 3, 10), tick=False):
        services.points_adjust(customer_id=customer.pk, delta=50, note="lot Maret", actor=None)
    with time_machine.travel(utc(2025, 6, 1), tick=False):
        services.points_adjust(customer_id=customer.pk, delta=-70, note="spent", actor=None)  # eats 70 of January's
    with time_machine.travel(utc(2026, 1, 9), tick=False):
        assert services.points_expire()["points"] == 0  # one day early
    with time_machine.travel(utc(2026, 1, 10, 0, 1), tick=False):
        assert services.points_expire()["points"] == 30  # what is left of January's lot
        assert services.points_expire()["points"] == 0  # the job again: nothing more
    assert balance(customer) == 50
    with time_machine.travel(utc(2026, 3, 11), tick=False):
        assert services.points_expire()["points"] == 50
    assert balance(customer) == 0
    kinds = list(LedgerEntry.objects.filter(customer=customer).order_by("id").values_list("kind", "delta"))
    assert kinds[-2:] == [(EntryKind.EXPIRE, -30), (EntryKind.EXPIRE, -50)]


def test_tier_falls_when_points_leave_the_twelve_month_window(programme, customer, django_capture_on_commit_callbacks):
    with time_machine.travel(utc(2025, 2, 1), tick=False), django_capture_on_commit_callbacks(execute=True):
        pay(customer, 25_000_000)  # 2,500 points: Emas
    assert Account.objects.get(customer=customer).tier.code == "emas"
    with time_machine.travel(utc(2026, 2, 2), tick=False):
        result = services.points_expire()
    assert result["tier_changes"] == 1
    assert Account.objects.get(customer=customer).tier.code == "perunggu"


def test_merged_customer_brings_points(programme, customer):
    from tanggap.customers.services import customer_merge

    other = new_customer("rina.lain@example.id")
    services.points_adjust(customer_id=customer.pk, delta=40, note="a", actor=None)
    services.points_adjust(customer_id=other.pk, delta=60, note="b", actor=None)
    customer_merge(source=other, target=customer)
    assert balance(customer) == 100


def test_the_hourly_job_expires_points_through_the_worker(programme, customer):
    from django.core.management import call_command

    from tanggap.loyalty.tasks import loyalty_expire
    from tanggap.schedule import jobs

    assert jobs()["loyalty_expire"] == ("tanggap.loyalty.tasks.loyalty_expire", 3600)
    with time_machine.travel(utc(2025, 1, 10), tick=False):
        services.points_adjust(customer_id=customer.pk, delta=80, note="lama", actor=None)
    with time_machine.travel(utc(2026, 1, 11), tick=False):
        loyalty_expire.enqueue()
        call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)
    assert balance(customer) == 0
    assert LedgerEntry.objects.filter(customer=customer, kind="expire").get().delta == -80
