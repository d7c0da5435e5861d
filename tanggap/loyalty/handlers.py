"""Loyalty earns from journey events after they commit (order paid, review posted, survey
answered). One earning per event: the entry's source_key ``journey:<id>`` is unique, so a repeat
of the event or of this handler earns nothing more; ``loyalty_sweep`` earns for an event whose
handler never ran (a crash right after the commit)."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe

EARNING = {"order_paid", "review_posted", "survey_answered"}


@subscribe(names.JOURNEY_EVENT)
def earn_points(event: Event) -> None:
    if event.data.get("kind") not in EARNING:
        return
    from tanggap.loyalty.services import earn_from_journey

    earn_from_journey(event_id=event.data["event_id"])
