"""The role registry. Every staff page and API endpoint names the roles that may use it.

Each app declares the roles of its module (``<app>/roles.py``, imported by its
AppConfig.ready), as it registers its navigation and its KPIs; core declares only the
roles its own features use (below). A declaration returns the role's code, so an app
keeps readable constants (``licensing.roles.LICENSING_OFFICER``); core code never imports
an app's constants — where core needs to know which roles have a property (zone-wide
reach, editing the enterprise registry, verifying identities at the counter) it asks the
registry (:func:`zone_wide_roles`, :func:`registry_editor_roles`, :func:`counter_roles`).

A role several modules use (核查员 and 监管/抽检员 serve both licensing and supervision)
is declared by each of them: the registry accepts the same declaration again and refuses
one that contradicts it, at start-up.

The ``Role`` table holds one row per registered role: ``sync_role_rows`` (a
``post_migrate`` handler, so after every ``migrate`` and every test database set-up)
creates the rows of roles declared since and keeps their names.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RegisteredRole:
    code: str
    label: Any
    #: Its holders act for the whole zone, whatever park or street a record belongs to —
    #: granted and revoked only by a zone-level org admin (core.services.users), and
    #: zone-wide only where held in a zone-level unit (core.rules.role_scope_path).
    zone_wide: bool = False
    #: Creates and edits entries of the enterprise registry (市场主体库).
    registry_editor: bool = False
    #: Verifies applicants' identities at the counter (柜面核验, core.services.identity).
    counter: bool = False
    order: int = 100  # position in the grant form and in lists of roles
    declared_by: str = ""  # the module that declared it (for error messages)

    def _same_as(self, other: RegisteredRole) -> bool:
        return (self.zone_wide, self.registry_editor, self.counter) == (
            other.zone_wide,
            other.registry_editor,
            other.counter,
        )


_ROLES: dict[str, RegisteredRole] = {}


def register_role(
    code: str,
    label: Any,
    *,
    zone_wide: bool = False,
    registry_editor: bool = False,
    counter: bool = False,
    order: int = 100,
    declared_by: str = "",
) -> str:
    """Declare a role; returns its code. Declaring it again with the same properties is
    a no-op (the first label and order stay); different properties are a configuration
    error, raised at start-up."""
    if not code or len(code) > 40 or not code.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"role code {code!r}: 1-40 letters, digits or '_'")
    role = RegisteredRole(
        code=code,
        label=label,
        zone_wide=zone_wide,
        registry_editor=registry_editor,
        counter=counter,
        order=order,
        declared_by=declared_by,
    )
    known = _ROLES.get(code)
    if known is None:
        _ROLES[code] = role
    elif not known._same_as(role):
        raise ImproperlyConfigured(
            f"role {code!r} declared by {declared_by or '?'} differs from its declaration "
            f"by {known.declared_by or '?'} (zone_wide, registry_editor, counter)"
        )
    return code


def unregister_role(code: str) -> None:
    """For tests that declare a role of their own."""
    _ROLES.pop(code, None)


def registered_roles() -> list[RegisteredRole]:
    """Every declared role, in grant-form order."""
    return sorted(_ROLES.values(), key=lambda r: (r.order, r.code))


def get_role(code: str) -> RegisteredRole | None:
    return _ROLES.get(code)


def role_label(code: str) -> str:
    """The role's name, or its code when no module declares it (a row left from a module
    that was removed)."""
    role = _ROLES.get(code)
    return str(role.label) if role is not None else code


def role_choices() -> list[tuple[str, Any]]:
    """(code, label) of every declared role: the choices of ``Role.code`` and of the
    grant form, read when they are shown."""
    return [(r.code, r.label) for r in registered_roles()]


class _LiveRoleSet(Set):
    """A read-only set of role codes computed from the registry at each use, so a module
    that names it at import time still sees the roles declared after it was imported."""

    def __init__(self, include: Any) -> None:
        self._include = include

    def _codes(self) -> frozenset[str]:
        return frozenset(code for code, role in _ROLES.items() if self._include(role))

    def __contains__(self, code: object) -> bool:
        role = _ROLES.get(code) if isinstance(code, str) else None
        return role is not None and bool(self._include(role))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._codes()))

    def __len__(self) -> int:
        return len(self._codes())

    @classmethod
    def _from_iterable(cls, it: Any) -> frozenset[str]:
        return frozenset(it)

    def __repr__(self) -> str:
        return f"<roles {sorted(self._codes())}>"


#: Every declared role: holding one makes a user with a unit a staff member.
STAFF_ROLES: Set[str] = _LiveRoleSet(lambda role: True)
#: Roles whose holders act for the whole zone (``RegisteredRole.zone_wide``). Table:
#: docs/usage.md "角色与授权".
ZONE_WIDE_ROLES: Set[str] = _LiveRoleSet(lambda role: role.zone_wide)
#: Who may create and edit entries of the enterprise registry (市场主体库).
REGISTRY_EDITOR_ROLES: Set[str] = _LiveRoleSet(lambda role: role.registry_editor)
#: Who may verify an applicant's identity at the counter (柜面核验).
COUNTER_ROLES: Set[str] = _LiveRoleSet(lambda role: role.counter)


def staff_roles() -> frozenset[str]:
    return frozenset(STAFF_ROLES)


def zone_wide_roles() -> frozenset[str]:
    return frozenset(ZONE_WIDE_ROLES)


def registry_editor_roles() -> frozenset[str]:
    return frozenset(REGISTRY_EDITOR_ROLES)


def counter_roles() -> frozenset[str]:
    return frozenset(COUNTER_ROLES)


def sync_role_rows(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate``: a ``Role`` row for every declared role (name in the site's
    language), so a role declared by a newly installed module can be granted at once.
    Rows of roles no module declares any more are kept (users may still hold them)."""
    from django.apps import apps as global_apps
    from django.conf import settings
    from django.db import DEFAULT_DB_ALIAS, router
    from django.utils import translation

    apps = kwargs.get("apps") or global_apps
    try:
        Role = apps.get_model("core", "Role")
    except LookupError:  # migrating backwards past core's first migration
        return
    if not router.allow_migrate_model(using or DEFAULT_DB_ALIAS, Role):
        return
    with translation.override(settings.LANGUAGE_CODE):
        for role in registered_roles():
            Role.objects.using(using).update_or_create(
                code=role.code, defaults={"name": str(role.label)[:50]}
            )


# --- core's own roles --------------------------------------------------------------------

#: 组织管理员: the organisation tree, people and their roles, the audit log and outbox.
ORG_ADMIN = register_role(
    "org_admin", _("组织管理员"), registry_editor=True, order=10, declared_by="core"
)
#: 园区专员: edits the registry entries of the enterprises of their park and sees the
#: dashboard figures of those enterprises (core.kpis); the park module's own work
#: (visits, cultivation pools, vouchers) is not built yet.
PARK_OFFICER = register_role(
    "park_officer", _("园区专员"), registry_editor=True, order=50, declared_by="core"
)
#: 领导: dashboards, assignments (交办督办), the audit log.
LEADER = register_role("leader", _("领导"), order=90, declared_by="core")
