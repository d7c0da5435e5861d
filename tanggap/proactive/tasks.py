"""Background tasks for proactive notices."""

from django_tasks import task

from tanggap.proactive import services


@task()
def notices_send() -> dict:
    """Periodic (every minute, ``tanggap/schedule.py``): send due notice drafts, throttled."""
    return services.notices_send()
