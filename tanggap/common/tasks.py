"""Housekeeping of the job queue itself."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django_tasks import task

from tanggap.common.clock import now

log = logging.getLogger(__name__)


def tasks_requeue_stalled(*, older_than: dt.timedelta | None = None) -> int:
    """Put back in the queue the jobs a worker started and never finished.

    django-tasks' database backend marks a job RUNNING when a worker takes it; a worker killed
    (SIGKILL, out of memory, a power cut) in the middle leaves it RUNNING for ever, and nothing
    runs it again. Outbound delivery and inbound processing have sweeps of their own, but a
    one-off job (a portal sign-in link, an SLA recompute) would be lost. A job RUNNING for longer
    than any job takes (TANGGAP_TASK_STALL_MINUTES, 30 by default) is made READY again; jobs are
    written to be safe to run twice. Returns how many were requeued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    older_than = older_than or dt.timedelta(minutes=settings.TANGGAP_TASK_STALL_MINUTES)
    stalled = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now() - older_than)
    count = stalled.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        log.warning("requeued %d job(s) left running by a worker that stopped", count)
    return count


@task()
def requeue_stalled() -> int:
    return tasks_requeue_stalled()
