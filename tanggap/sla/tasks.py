"""Background tasks for SLA clocks."""

from django_tasks import task

from tanggap.sla import services


@task()
def sla_sweep() -> int:
    return services.sla_sweep()


@task()
def sla_recompute_open() -> int:
    return services.sla_recompute_open()
