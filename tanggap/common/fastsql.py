"""Model instances from one hand-written SELECT, and one INSERT from a model instance, for the
few hot paths where building the query through the ORM costs more than running it.

Intake looks up the caller's API token (with its user and profile) and the channel on every
request. Through the ORM each lookup costs about 0.4–0.5 ms of CPU, nearly all of it building
and compiling the query; the same SELECT through the cursor costs about 25 µs
(``bench/intake_vs_peer/profile``). ``Shape`` lists the concrete columns of one or more models
under table aliases and turns a row back into instances the way the ORM does: each value goes
through the field's and the backend's converters (aware datetimes, JSON, booleans), then
``Model.from_db``. Only the SELECT is hand-written; everything a caller gets back is an ordinary
model instance.

``insert(obj)`` saves a new instance the way ``QuerySet.create`` does (each field's ``pre_save``
and ``get_db_prep_save``, an auto primary key read back with ``RETURNING``) without the SQL
compiler: about 60 µs instead of 0.3–0.4 ms. It sends ``pre_save`` and ``post_save`` as a save
does (django-tasks-db fills a job's ``run_after`` in its ``pre_save`` handler).
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Model, signals


class Shape:
    """The columns of ``(model, alias)`` parts, in order, for a SELECT list; ``instances(row)``
    gives one instance per part, or None for a part whose primary key is NULL (a LEFT JOIN
    that found nothing)."""

    def __init__(self, *parts: tuple[type[Model], str], using: str = "default") -> None:
        self.using = using
        connection = connections[using]
        qn = connection.ops.quote_name
        self.parts = []
        columns = []
        for model, alias in parts:
            fields = list(model._meta.concrete_fields)
            converters = []
            for f in fields:
                col = f.get_col(alias)
                converters.append(connection.ops.get_db_converters(col) + f.get_db_converters(connection))
            pk_index = fields.index(model._meta.pk)
            self.parts.append((model, [f.attname for f in fields], [f.get_col(alias) for f in fields], converters,
                               pk_index))
            columns += [f"{alias}.{qn(f.column)}" for f in fields]
        self.select = ", ".join(columns)
        self.width = len(columns)

    def instances(self, row: tuple) -> list[Any]:
        connection = connections[self.using]
        out, start = [], 0
        for model, attnames, cols, converters, pk_index in self.parts:
            values = list(row[start:start + len(attnames)])
            start += len(attnames)
            if values[pk_index] is None:
                out.append(None)
                continue
            for i, convs in enumerate(converters):
                for conv in convs:
                    values[i] = conv(values[i], cols[i], connection)
            out.append(model.from_db(self.using, attnames, values))
        return out


def quoted(model: type[Model], using: str = "default") -> str:
    """The model's table name, quoted for the backend."""
    return connections[using].ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str, using: str = "default") -> str:
    """A field's column name, quoted for the backend."""
    return connections[using].ops.quote_name(model._meta.get_field(name).column)


def fetch_one(sql: str, params: list, using: str = "default") -> tuple | None:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _insert_plan(model: type[Model], auto_pk: bool, using: str) -> tuple[list, str, bool]:
    """The fields and the INSERT statement of a model (cached per connection: built once)."""
    connection = connections[using]
    key = (model, auto_pk)
    plans = connection.__dict__.setdefault("_fastsql_insert_plans", {})
    plan = plans.get(key)
    if plan is None:
        meta = model._meta
        qn = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if not (f is meta.pk and auto_pk)]
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        returning = auto_pk and connection.features.can_return_columns_from_insert
        if returning:
            sql += f" RETURNING {qn(meta.pk.column)}"
        plan = plans[key] = (fields, sql, returning)
    return plan


def insert(obj: Model, using: str = "default") -> Model:
    """INSERT a new instance (see the module's docstring); sets its primary key if the database
    chose it. Returns the instance, saved."""
    model = type(obj)
    meta = model._meta
    if meta.parents:
        raise TypeError(f"fastsql.insert does not handle multi-table inheritance ({model.__name__})")
    connection = connections[using]
    if signals.pre_save.has_listeners(model):
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    pk = meta.pk
    auto_pk = getattr(obj, pk.attname) is None
    fields, sql, returning = _insert_plan(model, auto_pk, using)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if auto_pk:
            value = cursor.fetchone()[0] if returning else cursor.lastrowid
            for conv in connection.ops.get_db_converters(pk.get_col(meta.db_table)) + pk.get_db_converters(connection):
                value = conv(value, pk.get_col(meta.db_table), connection)
            setattr(obj, pk.attname, value)
    obj._state.adding = False
    obj._state.db = using
    if signals.post_save.has_listeners(model):
        signals.post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using)
    return obj
