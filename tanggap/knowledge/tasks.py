"""Background tasks of the knowledge base (declared in tanggap/schedule.py)."""

from django_tasks import task

from tanggap.knowledge import search
from tanggap.knowledge.ideas import ideas_compute


@task()
def ideas_refresh() -> dict:
    """Daily: group the last 8 weeks of tickets into themes again, so the managers' "Ide konten"
    page follows complaints without anyone pressing "Recompute now"."""
    run = ideas_compute()
    return {"run": run.pk, "tickets": run.tickets, "themes": len(run.themes)}


@task()
def search_optimize() -> dict:
    """Daily: merge the SQLite search index into one segment (``search.index_optimize``; nothing
    to do on PostgreSQL). Idempotent, seconds of work on 100,000 articles."""
    search.index_optimize()
    return {"optimized": True}
