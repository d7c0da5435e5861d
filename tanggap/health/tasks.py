"""Background task of customer health (declared in tanggap/schedule.py, hourly)."""

from django_tasks import task


@task()
def health_refresh() -> dict:
    """Refit the churn model when it is a day old, then recompute stale and missing health rows."""
    from tanggap.health import services

    return services.health_refresh()
