"""A job left RUNNING by a worker that was killed is run again (tanggap.common.tasks)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tanggap.common.tasks import tasks_requeue_stalled
from tanggap.conversations.models import Ticket

pytestmark = pytest.mark.django_db


def work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, queue_name="*", verbosity=0)


def killed_mid_job(started_at):
    """What a worker leaves behind when SIGKILLed while running the job."""
    DBTaskResult.objects.update(status="RUNNING", started_at=started_at, worker_ids=["killed-worker"])


def test_a_job_left_running_by_a_killed_worker_runs_again(api, inbound_message):
    api.post("/messages", inbound_message(), Prefer="respond-async")
    killed_mid_job(timezone.now())
    work()  # the worker does not touch a RUNNING job
    assert not Ticket.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert tasks_requeue_stalled() == 0  # could still be running somewhere
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        assert tasks_requeue_stalled() == 1
        work()
    assert Ticket.objects.count() == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_requeue_is_a_periodic_job():
    from tanggap.schedule import jobs

    path, every = jobs()["requeue_stalled"]
    assert path == "tanggap.common.tasks.requeue_stalled" and every <= 600
