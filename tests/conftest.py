"""Shared test cast: a small zone tree and a fixed set of users (healthchecks-style).

zone (高新区)
├── dept  行政服务中心 (licensing officer ``officer``)
├── park  电气装备产业园区 (park officer ``park_officer``)
└── street 皇台街道
    └── community 高阳社区 (grid worker ``grid_worker``)
Plus ``admin`` (org admin at zone level), ``leader`` (zone), ``applicant`` and
``other_applicant`` (self-registered, no unit).
"""

import importlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zonegov.core.models import CaseType, Role, Unit, User
from zonegov.core.models.org import UnitKind
from zonegov.core.planned_roles import GRID_WORKER
from zonegov.core.roles import LEADER, ORG_ADMIN, PARK_OFFICER
from zonegov.licensing.roles import LICENSING_OFFICER

PASSWORD = "Zonegov-Test-2026"

# Valid codes (check characters computed per GB 32100 / GB 11643).
VALID_USCC = "91410400MA9F8U6X33"
VALID_ID = "11010519491231002X"
OTHER_VALID_ID = "410402198505050028"


@dataclass
class Cast:
    zone: Unit
    dept: Unit
    park: Unit
    street: Unit
    community: Unit
    admin: User
    leader: User
    officer: User
    park_officer: User
    grid_worker: User
    applicant: User
    other_applicant: User


def make_unit(name: str, code: str, kind: str, parent: Unit | None) -> Unit:
    unit = Unit.objects.create(name=name, code=code, kind=kind, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    unit.save()
    return unit


def make_user(username: str, unit: Unit | None, *roles: str, full_name: str = "") -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, unit=unit, full_name=full_name or username
    )
    if roles:
        user.roles.set(Role.objects.filter(code__in=roles))
    return user


# --- The clock. No test reads the real clock: every test starts at TEST_NOW (Asia/Shanghai)
# and the clock ticks from there, so "today" is the same day on a Sunday, on New Year's Eve
# and in the Spring Festival week. ``ZONEGOV_TEST_NOW`` (ISO 8601; without an offset it is
# Shanghai time) moves the whole suite to another moment: ``.ci/run`` runs the tests marked
# ``clock`` again at a Saturday, a Sunday morning before 08:00 (the UTC date is still the
# day before), the morning of 1 January (UTC: New Year's Eve), the eve of Spring Festival
# and a 调休 working Saturday.
# A test that needs a particular day travels there itself (``time_machine.travel``).

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_TEST_NOW = "2026-06-10T10:00:00+08:00"  # an ordinary Wednesday, a working day


def test_now() -> datetime:
    """The moment the suite's clock starts at (``ZONEGOV_TEST_NOW`` or the default)."""
    moment = datetime.fromisoformat(os.environ.get("ZONEGOV_TEST_NOW") or DEFAULT_TEST_NOW)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


test_now.__test__ = False  # not a test, despite its name

# Tests whose outcome depends on the date (time limits, validity, renewal windows, plans,
# statistics by period, back-dated demo data): marked ``clock`` here, in one place, so that
# ``.ci/run`` can run them again at other dates. A module elsewhere can mark itself with
# ``pytestmark = pytest.mark.clock``.
CLOCK_SENSITIVE = (
    "tests/licensing/",
    "tests/supervision/",
    "tests/dashboard/",
    "tests/core/test_workdays",
    "tests/core/test_workflow",
    "tests/core/test_periods",
    "tests/core/test_home",
    "tests/core/test_assignment",
    "tests/core/test_identifiers",
    "tests/core/test_numbering",
    "tests/core/test_notifications",
    "tests/core/test_seed_demo",
    "tests/core/test_enterprise_demo",
    "tests/core/test_documents",
    "tests/core/test_verify_pages",
    "tests/core/test_it_extends_in_the_case_types_unit",
    "tests/core/test_it_warns_admins_until_the_holiday_calendar_is_confirmed",
    "tests/core/test_it_registers_applicants_whatever_their_county",
    "tests/core/test_identity_",
    "tests/core/test_it_keeps_api_tokens_on_a_short_leash",
    "tests/core/test_it_keeps_the_qr_verdict_until_the_document_changes",
    "tests/core/test_assignments_flag_overdue_and_name_actions",
    "tests/core/test_audit_log_reads_like_prose",
    "tests/core/test_ratings_",
    "tests/core/test_formal_documents_",
)


