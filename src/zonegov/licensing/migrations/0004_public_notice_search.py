"""Indexes for the public announcement's search (公示, /gongshi/) on PostgreSQL.

The search box takes a licence-number prefix or a substring of the operator's name or the
premises address (see licensing/public_selectors.py). On PostgreSQL:

- ``notice_number_prefix``: btree with ``varchar_pattern_ops`` so ``LIKE 'JY141%'`` uses
  an index whatever the database collation;
- ``notice_name_trgm`` / ``notice_address_trgm``: GIN trigram indexes (pg_trgm) for
  substrings of three characters or more (``LIKE '%…%'``);
- ``notice_name_bigram`` / ``notice_address_bigram``: GIN indexes over the set of
  two-character substrings (``zonegov_bigrams``). A trigram index cannot answer a
  two-character substring — the commonest Chinese search (a name like 张三, a word like
  超市) — and would scan the whole index; a two-character substring is present exactly
  when it is one of the value's bigrams, so ``zonegov_bigrams(col) @> ARRAY['超市']`` is
  both indexed and exact.

SQLite has none of these and keeps migrating: each step runs only on PostgreSQL.
"""

from django.db import migrations

TABLE = "licensing_publicnotice"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION zonegov_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}'::text[])
        FROM generate_series(1, char_length(value) - 1) AS i
    $$
    """,
    f"CREATE INDEX IF NOT EXISTS notice_number_prefix ON {TABLE} "
    "(licence_number varchar_pattern_ops)",
    f"CREATE INDEX IF NOT EXISTS notice_name_trgm ON {TABLE} USING gin "
    "(operator_name gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS notice_address_trgm ON {TABLE} USING gin "
    "(premises_address gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS notice_name_bigram ON {TABLE} USING gin "
    "(zonegov_bigrams(operator_name))",
    f"CREATE INDEX IF NOT EXISTS notice_address_bigram ON {TABLE} USING gin "
    "(zonegov_bigrams(premises_address))",
]

BACKWARD = [
    "DROP INDEX IF EXISTS notice_address_bigram",
    "DROP INDEX IF EXISTS notice_name_bigram",
    "DROP INDEX IF EXISTS notice_address_trgm",
    "DROP INDEX IF EXISTS notice_name_trgm",
    "DROP INDEX IF EXISTS notice_number_prefix",
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
