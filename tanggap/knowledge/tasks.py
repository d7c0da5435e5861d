"""Background task of the knowledge base (declared in tanggap/schedule.py)."""

from django_tasks import task

from tanggap.knowledge.ideas import ideas_compute


@task()
def ideas_refresh() -> dict:
    """Daily: group the last 8 weeks of tickets into themes again, so the managers' "Ide konten"
    page follows complaints without anyone pressing "Recompute now"."""
    run = ideas_compute()
    return {"run": run.pk, "tickets": run.tickets, "themes": len(run.themes)}
