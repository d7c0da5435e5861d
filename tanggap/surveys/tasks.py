"""Background task for surveys."""

from django_tasks import task

from tanggap.surveys import services


@task()
def surveys_tick() -> dict:
    """Periodic (every minute, ``tanggap/schedule.py``): schedule delivered + N days and periodic
    surveys, then send the due ones."""
    return services.surveys_tick()
