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


class Prepared:
    """A SELECT written through the ORM once and compiled once per connection; each call runs
    the same SQL with new values and returns ordinary model instances (``select_related``
    objects attached, every value through the converters), as iterating the queryset would.

    ``build`` takes the query's parameters (integers such as keys, or strings compared for
    equality) and returns the queryset; it is called once per connection (and kind of
    arguments) with stand-in values, which are then found in the compiled parameters and
    replaced on every call. Everything else in the query must be fixed: no ``now()``, no
    lookups that transform a parameter (``icontains``, ``__in`` with a parameter list). For the statements every message and
    reply runs inside its write transaction (on SQLite, while every other writer waits): the
    ORM spends 0.3–0.6 ms of CPU building and compiling each of them, the database about 30 µs
    running it. ``tests/common/test_fastsql.py`` compares the instances with the ORM's.
    """

    def __init__(self, build, *, using: str = "default") -> None:
        self.build = build
        self.using = using
        self.name = f"_fastsql_prepared_{id(self)}"

    @staticmethod
    def _mark(i: int, arg):
        # stand-ins no real value equals: -7340017, -7340018, ... or "\x00fastsql-0", ...
        return f"\x00fastsql-{i}" if isinstance(arg, str) else -7_340_017 - i

    def _plan(self, args: tuple):
        connection = connections[self.using]
        plans = connection.__dict__.setdefault(self.name, {})
        key = tuple(isinstance(a, str) for a in args)
        plan = plans.get(key)
        if plan is None:
            from django.db.models.query import get_related_populators

            marks = [self._mark(i, a) for i, a in enumerate(args)]
            queryset = self.build(*marks)
            compiler = queryset.query.get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            slots = [(i, marks.index(p)) for i, p in enumerate(params) if type(p) in (int, str) and p in marks]
            if sorted({j for _, j in slots}) != list(range(len(args))):
                raise ValueError(f"fastsql.Prepared: not every parameter reached the SQL of {queryset.model.__name__}")
            klass_info, select = compiler.klass_info, compiler.select
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            init_list = [f[0].target.attname for f in select[start:end]]
            populators = get_related_populators(klass_info, select, self.using)
            converters = compiler.get_converters([s[0] for s in select[0:compiler.col_count]])
            plan = plans[key] = (compiler, sql, list(params), slots, klass_info["model"], start, end, init_list,
                                 populators, converters)
        return plan

    def list(self, *args) -> list:
        compiler, sql, params, slots, model, start, end, init_list, populators, converters = self._plan(args)
        params = list(params)
        for i, j in slots:
            params[i] = args[j]
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        out = []
        for row in rows:
            obj = model.from_db(self.using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            out.append(obj)
        return out

    def first(self, *args):
        rows = self.list(*args)
        return rows[0] if rows else None

    def get(self, *args):
        rows = self.list(*args)
        if len(rows) != 1:
            model = self._plan(args)[4]
            if not rows:
                raise model.DoesNotExist(f"{model.__name__} matching query does not exist.")
            raise model.MultipleObjectsReturned(f"get() returned more than one {model.__name__}.")
        return rows[0]


def update(model: type[Model], pk, using: str = "default", **values) -> int:
    """``UPDATE <table> SET <fields> WHERE <pk> = %s``: what ``model.objects.filter(pk=pk).update(**values)``
    does for plain values (a related object stands for its key; no expressions), without the
    ORM's query building. The statement is built once per connection and set of fields. Returns
    the number of rows changed."""
    connection = connections[using]
    plans = connection.__dict__.setdefault("_fastsql_update_plans", {})
    key = (model, tuple(values))
    plan = plans.get(key)
    if plan is None:
        meta = model._meta
        qn = connection.ops.quote_name
        fields = [meta.get_field(name) for name in values]
        sql = (f"UPDATE {qn(meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
               f"WHERE {qn(meta.pk.column)} = %s")
        plan = plans[key] = (fields, sql, meta.pk)
    fields, sql, pk_field = plan
    params = []
    for field, value in zip(fields, values.values()):
        if isinstance(value, Model):
            value = value.pk
        params.append(field.get_db_prep_save(value, connection))
    params.append(pk_field.get_db_prep_value(pk.pk if isinstance(pk, Model) else pk, connection, prepared=False))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
