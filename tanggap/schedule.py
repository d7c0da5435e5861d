"""Every periodic job, declared in one place. ``tanggap worker`` enqueues each when due."""

from __future__ import annotations

import datetime as dt
import importlib

from django.conf import settings
from django.db import transaction

from tanggap.common.clock import now

# name -> (task path, interval in seconds)
def jobs() -> dict[str, tuple[str, int]]:
    table = {
        "sweep_outbound": ("tanggap.conversations.tasks.sweep_outbound", 30),
        "sweep_inbound": ("tanggap.channels.tasks.sweep_inbound", 60),
        "sla_sweep": ("tanggap.sla.tasks.sla_sweep", 60),
        "promise_sweep": ("tanggap.promises.tasks.promise_sweep", 60),
        "alerts_detect": ("tanggap.alerts.tasks.alerts_detect", 300),
        "automations_run": ("tanggap.automations.tasks.automations_run", 60),
        "notices_send": ("tanggap.proactive.tasks.notices_send", 60),
        "surveys_tick": ("tanggap.surveys.tasks.surveys_tick", 60),
        "loyalty_expire": ("tanggap.loyalty.tasks.loyalty_expire", 3600),  # expiry, tiers, missed earnings
        "ideas_refresh": ("tanggap.knowledge.tasks.ideas_refresh", 86400),  # content ideas, daily
        "search_optimize": ("tanggap.knowledge.tasks.search_optimize", 86400),  # merge the search index, daily
        "requeue_stalled": ("tanggap.common.tasks.requeue_stalled", 300),
        "recommend_train": ("tanggap.recommend.tasks.recommend_train", 86400),  # recommendations, daily
        "health_refresh": ("tanggap.health.tasks.health_refresh", 3600),  # churn model daily, stale health rows hourly
    }
    if settings.TANGGAP_IMAP["host"]:
        table["poll_imap"] = ("tanggap.channels.tasks.poll_imap", settings.TANGGAP_IMAP["interval_seconds"])
    return table


def _task(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def run_due() -> list[str]:
    """Enqueue every job whose time has come; safe to call from many workers at once."""
    from tanggap.common.models import PeriodicJob

    enqueued = []
    t = now()
    for name, (path, interval) in jobs().items():
        job, _ = PeriodicJob.objects.get_or_create(name=name, defaults={"interval_seconds": interval, "next_run_at": t})
        if job.next_run_at > t:
            continue
        with transaction.atomic():
            won = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                next_run_at=t + dt.timedelta(seconds=interval), last_run_at=t, interval_seconds=interval)
            if won:
                _task(path).enqueue()
                enqueued.append(name)
    return enqueued
