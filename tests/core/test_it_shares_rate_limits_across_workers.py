"""The per-address limits on the public endpoints hold across gunicorn workers and
machines: production counts in a shared cache (Redis when REDIS_URL is set, otherwise a
table in the database that `migrate` creates), and concurrent increments of one counter
are never lost."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import RequestFactory

from zonegov.core.apps import _create_cache_table
from zonegov.core.ratelimit import over_limit

SRC = Path(__file__).resolve().parents[2] / "src"
DB_CACHE = {"default": {"BACKEND": "zonegov.core.cache.DatabaseCache", "LOCATION": "zonegov_cache"}}


def production_caches(**env) -> str:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SRC),
        "ZONEGOV_PRODUCTION": "1",
        "SECRET_KEY": "test-only",
        "ALLOWED_HOSTS": "zw.example.cn",
        "ZONEGOV_AUDIT_KEY": "0" * 64,  # production refuses to start without an audit key
        **env,
    }
    code = "from zonegov import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_it_uses_a_shared_cache_in_production():
    assert production_caches() == "zonegov.core.cache.DatabaseCache"
    redis = production_caches(REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis == "django.core.cache.backends.redis.RedisCache"


# Other threads only see committed tables and rows; serialized_rollback as in the other
# transactional tests (the flush would otherwise re-create content types they restore).
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_cache(settings):
    settings.CACHES = DB_CACHE
    _create_cache_table(sender=None, using="default", verbosity=0)  # what `migrate` runs
    yield caches["default"]
    caches["default"].clear()


@transactional
def test_migrate_creates_the_cache_table(database_cache):
    assert "zonegov_cache" in connection.introspection.table_names()


@transactional
def test_workers_count_one_address_together(database_cache, settings):
    settings.ZONEGOV_PUBLIC_RATE_LIMITS = {"verify_upload": 3}
    request = RequestFactory().post("/verify/", REMOTE_ADDR="10.9.8.7")
    answers = []

    def worker():  # another thread: its own cache connection, as another process has
        answers.append(over_limit(request, "verify_upload"))
        connections.close_all()

    for _ in range(3):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert answers == [0, 0, 0]
    assert over_limit(request, "verify_upload") > 0  # the fourth request, in this worker


@transactional
def test_concurrent_increments_are_not_lost(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the production database)")
    settings.CACHES = DB_CACHE
    _create_cache_table(sender=None, using="default", verbosity=0)
    caches["default"].add("counter", 0, timeout=60)
    threads, per_thread = 6, 25
    barrier = threading.Barrier(threads)
    errors = []

    def hammer():
        try:
            barrier.wait()
            for _ in range(per_thread):
                caches["default"].incr("counter")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []
    assert caches["default"].get("counter") == threads * per_thread
    caches["default"].clear()
