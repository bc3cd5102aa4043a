"""Attack on the QR page and the API clients' status batches with numbers nobody issued:
each miss falls back to a lookup ignoring letter case, which must be answered by an index
on PostgreSQL, not by reading every issued document (a batch holds 100 numbers)."""

import pytest
from django.db import connection

from zonegov.core.models import IssuedDocument

pytestmark = pytest.mark.django_db


def test_a_number_looked_up_ignoring_case_uses_an_index():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite (development) answers iexact with LIKE; production is PostgreSQL")
    queryset = IssuedDocument.objects.filter(number__iexact="zg-2026-999999")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "core_doc_number_upper" in plan, plan
