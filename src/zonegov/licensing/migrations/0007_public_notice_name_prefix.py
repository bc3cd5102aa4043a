"""The one-character 公示 search (a surname: the first character of the operator's name) on
PostgreSQL: ``notice_name_prefix``, a btree with ``varchar_pattern_ops`` on the name, so
``operator_name LIKE '张%'`` is an index range scan at any table size, whatever the
database collation (``core.disclosure.pg.name_prefix_sql``; a test holds the two equal).
No n-gram index answers one character selectively (the bigram and trigram indexes of
0004 need two and three). SQLite keeps migrating: the step runs only on PostgreSQL."""

from django.db import migrations

TABLE = "licensing_publicnotice"

INDEXES = [
    f"CREATE INDEX IF NOT EXISTS notice_name_prefix ON {TABLE} (operator_name varchar_pattern_ops)"
]
DROP_INDEXES = ["DROP INDEX IF EXISTS notice_name_prefix"]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("licensing", "0006_application_identity_basis")]

    operations = [migrations.RunPython(_run(INDEXES), _run(DROP_INDEXES))]
