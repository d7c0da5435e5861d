"""Background tasks: each fetches by id and calls one service."""

from django_tasks import task

from tanggap.conversations import delivery


@task(queue_name="outbound")
def deliver_message(*, message_id: int) -> str:
    return delivery.message_deliver(message_id=message_id)


@task()
def sweep_outbound() -> int:
    return delivery.outbound_sweep()
