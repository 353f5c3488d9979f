"""Plain INSERTs (COPY on PostgreSQL), for rows written by the thousand and whose ids nobody reads
back: an import's history and change records, the indicator table of a refresh.

Django's bulk_create builds one model instance and prepares every value through the field for each row;
at 100,000 rows × three tables that machinery costs more than the database does. Values here are
adapted once per field kind by the connection's own operations, so the stored form is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

CHUNK = 5000


def _adapter(field: Any) -> Callable[[Any], object]:
    ops: Any = connection.ops
    kind = field.get_internal_type()
    if kind == "DecimalField":
        return lambda v: (
            None if v is None else ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        )
    if kind == "DateTimeField":
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if kind == "DateField":
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    return lambda v: v


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """INSERT every row (values in the order of ``fields``, foreign keys as ids); returns the count."""
    if not fields:
        return 0
    opts = model._meta
    quote = connection.ops.quote_name
    model_fields: list[Any] = [opts.get_field(name) for name in fields]
    columns = ", ".join(quote(f.column) for f in model_fields)
    marks = ", ".join(["%s"] * len(model_fields))
    # Identifiers come from model metadata (quoted); every value is a parameter.
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    adapters = [_adapter(f) for f in model_fields]
    plain = all(
        f.get_internal_type() not in ("DecimalField", "DateTimeField", "DateField") for f in model_fields
    )
    count = 0
    iterator = iter(rows)
    cursor: Any
    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement: several times faster than executemany's round
        # trips, and the values are adapted by the driver exactly as for an INSERT.
        def copy_rows(sql: str, _params: Any, _many: bool, _context: Any) -> None:
            nonlocal count
            with cursor.cursor.copy(sql) as copy:
                for row in iterator:
                    copy.write_row(row if plain else [a(v) for a, v in zip(adapters, row, strict=True)])
                    count += 1

        with connection.cursor() as cursor:
            # Through Django's execute wrappers, like any statement: what observes or guards queries
            # (instrumentation, the tests' failure injection) sees the COPY too.
            cursor._execute_with_wrappers(
                f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN", None, False, executor=copy_rows
            )
        return count
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, CHUNK)):
            params = chunk if plain else [[a(v) for a, v in zip(adapters, row, strict=True)] for row in chunk]
            cursor.executemany(sql, params)
            count += len(chunk)
    return count


def insert_history(
    model: type[models.Model], objs: Sequence[models.Model], kind: str, *, user: Any, reason: str, when: Any
) -> int:
    """simple-history records for ``objs`` ('+' created, '~' changed, '-' deleted), written in bulk."""
    history: Any = model.history.model  # type: ignore[attr-defined]
    tracked = list(history.tracked_fields)
    names = [f.name for f in tracked] + [
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user",
    ]
    user_id = getattr(user, "pk", None)
    rows = ([getattr(obj, f.attname) for f in tracked] + [when, reason, kind, user_id] for obj in objs)
    return insert_rows(history, names, rows)
