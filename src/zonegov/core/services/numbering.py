"""Gap-free document numbers.

The counter row of a series is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite takes
the write lock) inside the caller's transaction: if the caller rolls back, so does the
number, so a series never skips a value, and two concurrent callers never get the same.
"""

from django.db import transaction
from django.utils import timezone

from zonegov.core.models import NumberSeries


def number_next(*, series: str) -> int:
    with transaction.atomic():
        NumberSeries.objects.bulk_create(
            [NumberSeries(key=series, last_value=0)], ignore_conflicts=True
        )
        row = NumberSeries.objects.select_for_update().get(key=series)
        row.last_value += 1
        row.save(update_fields=["last_value"])
        return row.last_value


def number_format(*, prefix: str, series: str | None = None, width: int = 6) -> str:
    """A human-readable number like ``JB-2026-000042`` from the series ``prefix:year``."""
    year = timezone.localdate().year
    value = number_next(series=series or f"{prefix}:{year}")
    return f"{prefix}-{year}-{value:0{width}d}"
