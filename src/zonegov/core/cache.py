"""A database cache whose counters are safe to share between workers.

Django's ``DatabaseCache`` is the shared cache of a deployment without Redis (every
worker and machine reads the same table), but its ``incr`` reads the value and writes it
back: two workers counting the same client address at the same moment both write n+1
and one request goes uncounted. The rate limits (``core/ratelimit.py``) count with
``add`` (atomic: the key is the table's primary key) and ``incr``; here ``incr`` first
locks the row with an UPDATE that changes nothing — a row lock on PostgreSQL, the write
lock on SQLite — so concurrent increments queue and each sees the one before. The entry
keeps its expiry.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
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

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self.incr(key, -delta, version=version)
