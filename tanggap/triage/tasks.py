"""Background tasks of triage (stored django-tasks jobs, run by ``tanggap worker``)."""

from django_tasks import task


@task()
def triage_message(message_id: int) -> dict:
    """Triage one inbound message (enqueued on message.received), then enqueue the daily
    retraining of the category model if it is due."""
    from tanggap.triage import services

    row = services.message_triage(message_id=message_id)
    services.retrain_if_due()
    if row is None:
        return {"message_id": message_id, "skipped": True}
    return {"message_id": message_id, "language": row.language, "category": row.category,
            "sentiment": row.sentiment, "urgency": row.urgency, "applied": row.applied}


@task()
def category_retrain() -> dict:
    """Train a new version of the category model from the agents' labels (daily)."""
    from tanggap.triage import category

    return category.train()


@task()
def sentiment_retrain() -> dict:
    """Train a new version of the sentiment model from the agents' labels (daily, with the
    category model's retraining)."""
    from tanggap.triage import sentiment

    return sentiment.train_from_labels()
