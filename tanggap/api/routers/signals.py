"""Signals from monitors (POST /signals) and the alerts raised on them or by the detector
(GET /alerts). The rules live in alerts.services (docs/alerts.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tanggap.alerts import selectors, services
from tanggap.alerts.models import Severity
from tanggap.api.schemas import DateTimeIn, ErrorOut

router = Router()


class SignalIn(Schema):
    source: str = Field(min_length=1, max_length=50, description="the reporting system, e.g. courier-monitor")
    external_id: str = Field(min_length=1, max_length=200, description="its id there; idempotency key with source")
    name: str = Field(min_length=1, max_length=60, description="courier_delay, payment_errors, outage, ...")
    severity: str = Field(default=Severity.WARNING, description="info | warning | critical; warning and above "
                                                                "raise an alert at once")
    value: float | None = Field(default=None, description="a measure, e.g. delayed parcels or error rate")
    summary: str = Field(default="", max_length=300)
    scope: dict[str, Any] = Field(default_factory=dict, description="any of courier, region, products (skus), "
                                                                   "product_ids, category, channel")
    occurred_at: DateTimeIn | None = Field(default=None, description="with a time zone; default now")


class SignalOut(Schema):
    id: int
    source: str
    external_id: str
    name: str
    severity: str
    value: float | None
    summary: str
    scope: dict[str, Any]
    occurred_at: dt.datetime
    created_at: dt.datetime
    created: bool
    alert_id: int | None
    incident_id: int | None


class AlertOut(Schema):
    id: int
    stream: str | None = Field(description="the stream's key, e.g. region:Medan; null for a signal")
    signal_id: int | None
    bucket: dt.datetime = Field(description="the flagged hour (a signal: when it occurred)")
    observed: int
    expected: float
    p_value: float | None
    window: int
    opens: bool
    incident_id: int | None
    created_at: dt.datetime


class AlertQuery(Schema):
    incident_id: int | None = None
    stream: str = ""
    after_id: int | None = Field(default=None, description="keyset: the last id of the previous page")
    limit: int = Field(default=50, ge=1, le=200)


def _naive(value: dt.datetime | None) -> None:
    from tanggap.common.errors import DomainError

    if value is not None and value.tzinfo is None:
        raise DomainError("naive_datetime", "occurred_at needs a time zone (e.g. 2026-11-24T10:00:00+07:00).",
                          status=422)


def signal_out(signal, created: bool) -> dict:
    alert = getattr(signal, "alert", None)
    return {"id": signal.pk, "source": signal.source, "external_id": signal.external_id, "name": signal.name,
            "severity": signal.severity, "value": signal.value, "summary": signal.summary, "scope": signal.scope,
            "occurred_at": signal.occurred_at, "created_at": signal.created_at, "created": created,
            "alert_id": alert.pk if alert else None, "incident_id": alert.incident_id if alert else None}


def alert_out(a) -> dict:
    return {"id": a.pk, "stream": a.stream.key if a.stream_id else None, "signal_id": a.signal_id,
            "bucket": a.bucket, "observed": a.observed, "expected": a.expected, "p_value": a.p_value,
            "window": a.window, "opens": a.opens, "incident_id": a.incident_id, "created_at": a.created_at}


@router.post("/signals", response={200: SignalOut, 201: SignalOut, 400: ErrorOut, 422: ErrorOut})
def signal_post(request: HttpRequest, payload: SignalIn):
    """Record a monitor's signal. Idempotent by (source, external_id): a repeat answers 200
    with the stored signal and `created: false`. A signal of severity `warning` or above
    raises an alert that opens an incident with the signal's scope, or joins an active one
    with the same courier / region / product / category / channel.

    Errors (422): `invalid_name`, `invalid_severity`, `invalid_scope`, `unknown_product`,
    `naive_datetime`, `missing_external_id`."""
    _naive(payload.occurred_at)
    signal, created = services.signal_record(
        source=payload.source, external_id=payload.external_id, name=payload.name, severity=payload.severity,
        value=payload.value, summary=payload.summary, scope=payload.scope, occurred_at=payload.occurred_at)
    signal = selectors.signal_get(signal_id=signal.pk)
    return Status(201 if created else 200, signal_out(signal, created))


@router.get("/alerts", response={200: list[AlertOut]})
def alert_list(request: HttpRequest, query: Query[AlertQuery]):
    """Alerts, newest first: rises flagged on streams and severe signals, with the incident
    each opened or joined. Filter by `incident_id` or `stream` (a key such as region:Medan)."""
    return [alert_out(a) for a in selectors.alert_list(incident_id=query.incident_id, stream=query.stream,
                                                       after_id=query.after_id, limit=query.limit)]
