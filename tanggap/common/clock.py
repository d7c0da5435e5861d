"""One place to ask the time, so tests can control it with time-machine."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """Aware UTC now."""
    return timezone.now()
