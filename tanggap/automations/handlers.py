"""Journey events schedule automation runs (after commit); due runs execute in the worker."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe


@subscribe(names.JOURNEY_EVENT)
def schedule_runs(event: Event) -> None:
    from tanggap.automations.services import runs_execute_due, runs_schedule
    from tanggap.journeys.models import JourneyEvent

    journey = JourneyEvent.objects.select_related("customer", "order").filter(pk=event.data["event_id"]).first()
    if journey is None:
        return
    if any(run.due_at <= journey.created_at for run in runs_schedule(event=journey)):
        from tanggap.automations.tasks import automations_run

        automations_run.enqueue()  # immediate rules need not wait for the next sweep
