"""PostgreSQL search columns and indexes of a disclosure table — one strategy for every
category (licensing's migration 0004 is this strategy written out for its table; a test
holds the two equal).

For a table with a number column, text columns searched by substring and select filters:

- ``<prefix>_number_prefix``: btree with ``varchar_pattern_ops`` so ``LIKE 'JY141%'`` uses
  an index whatever the database collation;
- ``<prefix>_<tag>_trgm``: GIN trigram index (pg_trgm) per text column, for substrings of
  three characters or more (``LIKE '%…%'``);
- ``<tag>_bigrams`` generated columns (``zonegov_bigrams(text)``: every two-character
  substring) with GIN indexes ``<prefix>_<tag>_bigram``. A trigram index cannot answer a
  two-character substring — in Chinese the commonest search (张三, 超市) — and would scan
  the whole index; a two-character substring is present exactly when it is one of the
  value's bigrams, so ``name_bigrams @> ARRAY['超市']`` is both indexed and exact. Stored
  rather than an expression index because the function costs ~5 µs a call: when the
  planner walks the newest-first index instead (a common pair), testing a stored array
  costs ~0.3 µs;
- ``<prefix>_name_prefix`` (:func:`name_prefix_sql`): btree with ``varchar_pattern_ops``
  on the subject name, for a one-character search, which is a name *prefix* (a surname
  is the first character of a natural person's name, the commonest 公示 search): no
  n-gram index answers one character selectively, a prefix btree answers ``LIKE '张%'``
  with a range scan;
- ``<prefix>_<f1>_<f2>_recent`` over all filters and ``<prefix>_<f>_recent`` for each
  filter but the first, newest first (the model declares the first filter's own index and
  the newest-first one), so a filtered page and its capped count are index range scans.

SQLite has none of these: the operation does nothing there (``LIKE`` answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import migrations

BIGRAM_FUNCTION = (
    "\n    CREATE OR REPLACE FUNCTION zonegov_bigrams(value text) RETURNS text[]\n"
    "    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$\n"
    "        SELECT array(SELECT substr(value, i, 2) "
    "FROM generate_series(1, char_length(value) - 1) AS i)\n"
    "    $$\n    "
)


@dataclass(frozen=True)
class SearchSQL:
    schema: list[str]  # extension, function, generated columns
    indexes: list[str]  # separate so that a bulk load can drop and rebuild them
    drop_indexes: list[str]
    backward: list[str]

    @property
    def forward(self) -> list[str]:
        return self.schema + self.indexes


def search_sql(
    *,
    table: str,
    prefix: str,
    number_column: str,
    text_columns: Sequence[tuple[str, str]],
    filter_columns: Sequence[str] = (),
    date_column: str = "occurred_at",
    drop_function: bool = True,
) -> SearchSQL:
    """The statements for ``table``: ``text_columns`` are (column, tag) pairs."""
    schema = ["CREATE EXTENSION IF NOT EXISTS pg_trgm", BIGRAM_FUNCTION]
    schema += [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {tag}_bigrams text[] "
        f"GENERATED ALWAYS AS (zonegov_bigrams({column})) STORED"
        for column, tag in text_columns
    ]
    recent = f"{date_column} DESC, id DESC"
    indexes = [
        f"CREATE INDEX IF NOT EXISTS {prefix}_number_prefix ON {table} "
        f"({number_column} varchar_pattern_ops)"
    ]
    indexes += [
        f"CREATE INDEX IF NOT EXISTS {prefix}_{tag}_trgm ON {table} USING gin "
        f"({column} gin_trgm_ops)"
        for column, tag in text_columns
    ]
    filter_indexes: list[tuple[str, str]] = []
    if len(filter_columns) > 1:
        filter_indexes.append(("_".join(filter_columns), ", ".join(filter_columns)))
    filter_indexes += [(f, f) for f in filter_columns[1:]]
    indexes += [
        f"CREATE INDEX IF NOT EXISTS {prefix}_{name}_recent ON {table} ({columns}, {recent})"
        for name, columns in filter_indexes
    ]
    indexes += [
        f"CREATE INDEX IF NOT EXISTS {prefix}_{tag}_bigram ON {table} USING gin ({tag}_bigrams)"
        for _, tag in text_columns
    ]
    drops = [f"{prefix}_{tag}_bigram" for _, tag in reversed(text_columns)]
    drops += [f"{prefix}_{tag}_trgm" for _, tag in reversed(text_columns)]
    drops += [f"{prefix}_number_prefix"]
    drops += [f"{prefix}_{name}_recent" for name, _ in reversed(filter_indexes)]
    drop_indexes = [f"DROP INDEX IF EXISTS {name}" for name in drops]
    backward = [
        *drop_indexes,
        *(
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS {tag}_bigrams"
            for _, tag in reversed(text_columns)
        ),
    ]
    if drop_function:  # only the migration that created it (other tables may use it)
        backward.append("DROP FUNCTION IF EXISTS zonegov_bigrams(text)")
    return SearchSQL(schema, indexes, drop_indexes, backward)


def name_prefix_sql(*, table: str, prefix: str, name_column: str) -> SearchSQL:
    """The one-character (name prefix) search index of ``table``: a new category adds it
    with ``search_index_operation(name_prefix_sql(...))`` next to :func:`search_sql`'s."""
    index = f"{prefix}_name_prefix"
    create = f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({name_column} varchar_pattern_ops)"
    drop = f"DROP INDEX IF EXISTS {index}"
    return SearchSQL(schema=[], indexes=[create], drop_indexes=[drop], backward=[drop])


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


def search_index_operation(sql: SearchSQL) -> migrations.RunPython:
    """The migration operation of a new category's table (PostgreSQL only), e.g.
    ``search_index_operation(search_sql(table="penalties_penalty", prefix="penalty",
    number_column="number", text_columns=[("subject_name", "name"), ("address",
    "address")], filter_columns=["kind"], drop_function=False))``. Copy the statements
    into the migration instead if they must never change with this module."""
    return migrations.RunPython(_run(sql.forward), _run(sql.backward))
