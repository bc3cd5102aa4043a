"""Gap-free document numbers.

The counter row of a series is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite takes
the write lock) inside the caller's transaction: if the caller rolls back, so does the
number, so a series never skips a value, and two concurrent callers never get the same.
"""

from django.db import connection, transaction
from django.utils import timezone

from zonegov.core.models import NumberSeries


def number_next(*, series: str) -> int:
    """The next value of ``series``: one ``UPDATE … RETURNING`` that also locks the row
    (PostgreSQL and SQLite ≥ 3.35); the series row is created on first use."""
    q = connection.ops.quote_name
    table, key, value = q(NumberSeries._meta.db_table), q("key"), q("last_value")
    sql = f"UPDATE {table} SET {value} = {value} + 1 WHERE {key} = %s RETURNING {value}"
    # No savepoint: nothing here raises except the database itself.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, [series])
        row = cursor.fetchone()
        if row is None:
            NumberSeries.objects.bulk_create(
                [NumberSeries(key=series, last_value=0)], ignore_conflicts=True
            )
            cursor.execute(sql, [series])
            row = cursor.fetchone()
        return int(row[0])


def number_format(*, prefix: str, series: str | None = None, width: int = 6) -> str:
    """A human-readable number like ``JB-2026-000042`` from the series ``prefix:year``."""
    year = timezone.localdate().year
    value = number_next(series=series or f"{prefix}:{year}")
    return f"{prefix}-{year}-{value:0{width}d}"
