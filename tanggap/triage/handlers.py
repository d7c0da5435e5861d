"""Triage follows intake by subscribing to its event: after commit, enqueue a stored task.
Intake never waits on a model."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe


@subscribe(names.MESSAGE_RECEIVED)
def _enqueue_triage(event: Event) -> None:
    from django.conf import settings

    if not getattr(settings, "TANGGAP_TRIAGE", True):
        return  # turned off (TANGGAP_TRIAGE=0)
    if event.data.get("automated"):
        return  # auto-replies and bounces are never answered: nothing to triage
    from tanggap.triage.tasks import triage_message

    triage_message.enqueue(event.data["message_id"])
