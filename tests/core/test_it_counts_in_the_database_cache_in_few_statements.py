"""The database cache (production without Redis) answers the rate limiter's ``add`` and
``incr`` in one and two statements, with Django's meaning: ``add`` takes the place of an
expired entry only, ``incr`` keeps the expiry and refuses a missing or expired key."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zonegov.core.apps import _create_cache_table

DB_CACHE = {"default": {"BACKEND": "zonegov.core.cache.DatabaseCache", "LOCATION": "zonegov_cache"}}

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def db_cache(settings):
    settings.CACHES = DB_CACHE
    _create_cache_table(sender=None, using="default", verbosity=0)
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured.captured_queries]


def test_add_is_one_statement_and_never_overwrites_a_live_entry(db_cache, monkeypatch):
    from zonegov.core import cache as cache_module

    monkeypatch.setattr(cache_module, "CULL_CHECK_EVERY", 10**9)
    sql = statements(lambda: db_cache.add("k", 1, timeout=60))
    assert len(sql) == 1 and "ON CONFLICT" in sql[0]
    assert db_cache.add("k", 2, timeout=60) is False
    assert db_cache.get("k") == 1


def test_add_takes_the_place_of_an_expired_entry(db_cache):
    assert db_cache.add("k", 1, timeout=5) is True
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert db_cache.get("k") is None
        assert db_cache.add("k", 7, timeout=60) is True
        assert db_cache.get("k") == 7


def test_incr_is_two_statements_and_keeps_the_expiry(db_cache):
    db_cache.add("n", 1, timeout=10)
    sql = statements(lambda: db_cache.incr("n"))
    assert len(sql) == 2 and sql[0].startswith("SELECT") and sql[1].startswith("UPDATE")
    assert db_cache.incr("n", 5) == 7
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        with pytest.raises(ValueError):
            db_cache.incr("n")


def test_incr_of_a_missing_key_raises(db_cache):
    with pytest.raises(ValueError):
        db_cache.incr("nothing")


def test_a_full_table_is_culled_on_insert(db_cache, monkeypatch):
    from zonegov.core import cache as cache_module

    monkeypatch.setattr(cache_module, "CULL_CHECK_EVERY", 1)
    monkeypatch.setattr(db_cache, "_max_entries", 10)
    monkeypatch.setattr(db_cache, "_cull_frequency", 2)
    for i in range(30):
        db_cache.add(f"key{i}", i, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM zonegov_cache")
        assert cursor.fetchone()[0] <= 11


def test_the_cache_table_is_unlogged_on_postgresql(db_cache):
    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED tables are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'zonegov_cache'")
        assert cursor.fetchone()[0] == "u"
