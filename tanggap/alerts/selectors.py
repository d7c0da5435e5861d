"""Reads for alerts, signals and streams (all staff may read them)."""

from __future__ import annotations

from tanggap.alerts.models import Alert, Bucket, Signal, Stream
from tanggap.common.errors import NotFound


def signal_get(*, signal_id: int) -> Signal:
    signal = Signal.objects.filter(pk=signal_id).select_related("alert").first()
    if signal is None:
        raise NotFound("signal_not_found", "No such signal.")
    return signal


def alert_list(*, incident_id: int | None = None, stream: str = "", after_id: int | None = None,
               limit: int = 50) -> list[Alert]:
    qs = Alert.objects.select_related("stream", "signal").order_by("-id")
    if incident_id is not None:
        qs = qs.filter(incident_id=incident_id)
    if stream:
        qs = qs.filter(stream__key=stream)
    if after_id:
        qs = qs.filter(pk__lt=after_id)
    return list(qs[:max(1, min(limit, 200))])


def incident_alerts(*, incident_id: int) -> list[Alert]:
    return list(Alert.objects.filter(incident_id=incident_id).select_related("stream", "signal").order_by("bucket", "id"))


def stream_series(*, stream: Stream, start, end) -> dict:
    """{hour: count} of a stream between two hours (inclusive start, exclusive end)."""
    return dict(Bucket.objects.filter(stream=stream, start__gte=start, start__lt=end).values_list("start", "count"))
