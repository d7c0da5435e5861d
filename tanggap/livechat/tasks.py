"""Background jobs of live chat (django-tasks, stored rows)."""

from django_tasks import task

from tanggap.livechat import services


@task()
def send_transcript(*, conversation_id: int, email: str) -> int | None:
    return services.transcript_send(conversation_id=conversation_id, email=email)
