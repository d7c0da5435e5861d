"""CSV import of journey events, row by row with a report.

events.csv, one event per row (``external_id`` and ``kind`` required; the rest may be empty or
left out)::

    external_id,kind,occurred_at,source,channel,customer_id,customer_email,customer_phone,
    customer_handle,customer_name,order,product,summary,data

Why row by row, when products and orders are all or nothing: an event log is a stream of
independent facts, each idempotent by (source, external_id). One malformed line in a
100,000-line export of site visits should not hold back the other 99,999, and nothing is lost
by keeping the good rows: running the corrected file again stores only the rows that failed
(the others answer "already stored"). Orders are different: their lines build one order
together, and a half-imported catalogue would be wrong. What stays all or nothing here is the
file itself — it is read once through before anything is written, and a file that cannot be
read (not UTF-8, missing columns) imports nothing.

Rows are written in chunks of ``CHUNK`` per transaction (each row in its own savepoint), so a
big file does not hold one long write lock, and each chunk's ``journey.event`` events are
published when it commits.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tanggap.common.errors import DomainError
from tanggap.journeys.choices import Kind
from tanggap.journeys.services import event_identity, event_record

COLUMNS = ["external_id", "kind", "occurred_at", "source", "channel", "customer_id", "customer_email",
           "customer_phone", "customer_handle", "customer_name", "order", "product", "summary", "data"]
REQUIRED = ["external_id", "kind"]
CHUNK = 500


@dataclass
class EventImportResult:
    rows: int = 0
    created: int = 0
    existing: int = 0  # already stored (same source and external_id): left as they are
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, problem); line 0: the file

    @property
    def failed(self) -> int:
        return len({line for line, _ in self.errors if line})


def _open(path: Path):
    return open(path, newline="", encoding="utf-8-sig")


def _check_file(path: Path, result: EventImportResult) -> int:
    """Read the whole file once: its header, its encoding, its CSV structure. Returns the row count."""
    try:
        fh = _open(path)
    except OSError as exc:
        result.errors.append((0, f"cannot open the file: {exc.strerror}"))
        return 0
    with fh:
        try:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                result.errors.append((1, f"missing column(s): {', '.join(missing)}"))
                return 0
            return sum(1 for _ in reader)
        except (csv.Error, UnicodeDecodeError) as exc:
            result.errors.append((0, f"not a readable UTF-8 CSV file: {exc}"))
            return 0


def _fields(row: dict) -> dict:
    """A CSV row → the keyword arguments of ``event_record``; a bad cell raises DomainError."""
    kind = row.get("kind", "")
    if kind not in Kind.values:
        raise DomainError("unknown_kind", f"kind '{kind}' is not one of {', '.join(Kind.values)}")
    occurred_at = None
    if row.get("occurred_at"):
        try:
            occurred_at = dt.datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00"))
        except ValueError:
            raise DomainError("invalid_datetime", f"occurred_at '{row['occurred_at']}' is not an ISO-8601 date-time") from None
        if occurred_at.tzinfo is None:
            raise DomainError("naive_datetime", f"occurred_at '{row['occurred_at']}' needs a time zone offset (e.g. +07:00)")
    customer_id = row.get("customer_id") or None
    if customer_id is not None:
        if not customer_id.isdigit():
            raise DomainError("invalid_input", f"customer_id '{customer_id}' is not a number")
        customer_id = int(customer_id)
    data = {}
    if row.get("data"):
        try:
            data = json.loads(row["data"])
        except ValueError:
            raise DomainError("invalid_input", "data is not valid JSON") from None
        if not isinstance(data, dict):
            raise DomainError("invalid_input", "data must be a JSON object ({...})")
    channel = row.get("channel", "")
    return {
        "kind": kind, "external_id": row.get("external_id", ""), "source": row.get("source", ""),
        "occurred_at": occurred_at, "customer_id": customer_id, "channel": channel,
        "identity": event_identity(email=row.get("customer_email", ""), phone=row.get("customer_phone", ""),
                                   handle=row.get("customer_handle", ""), name=row.get("customer_name", ""),
                                   channel=channel),
        "order_external_id": row.get("order", ""), "product_sku": row.get("product", ""),
        "summary": row.get("summary", ""), "data": data,
    }


def _record(line: int, row: dict, result: EventImportResult) -> None:
    try:
        with transaction.atomic():  # a savepoint: a failed row leaves nothing behind
            _, created = event_record(**_fields(row))
    except DomainError as exc:
        result.errors.append((line, exc.message))
        return
    result.created += created
    result.existing += not created


def import_events(path: Path, *, progress: Callable[[int], None] = lambda n: None,
                  total: Callable[[int], None] = lambda n: None) -> EventImportResult:
    """Import every good row; report each bad one with its line number. ``total`` is told the
    row count once the file has been checked, ``progress`` the rows done as they go."""
    result = EventImportResult()
    rows = _check_file(path, result)
    if result.errors:
        return result
    result.rows = rows
    total(rows)
    with _open(path) as fh:
        reader = csv.DictReader(fh)
        chunk: list[tuple[int, dict]] = []
        for row in reader:
            chunk.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
            if len(chunk) == CHUNK:
                _write(chunk, result, progress)
                chunk = []
        if chunk:
            _write(chunk, result, progress)
    return result


def _write(chunk: list[tuple[int, dict]], result: EventImportResult, progress: Callable[[int], None]) -> None:
    with transaction.atomic():
        for line, row in chunk:
            _record(line, row, result)
    progress(len(chunk))
