"""Fast bulk inserts for large imports: COPY on PostgreSQL, executemany on SQLite.

`QuerySet.bulk_create` compiles one INSERT statement per few hundred rows and prepares every
value through the field API; at 100,000 contacts with their stage changes, audit entries and
import rows that is most of an import's time. These helpers write the same rows in a
fraction of it:

- `allocate_ids(model, n)` reserves primary keys up front (the sequence on PostgreSQL; on
  SQLite the table's AUTOINCREMENT counter, safe because Renkei's SQLite transactions start
  with `BEGIN IMMEDIATE` and so hold the write lock until commit);
- `insert_rows(model, columns, rows)` writes plain tuples;
- `insert_objects(objs)` writes unsaved model instances, assigning their primary keys.

Like `bulk_create` they send no signals and call no `save()`; callers validate first. Use
them inside `transaction.atomic()`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Field classes whose Python value is already what both databases store.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
)


class BulkInsertError(RuntimeError):
    pass


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, _PLAIN) and not isinstance(field, models.JSONField):
        return _identity
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def dump_json(value: Any) -> Any:
            return None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)

        return dump_json
    if isinstance(field, models.DateTimeField):
        return _aware if connection.vendor == "postgresql" else _sqlite_datetime
    if connection.vendor == "postgresql":
        # COPY takes Python values (dates, decimals, UUIDs) as they are.
        return _identity
    return lambda value: field.get_db_prep_save(value, connection)


def _identity(value: Any) -> Any:
    return value


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise BulkInsertError(f"naive datetime {value!r}")
    return value


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware datetime: UTC, as text."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise BulkInsertError(f"naive datetime {value!r}")
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _fields(model: type[models.Model], columns: Sequence[str]) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    try:
        return [by_attname[name] for name in columns]
    except KeyError as exc:
        raise BulkInsertError(f"{model.__name__} has no column {exc.args[0]!r}") from None


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys for `model` (inside a transaction)."""
    if count <= 0:
        return []
    if not connection.in_atomic_block:
        raise BulkInsertError("allocate_ids needs a transaction")
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        # Table and column names come from the model, never from input.
        column = connection.ops.quote_name(pk)
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {quoted}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is not None:
            highest = max(highest, row[0])
    # SQLite raises sqlite_sequence to the highest id inserted, so these stay reserved.
    return list(range(highest + 1, highest + 1 + count))


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Insert `rows` (tuples of Python values in the order of `columns`, attnames such as
    `contact_id`) into `model`'s table; returns the number of rows sent."""
    fields = _fields(model, columns)
    converters = [_converter(f) for f in fields]
    plain = all(c is _identity for c in converters)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def converted() -> Iterable[Sequence[Any]]:
        if plain:
            yield from rows
            return
        for row in rows:
            yield [convert(value) for convert, value in zip(converters, row, strict=True)]

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in converted():
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(fields))
        suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}){suffix}"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in converted():
            batch.append(row)
            if len(batch) >= 2000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_objects(
    objs: Sequence[models.Model], *, ignore_conflicts: bool = False
) -> Sequence[models.Model]:
    """Insert unsaved instances of one model, giving those without a primary key one."""
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, allocate_ids(model, len(missing)), strict=True):
        obj.pk = pk
    now = timezone.now()
    stamped = [
        f
        for f in meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    for obj in objs:
        for f in stamped:
            if f.auto_now or getattr(obj, f.attname) is None:
                setattr(obj, f.attname, now)
        obj._state.adding = False
        obj._state.db = connection.alias
    columns = [f.attname for f in meta.concrete_fields]
    insert_rows(
        model,
        columns,
        ([getattr(obj, name) for name in columns] for obj in objs),
        ignore_conflicts=ignore_conflicts,
    )
    return objs