def pytest_itemcollected(item):
    relative = Path(item.fspath).relative_to(Path(item.config.rootpath)).as_posix()
    if relative.startswith(CLOCK_SENSITIVE) and "browser" not in item.keywords:
        item.add_marker(pytest.mark.clock)


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Every test starts at ``test_now()``; time then ticks (leases, rate-limit windows and
    timeouts still see seconds pass), but the date never depends on when the suite runs."""
    with time_machine.travel(test_now(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (per-address rate-limit counters live there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded and issued files of a test go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 costs ~150 ms a hash by design; tests use a fast hasher unless marked
    ``argon2`` (the test that proves production hashing is Argon2)."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


REFERENCE_DATA_MIGRATIONS = [
    "zonegov.core.migrations.0002_roles_and_case_types",
    "zonegov.core.migrations.0003_industry_codes",
    "zonegov.licensing.migrations.0002_case_type",
    "zonegov.core.migrations.0017_ratings",
]


def fresh_content_types() -> None:
    """After an earlier transactional test's flush, Django's in-process content-type cache
    can name rows that are gone (and Playwright's thread does not see the serialized copy
    that would restore them): rebuild both. Browser tests that write rows pointing at a
    content type (attachments, timelines, work items) call it first."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)


def ensure_reference_data() -> None:
    """Re-run the data migrations (idempotent) when a transactional test's flush emptied
    them. Needed for browser tests: with Playwright's event loop running, Django's
    serialized-rollback restore does not see its saved copy (observed with Django 5.2)."""
    if Role.objects.exists() and CaseType.objects.filter(code="assignment").exists():
        return
    from django.apps import apps as django_apps

    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).forwards(django_apps, None)


@pytest.fixture
def cast(db) -> Cast:
    ensure_reference_data()
    zone = make_unit("平顶山高新区", "zone", UnitKind.ZONE, None)
    dept = make_unit("行政服务中心", "xzfw", UnitKind.DEPARTMENT, zone)
    park = make_unit("电气装备产业园区", "dqzb", UnitKind.PARK, zone)
    street = make_unit("皇台街道", "htjd", UnitKind.STREET, zone)
    community = make_unit("高阳社区", "gysq", UnitKind.COMMUNITY, street)
    applicant = make_user("13800000001", None, full_name="张三")
    applicant.mobile = "13800000001"
    applicant.save()
    other = make_user("13800000002", None, full_name="李四")
    other.mobile = "13800000002"
    other.save()
    return Cast(
        zone=zone,
        dept=dept,
        park=park,
        street=street,
        community=community,
        admin=make_user("admin", zone, ORG_ADMIN, full_name="管理员"),
        leader=make_user("leader", zone, LEADER, full_name="王主任"),
        officer=make_user("officer", dept, LICENSING_OFFICER, full_name="审批员甲"),
        park_officer=make_user("park_officer", park, PARK_OFFICER, full_name="园区专员"),
        grid_worker=make_user("grid_worker", community, GRID_WORKER, full_name="网格员"),
        applicant=applicant,
        other_applicant=other,
    )


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user`` and returns the client."""

    def _login(user: User):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


# Every transactional test (transaction=True) must also pass serialized_rollback=True:
# the flush after a plain transactional test re-creates content types, which then clash
# with the serialized copy the next serialized test restores (seen on PostgreSQL). It also
# keeps the data migrations' rows (roles, case types, industry codes) for later tests.


# --- Real Chromium (Debian's package) driven by Playwright; never a downloaded browser.


CHROMIUM = Path(os.environ.get("ZONEGOV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the
# tests make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run last (after pytest-django's own ordering): while Playwright runs,
    Django's per-test database restore does not see its saved copy, so the state a
    browser test leaves behind must not reach other tests."""
    browser_items = [item for item in items if "browser" in item.keywords]
    items[:] = [item for item in items if "browser" not in item.keywords] + browser_items
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: install Debian's chromium (make test does this when it can)"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: while Playwright's sync API is running, the main thread
    # has a running event loop, and later non-browser tests that call asyncio.run()
    # (pyHanko signing) would fail.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
