"""Indexes for the public announcement's search (公示, /gongshi/) on PostgreSQL.

The search box takes a licence-number prefix or a substring of the operator's name or the
premises address (see licensing/public_selectors.py). On PostgreSQL:

- ``notice_number_prefix``: btree with ``varchar_pattern_ops`` so ``LIKE 'JY141%'`` uses
  an index whatever the database collation;
- ``notice_name_trgm`` / ``notice_address_trgm``: GIN trigram indexes (pg_trgm) for
  substrings of three characters or more (``LIKE '%…%'``);
- ``notice_name_bigram`` / ``notice_address_bigram``: GIN indexes over the set of
  two-character substrings, kept in two generated columns (``name_bigrams``,
  ``address_bigrams``; PostgreSQL computes them on every write, Django does not know
  them). A trigram index cannot answer a two-character substring — the commonest
  Chinese search (a name like 张三, a word like 超市) — and would scan the whole index; a
  two-character substring is present exactly when it is one of the value's bigrams, so
  ``name_bigrams @> ARRAY['超市']`` is both indexed and exact. Stored rather than an
  expression index because the function costs ~5 µs a call: when the planner walks the
  newest-first index instead (a common pair), testing a stored array costs ~0.3 µs.

- ``notice_event_kind_recent`` / ``notice_kind_recent``: the filters (event and kind,
  newest first within a date range), so page and capped count are index range scans.

SQLite has none of these and keeps migrating: each step runs only on PostgreSQL.
"""

from django.db import migrations

TABLE = "licensing_publicnotice"

SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION zonegov_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT array(SELECT substr(value, i, 2) FROM generate_series(1, char_length(value) - 1) AS i)
    $$
    """,
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS name_bigrams text[] "
    "GENERATED ALWAYS AS (zonegov_bigrams(operator_name)) STORED",
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS address_bigrams text[] "
    "GENERATED ALWAYS AS (zonegov_bigrams(premises_address)) STORED",
]

# Separate so that a bulk load (bench/verify.py) can drop and rebuild them.
INDEXES = [
    f"CREATE INDEX IF NOT EXISTS notice_number_prefix ON {TABLE} "
    "(licence_number varchar_pattern_ops)",
    f"CREATE INDEX IF NOT EXISTS notice_name_trgm ON {TABLE} USING gin "
    "(operator_name gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS notice_address_trgm ON {TABLE} USING gin "
    "(premises_address gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS notice_event_kind_recent ON {TABLE} "
    "(event, kind, occurred_at DESC, id DESC)",
    f"CREATE INDEX IF NOT EXISTS notice_kind_recent ON {TABLE} (kind, occurred_at DESC, id DESC)",
    f"CREATE INDEX IF NOT EXISTS notice_name_bigram ON {TABLE} USING gin (name_bigrams)",
    f"CREATE INDEX IF NOT EXISTS notice_address_bigram ON {TABLE} USING gin (address_bigrams)",
]

DROP_INDEXES = [
    "DROP INDEX IF EXISTS notice_address_bigram",
    "DROP INDEX IF EXISTS notice_name_bigram",
    "DROP INDEX IF EXISTS notice_address_trgm",
    "DROP INDEX IF EXISTS notice_name_trgm",
    "DROP INDEX IF EXISTS notice_number_prefix",
    "DROP INDEX IF EXISTS notice_kind_recent",
    "DROP INDEX IF EXISTS notice_event_kind_recent",
]

FORWARD = SCHEMA + INDEXES

BACKWARD = [
    *DROP_INDEXES,
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS address_bigrams",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS name_bigrams",
    "DROP FUNCTION IF EXISTS zonegov_bigrams(text)",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0003_public_notice_and_statuses"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
