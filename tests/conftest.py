"""Shared test cast: a small zone tree and a fixed set of users (healthchecks-style).

zone (高新区)
├── dept  行政服务中心 (licensing officer ``officer``)
├── park  电气装备产业园区 (park officer ``park_officer``)
└── street 皇台街道
    └── community 高阳社区 (grid worker ``grid_worker``)
Plus ``admin`` (org admin at zone level), ``leader`` (zone), ``applicant`` and
``other_applicant`` (self-registered, no unit).
"""

from dataclasses import dataclass

import pytest

from zonegov.core.models import Role, Unit, User
from zonegov.core.models.org import UnitKind
from zonegov.core.roles import RoleCode

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 costs ~150 ms a hash by design; tests use a fast hasher unless marked
    ``argon2`` (the test that proves production hashing is Argon2)."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db) -> Cast:
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
        admin=make_user("admin", zone, RoleCode.ORG_ADMIN, full_name="管理员"),
        leader=make_user("leader", zone, RoleCode.LEADER, full_name="王主任"),
        officer=make_user("officer", dept, RoleCode.LICENSING_OFFICER, full_name="审批员甲"),
        park_officer=make_user("park_officer", park, RoleCode.PARK_OFFICER, full_name="园区专员"),
        grid_worker=make_user("grid_worker", community, RoleCode.GRID_WORKER, full_name="网格员"),
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
