"""The navigation registry. Every app registers the entries of its module here (in its
AppConfig.ready), naming the roles that may use each; the menu shows only those."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zonegov.core.roles import LEADER, ORG_ADMIN


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: Any
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty = any staff member
    staff_only: bool = True
    order: int = 100
    visible: Callable[[Any], bool] | None = None

    def allowed(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.visible is not None:
            return self.visible(user)
        if self.staff_only and not user.is_staff_member:
            return False
        return not self.roles or user.has_role(*self.roles)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_REGISTRY: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    _REGISTRY[entry.key] = entry


def entries_for(user: Any) -> list[NavEntry]:
    return sorted((e for e in _REGISTRY.values() if e.allowed(user)), key=lambda e: e.order)


register(NavEntry("home", _("我的工作"), "home", staff_only=False, order=0))
register(
    NavEntry(
        "assignments",
        _("交办督办"),
        "assignment_list",
        order=10,
    )
)
register(NavEntry("enterprises", _("市场主体"), "enterprise_list", order=20))
register(
    NavEntry(
        "org",
        _("组织机构"),
        "unit_list",
        roles=frozenset({ORG_ADMIN, LEADER}),
        order=80,
    )
)
register(
    NavEntry(
        "audit",
        _("审计日志"),
        "audit_list",
        roles=frozenset({ORG_ADMIN, LEADER}),
        order=90,
    )
)
register(
    NavEntry(
        "outbox",
        _("对外推送"),
        "outbox_list",
        roles=frozenset({ORG_ADMIN, LEADER}),
        order=95,
    )
)
register(
    NavEntry(
        "identity",
        _("实名核验"),
        "identity_home",
        staff_only=False,
        order=6,
        visible=lambda user: user.is_authenticated and not user.is_staff_member,
    )
)
register(
    NavEntry(
        "api_clients",
        _("API 客户端"),
        "api_client_list",
        roles=frozenset({ORG_ADMIN}),
        order=96,
        # The role first: has_perm of anyone else would fall through to Django's model
        # backend and cost two permission queries on every staff page.
        visible=lambda user: (
            user.is_staff_member
            and user.has_role(ORG_ADMIN)
            and user.has_perm("core.manage_api_clients")
        ),
    )
)
register(
    NavEntry(
        "services",
        _("办事服务"),
        "service_list",
        staff_only=False,
        order=4,
        # Applicants: the public service list and its 办事指南 (logged-out visitors have it
        # as their home page).
        visible=lambda user: user.is_authenticated and not user.is_staff_member,
    )
)
