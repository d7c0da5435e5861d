"""Business-time arithmetic: "4 business hours after Friday 16:00 in Jakarta" is Monday 11:00.

Pure functions over a ``CalendarSpec`` (built from the models by ``selectors.calendar_spec``),
so SLA clocks, promises and scheduled updates all compute time the same way. Inputs and
outputs are aware datetimes; results are in UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

import holidays

from tanggap.common.errors import DomainError

MAX_DAYS = 366 * 3  # a calendar that is never open within this span is a configuration error


@dataclass(frozen=True)
class CalendarSpec:
    time_zone: str = "Asia/Jakarta"
    # weekday (0 = Monday) -> sorted, non-overlapping (opens, closes) local times
    periods: dict[int, tuple[tuple[dt.time, dt.time], ...]] = field(default_factory=dict)
    country: str = ""
    subdivision: str = ""
    observe_collective_leave: bool = True
    closed_days: frozenset[dt.date] = frozenset()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


@functools.lru_cache(maxsize=256)
def _holidays(country: str, subdivision: str, collective: bool, year: int) -> frozenset[dt.date]:
    categories = ("public", "government") if country == "ID" and collective else ("public",)
    days = holidays.country_holidays(country, subdiv=subdivision or None, years=year, categories=categories)
    return frozenset(days)


def is_closed_day(spec: CalendarSpec, day: dt.date) -> bool:
    if day in spec.closed_days:
        return True
    return bool(spec.country) and day in _holidays(spec.country, spec.subdivision, spec.observe_collective_leave, day.year)


def _windows(spec: CalendarSpec, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open windows (UTC) from the local day of ``start`` onwards, clipped to start at ``start``."""
    if not any(spec.periods.values()):
        raise DomainError("calendar_never_open", "The business calendar has no opening hours.")
    zone = spec.zone
    day = start.astimezone(zone).date()
    for _ in range(MAX_DAYS):
        if not is_closed_day(spec, day):
            for opens, closes in spec.periods.get(day.weekday(), ()):
                w_start = dt.datetime.combine(day, opens, tzinfo=zone).astimezone(dt.UTC)
                w_end = dt.datetime.combine(day, closes, tzinfo=zone).astimezone(dt.UTC)
                if w_end > start:
                    yield max(w_start, start), w_end
        day += dt.timedelta(days=1)
    raise DomainError("calendar_never_open", f"The business calendar is not open at all in {MAX_DAYS} days.")


def add_business_time(spec: CalendarSpec, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """The moment ``duration`` of open time has passed after ``start``."""
    start = start.astimezone(dt.UTC)
    remaining = duration
    if remaining <= dt.timedelta(0):
        return start
    for w_start, w_end in _windows(spec, start):
        length = w_end - w_start
        if remaining <= length:
            return w_start + remaining
        remaining -= length
    raise AssertionError("unreachable: _windows raises when it runs out")


def business_time_between(spec: CalendarSpec, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Open time in [start, end). Zero when end is not after start."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    total = dt.timedelta(0)
    if end <= start:
        return total
    for w_start, w_end in _windows(spec, start):
        if w_start >= end:
            break
        total += min(w_end, end) - w_start
    return total


def is_open(spec: CalendarSpec, at: dt.datetime) -> bool:
    local = at.astimezone(spec.zone)
    if is_closed_day(spec, local.date()):
        return False
    return any(opens <= local.time() < closes for opens, closes in spec.periods.get(local.weekday(), ()))


def next_open(spec: CalendarSpec, at: dt.datetime) -> dt.datetime:
    """``at`` itself when open, else the start of the next open window (UTC)."""
    return next(iter(_windows(spec, at.astimezone(dt.UTC))))[0]
