"""Background tasks for promises and progress updates."""

from django_tasks import task

from tanggap.promises import services


@task()
def promise_sweep() -> dict:
    return services.promise_sweep()
