"""A stored order's journey event claims the daily retraining of the recommender (once a day,
whichever worker sees an order first); the periodic job in tanggap/schedule.py does the same on a
quiet day."""

from tanggap.events import names
from tanggap.events.bus import Event, subscribe

ORDER_KINDS = {"order_placed", "order_paid", "order_delivered"}


@subscribe(names.JOURNEY_EVENT)
def retrain_when_due(event: Event) -> None:
    if event.data.get("kind") not in ORDER_KINDS:
        return
    from tanggap.recommend.services import retrain_if_due

    retrain_if_due()
