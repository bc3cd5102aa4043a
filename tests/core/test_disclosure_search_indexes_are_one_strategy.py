"""The PostgreSQL search strategy of ``core.disclosure.pg`` is the one licensing's table was
built with (migration 0004): a new category gets the same columns and indexes."""

import importlib

from zonegov.core.disclosure.pg import search_sql


def test_the_core_statements_for_the_licensing_table_are_migration_0004():
    m0004 = importlib.import_module("zonegov.licensing.migrations.0004_public_notice_search")
    sql = search_sql(
        table="licensing_publicnotice",
        prefix="notice",
        number_column="licence_number",
        text_columns=[("operator_name", "name"), ("premises_address", "address")],
        filter_columns=["event", "kind"],
    )
    assert sql.schema == m0004.SCHEMA
    assert sql.indexes == m0004.INDEXES
    assert sql.drop_indexes == m0004.DROP_INDEXES
    assert sql.backward == m0004.BACKWARD
    assert sql.forward == m0004.FORWARD


def test_a_second_table_keeps_the_shared_bigram_function_when_rolled_back():
    sql = search_sql(
        table="penalties_penalty",
        prefix="penalty",
        number_column="number",
        text_columns=[("subject_name", "name")],
        filter_columns=["kind"],
        drop_function=False,
    )
    assert "CREATE INDEX IF NOT EXISTS penalty_name_bigram ON penalties_penalty" in " ".join(
        sql.indexes
    )
    assert "CREATE INDEX IF NOT EXISTS penalty_kind_recent" not in " ".join(sql.indexes)
    assert not any("DROP FUNCTION" in s for s in sql.backward)
