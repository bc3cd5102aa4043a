"""A database cache whose counters are safe to share between workers.

Django's ``DatabaseCache`` is the shared cache of a deployment without Redis (every
worker and machine reads the same table), but its ``incr`` reads the value and writes it
back: two workers counting the same client address at the same moment both write n+1
and one request goes uncounted. The rate limits (``core/ratelimit.py``) count with
``add`` (atomic: the key is the table's primary key) and ``incr``; here ``incr`` first
locks the row with an UPDATE that changes nothing — a row lock on PostgreSQL, the write
lock on SQLite — so concurrent increments queue and each sees the one before. The entry
keeps its expiry.

Both are on the request path of every public page (the QR code page above all), so each is
as few round trips as it can be: ``add`` is one ``INSERT … ON CONFLICT … RETURNING`` (it
takes the place of an expired entry, as Django's does; the table is culled now and then
instead of counted on every call), and ``incr`` is a compare-and-set — read the value, then
``UPDATE … WHERE value = <what was read>``, again if another worker got there first —
instead of a transaction around a row lock (two statements instead of five). Django's
own implementation remains for other databases.

On PostgreSQL the table is UNLOGGED (:func:`unlog_cache_tables`, run by ``migrate``): a
cache needs no crash safety — after a crash the counters start again from zero — and
writes to an unlogged table do not wait for the write-ahead log to reach the disk, which
otherwise costs every counted request an fsync. Unlogged tables are not copied to
streaming replicas: a deployment with replicas uses Redis (docs/deployment.md).
"""

from __future__ import annotations

import base64
import pickle
import random
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

# Upserts (ON CONFLICT … RETURNING): PostgreSQL 9.5+, SQLite 3.35+.
_FAST_VENDORS = ("postgresql", "sqlite")
# One ``add`` in this many that inserts a row also checks the table size (and culls).
CULL_CHECK_EVERY = 20
_CAS_ATTEMPTS = 100


def unlog_cache_tables(using: str = "default") -> None:
    """Make the tables of this project's database caches on ``using`` UNLOGGED
    (PostgreSQL; nothing elsewhere). Idempotent."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = [
        config.get("LOCATION")
        for config in settings.CACHES.values()
        if config.get("BACKEND") == f"{__name__}.DatabaseCache"
    ]
    with connection.cursor() as cursor:
        for table in filter(None, tables):
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [table]
            )
            row = cursor.fetchone()
            if row and row[0] == "p":
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} SET UNLOGGED")


class DatabaseCache(DjangoDatabaseCache):
    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in _FAST_VENDORS:
            return super().add(key, value, timeout, version)
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        if seconds is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(seconds, tz=UTC if settings.USE_TZ else None)
        now = tz_now().replace(microsecond=0)
        adapt = connection.ops.adapt_datetimefield_value
        quote = connection.ops.quote_name
        table, cache_key = quote(self._table), quote("cache_key")
        value_column, expires_column = quote("value"), quote("expires")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({cache_key}, {value_column}, {expires_column}) "
                f"VALUES (%s, %s, %s) ON CONFLICT ({cache_key}) DO UPDATE SET "
                f"{value_column} = excluded.{value_column}, "
                f"{expires_column} = excluded.{expires_column} "
                f"WHERE {table}.{expires_column} < %s RETURNING {cache_key}",
                [key, self._encode(value), adapt(expires.replace(microsecond=0)), adapt(now)],
            )
            added = cursor.fetchone() is not None
            if added and random.randrange(CULL_CHECK_EVERY) == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, now, count)
        return added

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor in _FAST_VENDORS:
            return self._incr_cas(connection, key, delta, version)
        key = self.make_and_validate_key(key, version=version)
        quote = connection.ops.quote_name
        table, cache_key = quote(self._table), quote("cache_key")
        value_column, expires = quote("value"), quote("expires")
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} WHERE {cache_key} = %s", [key]
            )
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {expires} > %s",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode()))
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s",
                [encoded.decode("latin1"), key],
            )
        return new_value

    def _incr_cas(self, connection: Any, key: Any, delta: int, version: int | None) -> int:
        key = self.make_and_validate_key(key, version=version)
        quote = connection.ops.quote_name
        table, cache_key = quote(self._table), quote("cache_key")
        value_column, expires = quote("value"), quote("expires")
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with connection.cursor() as cursor:
            for _ in range(_CAS_ATTEMPTS):
                cursor.execute(
                    f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {expires} > %s",
                    [key, now],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                new_value = pickle.loads(base64.b64decode(row[0].encode())) + delta
                # Only if nobody changed it since it was read (PostgreSQL re-checks the
                # condition against a concurrent writer's committed row).
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s "
                    f"WHERE {cache_key} = %s AND {value_column} = %s",
                    [self._encode(new_value), key, row[0]],
                )
                if cursor.rowcount == 1:
                    return new_value
        raise RuntimeError(f"cache incr of {key!r}: too many concurrent writers")

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self.incr(key, -delta, version=version)
