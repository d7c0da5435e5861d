"""Background tasks of recommendations (stored django-tasks jobs, run by ``tanggap worker``)."""

from django_tasks import task


@task()
def recommend_train() -> dict:
    """Train a new version of the recommender from all orders (daily, or when a manager asks)."""
    from tanggap.recommend import services

    return services.model_train()
