"""公示 search on PostgreSQL: migration 0004 created the indexes the search relies on, and
the planner uses them for a two-character substring, a longer one and a number prefix."""

import pytest
from django.db import connection

from zonegov.core.disclosure.search import DisclosureFilters, disclosure_queryset
from zonegov.licensing.disclosure import PERMITS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the search indexes exist on PostgreSQL only"
    ),
]


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'licensing_publicnotice'"
        )
        return dict(cursor.fetchall())


def test_the_bigram_columns_follow_every_write(cast, lic):
    from tests.licensing.conftest import instant_filing
    from zonegov.licensing.models import PublicNotice

    instant_filing(cast)
    notice = PublicNotice.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_bigrams FROM licensing_publicnotice WHERE id = %s", [notice.pk])
        bigrams = cursor.fetchone()[0]
    assert notice.operator_name[:2] in bigrams
    assert len(bigrams) == len(notice.operator_name) - 1


def test_migration_0004_created_the_trigram_bigram_and_prefix_indexes(db):
    indexes = _indexes()
    assert "gin_trgm_ops" in indexes["notice_name_trgm"]
    assert "gin_trgm_ops" in indexes["notice_address_trgm"]
    assert "gin (name_bigrams)" in indexes["notice_name_bigram"]
    assert "gin (address_bigrams)" in indexes["notice_address_bigram"]
    assert "varchar_pattern_ops" in indexes["notice_number_prefix"]
    assert "(event, kind, occurred_at DESC, id DESC)" in indexes["notice_event_kind_recent"]
    assert "(kind, occurred_at DESC, id DESC)" in indexes["notice_kind_recent"]


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("超市", "notice_name_bigram"),
        ("超市店", "notice_name_trgm"),
        ("JY141", "notice_number_prefix"),
    ],
)
def test_the_search_can_use_the_indexes(db, query, index):
    qs = disclosure_queryset(PERMITS, DisclosureFilters(query=query))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SET LOCAL enable_indexscan = off"
        )  # no newest-first walk: show the search index
        plan = qs.explain()
    assert index in plan
