"""CSV imports of products and orders: every row is checked first, bad rows are reported
with their line numbers, and nothing is written unless the whole file is good.

products.csv: ``sku,name,category,price``
orders.csv (one row per order line, rows of one order share ``external_id``):
``external_id,customer_email,customer_phone,customer_name,sku,quantity,unit_price,status,placed_at,currency,courier,region``
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from tanggap.channels.normalized import InboundIdentity
from tanggap.customers.models import Order, Product
from tanggap.customers.services import LineInput, customer_find_or_create, order_create, product_upsert

PRODUCT_COLUMNS = ["sku", "name", "category", "price"]
ORDER_COLUMNS = ["external_id", "customer_email", "customer_phone", "customer_name", "sku", "quantity",
                 "unit_price", "status", "placed_at", "currency", "courier", "region"]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0  # products updated, or orders already present (left as they are)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, problem)


def _rows(path: Path, required: list[str], result: ImportResult) -> list[tuple[int, dict]]:
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        result.errors.append((0, f"cannot open the file: {exc.strerror}"))
        return []
    with fh:
        try:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                result.errors.append((1, f"missing column(s): {', '.join(missing)}"))
                return []
            rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
        except (csv.Error, UnicodeDecodeError) as exc:
            result.errors.append((0, f"not a readable UTF-8 CSV file: {exc}"))
            return []
    result.rows = len(rows)
    return rows


def _decimal(value: str, line: int, name: str, result: ImportResult) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        result.errors.append((line, f"{name} '{value}' is not a number"))
        return None


def import_products(path: Path, *, progress: Callable[[int], None] = lambda n: None) -> ImportResult:
    result = ImportResult()
    rows = _rows(path, ["sku", "name"], result)
    for line, row in rows:
        if not row.get("sku") or not row.get("name"):
            result.errors.append((line, "sku and name are required"))
        _decimal(row.get("price", ""), line, "price", result)
    if result.errors:
        return result
    with transaction.atomic():
        for _, row in rows:
            _, created = product_upsert(sku=row["sku"], name=row["name"], category=row.get("category", ""),
                                        price=row.get("price") or 0)
            result.created += created
            result.updated += not created
            progress(1)
    return result


def _parse_time(value: str, line: int, result: ImportResult) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        result.errors.append((line, f"placed_at '{value}' is not an ISO-8601 date-time"))
        return None
    if parsed.tzinfo is None:
        result.errors.append((line, f"placed_at '{value}' needs a time zone offset (e.g. +07:00)"))
        return None
    return parsed


def import_orders(path: Path, *, progress: Callable[[int], None] = lambda n: None) -> ImportResult:
    result = ImportResult()
    rows = _rows(path, ["external_id", "sku"], result)
    orders: dict[str, list[tuple[int, dict]]] = {}
    known_skus = set(Product.objects.values_list("sku", flat=True))
    for line, row in rows:
        if not row.get("external_id"):
            result.errors.append((line, "external_id is required"))
            continue
        if not (row.get("customer_email") or row.get("customer_phone")):
            result.errors.append((line, "customer_email or customer_phone is required"))
        if row.get("sku") not in known_skus:
            result.errors.append((line, f"unknown product sku '{row.get('sku')}'"))
        quantity = row.get("quantity") or "1"
        if not quantity.isdigit() or int(quantity) < 1:
            result.errors.append((line, f"quantity '{quantity}' must be a whole number of at least 1"))
        if row.get("status") and row["status"] not in Order.Status.values:
            result.errors.append((line, f"status '{row['status']}' is not one of {', '.join(Order.Status.values)}"))
        _decimal(row.get("unit_price", ""), line, "unit_price", result)
        _parse_time(row.get("placed_at", ""), line, result)
        orders.setdefault(row["external_id"], []).append((line, row))
    if result.errors:
        return result
    with transaction.atomic():
        for external_id, lines in orders.items():
            first = lines[0][1]
            kind, value = ("email", first["customer_email"]) if first.get("customer_email") else ("phone", first["customer_phone"])
            customer, _ = customer_find_or_create(identity=InboundIdentity(kind=kind, value=value,
                                                                           name=first.get("customer_name", "")))
            _, created = order_create(
                external_id=external_id, customer=customer,
                lines=[LineInput(sku=r["sku"], quantity=int(r.get("quantity") or 1),
                                 unit_price=r.get("unit_price") or None) for _, r in lines],
                status=first.get("status") or Order.Status.PLACED,
                placed_at=_parse_time(first.get("placed_at", ""), lines[0][0], result),
                currency=first.get("currency") or "IDR", courier=first.get("courier", ""), region=first.get("region", ""))
            result.created += created
            result.updated += not created
            progress(len(lines))
    return result
