from django_tasks import task

from tanggap.automations import services


@task()
def automations_run() -> int:
    return services.runs_execute_due()
