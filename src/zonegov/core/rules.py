"""Object permissions (django-rules). Each page and endpoint names one of these.

Scoping rule of DESIGN.md: a staff user sees the records of their unit and the units
below it; an applicant sees only what is theirs; the public only what is public.
"""

from collections.abc import Callable
from typing import Any

import rules

from zonegov.core.roles import LEADER, ORG_ADMIN, REGISTRY_EDITOR_ROLES, ZONE_WIDE_ROLES


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


def is_zone_level(unit) -> bool:
    """The zone itself or one of its departments (部门, at any depth): units that serve the
    whole zone rather than one park, street or town."""
    from zonegov.core.models.org import UnitKind

    return unit is not None and (unit.parent_id is None or unit.kind == UnitKind.DEPARTMENT)


def at_zone_top(user) -> bool:
    """A staff member of the zone unit itself (the top of the tree): zone-level org admins
    and leaders, who see zone-wide logs (audit addresses, outbox payloads)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_staff_member
        and user.unit.parent_id is None
    )


def zone_root_path(unit) -> str:
    """Path of the zone at the top of ``unit``'s tree ("/1/")."""
    return "/" + unit.path.strip("/").split("/")[0] + "/"


def role_scope_path(user, role: str) -> str | None:
    """The unit path whose subtree ``role``, held by ``user``, covers; None without a unit.

    A zone-wide role (``ZONE_WIDE_ROLES``) covers the whole zone only when it is held in a
    zone-level unit (the zone or a department): that is where a zone-level org admin
    places such staff. Held anywhere else — say a park officer made 审批员 before the grant
    rule existed — it covers the holder's unit like every other role, so a wrongly held
    role gives no zone-wide reach. Every rule that widens a role beyond the holder's unit
    asks this function."""
    unit = getattr(user, "unit", None)
    if unit is None or not unit.path:
        return None
    if role in ZONE_WIDE_ROLES and is_zone_level(unit):
        return zone_root_path(unit)
    return unit.path


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
    """Registry editors edit the enterprises within the scope of an editor role they hold
    (``role_scope_path``): licensing officers of the service centre (a zone department) the
    whole zone, org admins and park officers their own unit and the units below it. An
    enterprise filed under no park is edited only with a zone-wide scope."""
    if not (getattr(user, "is_authenticated", False) and user.is_staff_member):
        return False
    held = [role for role in REGISTRY_EDITOR_ROLES if user.has_role(role)]
    if not held:
        return False
    if enterprise is None:
        return True
    scopes = {path for role in held if (path := role_scope_path(user, role))}
    if enterprise.park_id is None:
        return zone_root_path(user.unit) in scopes
    return any(enterprise.park.path.startswith(path) for path in scopes)


# Who may read an issued document (core.IssuedDocument, e.g. the signed PDF at
# /api/documents/{number}/pdf) is decided by the app that owns the document's subject: it
# registers a check under the subject's model label in its AppConfig.ready, normally the
# very rule of its own page for that document (licensing: the certificate page's rule), so
# both answer alike. A document whose subject no app claims is for zone-level org admins.
_DOCUMENT_READERS: dict[str, Callable[[Any, Any], bool]] = {}


def register_document_reader(model_label: str, check: Callable[[Any, Any], bool]) -> None:
    """``check(user, subject) -> bool`` decides who may read documents about ``subject``
    (an instance of ``model_label``, "app_label.modelname")."""
    _DOCUMENT_READERS[model_label.lower()] = check


@rules.predicate
def document_readable(user, document) -> bool:
    if document is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if document.subject_type_id:
        label = f"{document.subject_type.app_label}.{document.subject_type.model}"
        check = _DOCUMENT_READERS.get(label)
        if check is not None:
            subject = document.subject
            return subject is not None and bool(check(user, subject))
    return user.is_staff_member and user.has_role(ORG_ADMIN) and user.unit.parent_id is None


@rules.predicate
def is_registry_editor(user) -> bool:
    """Holds a role declared ``registry_editor`` (read at each call: apps declare roles in
    their AppConfig.ready, after this module is imported)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*REGISTRY_EDITOR_ROLES)


is_org_admin = has_role(ORG_ADMIN)
is_leader = has_role(LEADER)

rules.add_perm("core.view_unit", is_staff_member)
rules.add_perm("core.manage_units", is_org_admin)
rules.add_perm("core.view_enterprise", is_staff_member)
rules.add_perm("core.change_enterprise", enterprise_editable)
rules.add_perm("core.add_enterprise", is_registry_editor)
rules.add_perm("core.view_assignment", case_in_scope)
# Who takes part in an assignment (issuer, handling unit, assignee, their superiors) also
# adds its files (core.attachments_rules).
rules.add_perm("core.change_assignment", case_in_scope)
rules.add_perm("core.add_assignment", has_role(LEADER, ORG_ADMIN))
rules.add_perm("core.view_audit", is_org_admin | is_leader)
rules.add_perm("core.view_document", document_readable)
# The outbox is zone-wide (its messages carry no unit) and its payloads hold mobile numbers
# and texts: zone-level org admins and leaders read it, payloads for zone-level org admins.
is_zone_top = rules.predicate(at_zone_top, name="at_zone_top")
rules.add_perm("core.view_outbox", is_zone_top & (is_org_admin | is_leader))
rules.add_perm("core.view_outbox_payload", is_zone_top & is_org_admin)
# API clients (core.ApiClient) hold zone-wide scopes: zone-level org admins issue them.
rules.add_perm("core.manage_api_clients", is_zone_top & is_org_admin)
