"""Background tasks of the portal: each fetches by id and calls one service."""

from django_tasks import task

from tanggap.portal import services


@task(queue_name="outbound")
def send_login_link(*, link_id: int) -> str:
    return services.login_link_send(link_id=link_id)
