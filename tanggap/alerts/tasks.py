"""Background tasks for alerts: count finished hours and run the detector on every stream."""

from django_tasks import task

from tanggap.alerts import services


@task()
def alerts_detect() -> dict:
    alerts = services.detect_due()
    return {"alerts": len(alerts), "incidents": len({a.incident_id for a in alerts if a.incident_id})}
