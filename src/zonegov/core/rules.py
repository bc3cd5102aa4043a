"""Object permissions (django-rules). Each page and endpoint names one of these.

Scoping rule of DESIGN.md: a staff user sees the records of their unit and the units
below it; an applicant sees only what is theirs; the public only what is public.
"""

import rules

from zonegov.core.roles import REGISTRY_EDITOR_ROLES, RoleCode


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_staff_member


def has_role(*codes: str):
    name = "has_role:" + ",".join(codes)

    @rules.predicate(name=name)
    def _has_role(user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.has_role(*codes)

    return _has_role


def unit_in_scope(user, unit) -> bool:
    """True when ``unit`` is the user's unit or below it."""
    if unit is None or not getattr(user, "is_authenticated", False) or not user.unit_id:
        return False
    return unit.path.startswith(user.unit.path)


@rules.predicate
def case_in_scope(user, case) -> bool:
    if case is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(case, "assignee_id", None) == user.pk:
        return True
    if getattr(case, "created_by_id", None) == user.pk:
        return True
    return user.is_staff_member and unit_in_scope(user, case.unit)


@rules.predicate
def enterprise_editable(user, enterprise) -> bool:
    """Registry editors: licensing officers serve the whole zone (行政服务中心); org admins
    and park officers edit the enterprises of their own unit and the units below it."""
    if not (getattr(user, "is_authenticated", False) and user.is_staff_member):
        return False
    if not user.has_role(*REGISTRY_EDITOR_ROLES):
        return False
    if enterprise is None or user.has_role(RoleCode.LICENSING_OFFICER):
        return True
    if user.unit.parent_id is None:
        return True
    return enterprise.park_id is not None and unit_in_scope(user, enterprise.park)


is_org_admin = has_role(RoleCode.ORG_ADMIN)
is_leader = has_role(RoleCode.LEADER)

rules.add_perm("core.view_unit", is_staff_member)
rules.add_perm("core.manage_units", is_org_admin)
rules.add_perm("core.view_enterprise", is_staff_member)
rules.add_perm("core.change_enterprise", enterprise_editable)
rules.add_perm("core.add_enterprise", has_role(*REGISTRY_EDITOR_ROLES))
rules.add_perm("core.view_assignment", case_in_scope)
# Who takes part in an assignment (issuer, handling unit, assignee, their superiors) also
# adds its files (core.attachments_rules).
rules.add_perm("core.change_assignment", case_in_scope)
rules.add_perm("core.add_assignment", has_role(RoleCode.LEADER, RoleCode.ORG_ADMIN))
rules.add_perm("core.view_audit", is_org_admin | is_leader)
