"""Scheduling and running automation rules.

- ``runs_schedule(event)``: when a journey event is stored, one ``AutomationRun`` per active
  rule whose trigger is the event's kind and whose conditions hold, due at the event's time
  plus the rule's delay. Unique per (rule, event): scheduling twice stores nothing new.
- ``runs_execute_due()``: the worker (every 60 s) claims each due run with a conditional
  UPDATE (scheduled → running) and runs its action in one transaction with the run's outcome,
  so a run happens once even with several workers or after a restart.
- Customers who opted out of proactive contact are skipped (recorded, not silently dropped).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from tanggap.automations.actions import get_action
from tanggap.automations.models import AutomationRule, AutomationRun, RunStatus
from tanggap.common.clock import now
from tanggap.common.errors import DomainError

log = logging.getLogger(__name__)


def conditions_hold(rule: AutomationRule, event) -> bool:
    c = rule.conditions or {}
    customer, order = event.customer, event.order
    checks = [
        (c.get("regions"), order.region if order and order.region else customer.region),
        (c.get("tiers"), customer.tier),
        (c.get("countries"), customer.country),
    ]
    if any(allowed and value not in allowed for allowed, value in checks):
        return False
    categories = c.get("product_categories")
    if categories:
        if order is None:
            return False
        have = set(order.lines.values_list("product__category", flat=True))
        if not have & set(categories):
            return False
    return True


def runs_schedule(*, event) -> list[AutomationRun]:
    created = []
    for rule in AutomationRule.objects.filter(active=True, trigger=event.kind):
        if not conditions_hold(rule, event):
            continue
        try:
            with transaction.atomic():
                created.append(AutomationRun.objects.create(
                    rule=rule, event=event, customer=event.customer,
                    due_at=event.occurred_at + dt.timedelta(minutes=rule.delay_minutes)))
        except IntegrityError:  # already scheduled for this event
            continue
    return created


def run_execute(*, run_id: int, at: dt.datetime | None = None) -> str | None:
    """Run one scheduled run if it is still scheduled; returns its final status."""
    at = at or now()
    with transaction.atomic():
        if not AutomationRun.objects.filter(pk=run_id, status=RunStatus.SCHEDULED).update(status=RunStatus.RUNNING):
            return None  # another worker has it, or it already ran
        run = AutomationRun.objects.select_related("rule", "event__order", "customer").get(pk=run_id)
        customer = run.customer.merged_into or run.customer
        run.customer = customer
        if customer.proactive_opt_out:
            status, result, ticket = RunStatus.SKIPPED, "the customer opted out of proactive contact", None
        else:
            try:
                with transaction.atomic():
                    status, result, ticket = get_action(run.rule.action)(run)
            except DomainError as exc:
                status, result, ticket = RunStatus.FAILED, exc.message[:300], None
        AutomationRun.objects.filter(pk=run.pk).update(status=status, result=result[:300], ran_at=at,
                                                       ticket=ticket, customer=customer)
        return status


def runs_execute_due(*, at: dt.datetime | None = None, limit: int = 200) -> int:
    at = at or now()
    ids = list(AutomationRun.objects.filter(status=RunStatus.SCHEDULED, due_at__lte=at)
               .order_by("due_at", "id").values_list("pk", flat=True)[:limit])
    done = 0
    for run_id in ids:
        try:
            if run_execute(run_id=run_id, at=at):
                done += 1
        except Exception:  # one broken run must not stop the others; it stays 'running' for a look
            log.exception("automation run %s failed", run_id)
    return done
