"""Issue 12 defect 15: 公示 refused a one-character search, though a surname is the most
common search there. One character now searches the first character of the name (a
surname is a prefix of a natural person's name), served on PostgreSQL by the
``varchar_pattern_ops`` btree of migration 0007 at any table size."""

import importlib

import pytest
from django.db import connection
from django.test import Client

from tests.licensing.conftest import instant_filing
from zonegov.core.disclosure.pg import name_prefix_sql
from zonegov.core.disclosure.search import DisclosureFilters, disclosure_queryset
from zonegov.licensing.disclosure import PERMITS
from zonegov.licensing.models import PublicNotice

pytestmark = pytest.mark.django_db


def _names(query: str) -> list[str]:
    qs = disclosure_queryset(PERMITS, DisclosureFilters(query=query))
    return [n.operator_name for n in qs]


def test_one_character_finds_names_that_start_with_it(cast, lic):
    instant_filing(cast)
    notice = PublicNotice.objects.get()
    PublicNotice.objects.create(
        **{
            f.attname: getattr(notice, f.attname)
            for f in PublicNotice._meta.concrete_fields
            if f.attname not in ("id",)
        }
        | {"operator_name": "张三烧烤摊", "licence_number": "JY99999999999999"}
    )
    assert _names("张") == ["张三烧烤摊"]
    assert _names("平") == [notice.operator_name]  # 平顶山市测试餐饮管理有限公司
    assert _names("测") == []  # inside the name: not a surname
    html = Client().get("/gongshi/", {"q": "张"}).content.decode()
    assert "请至少输入" not in html
    assert "张三烧烤摊" in html and notice.operator_name not in html.split("</form>", 1)[1]


def test_migration_0007_is_the_core_strategy():
    m0007 = importlib.import_module("zonegov.licensing.migrations.0007_public_notice_name_prefix")
    sql = name_prefix_sql(
        table="licensing_publicnotice", prefix="notice", name_column="operator_name"
    )
    assert sql.indexes == m0007.INDEXES
    assert sql.drop_indexes == m0007.DROP_INDEXES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL")
def test_the_one_character_search_uses_the_prefix_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'notice_name_prefix'")
        (definition,) = cursor.fetchone()
    assert "varchar_pattern_ops" in definition and "operator_name" in definition
    qs = disclosure_queryset(PERMITS, DisclosureFilters(query="张"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # no newest-first walk
        plan = qs.explain()
    assert "notice_name_prefix" in plan, plan
