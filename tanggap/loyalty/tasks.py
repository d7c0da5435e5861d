"""Background tasks of loyalty (declared in tanggap/schedule.py)."""

from django_tasks import task

from tanggap.loyalty import services


@task()
def loyalty_expire() -> dict:
    """Expire points past their date (FIFO) and refresh tiers; also earn for missed events."""
    result = services.points_expire()
    result["earned_late"] = services.earn_sweep()
    return result
