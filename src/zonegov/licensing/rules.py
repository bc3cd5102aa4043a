"""Object permissions (django-rules, autodiscovered).

An applicant sees only their own applications (drafts included), licences and the files
attached to them; staff with a licensing role see submitted applications of their unit
(the accepting 行政服务中心, or the inspection unit a case was sent to) and the units
below it, never drafts. Refusals are 404s (``core.access.check_perm``).
"""

from typing import Any

import rules

from zonegov.core.roles import LEADER
from zonegov.core.rules import unit_in_scope
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER, SUPERVISOR

LICENSING_ROLES = (LICENSING_OFFICER, INSPECTOR, LEADER)
WORKBENCH_ROLES = frozenset(LICENSING_ROLES)


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_staff_member


@rules.predicate
def may_view_application(user: Any, application: Any) -> bool:
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    if application.applicant_id == user.pk:
        return True
    if application.state == "draft" or not _staff(user) or not user.has_role(*LICENSING_ROLES):
        return False
    if unit_in_scope(user, application.unit):
        return True
    return application.inspection_unit_id is not None and unit_in_scope(
        user, application.inspection_unit
    )


@rules.predicate
def may_view_licence(user: Any, licence: Any) -> bool:
    if licence is None or not getattr(user, "is_authenticated", False):
        return False
    if licence.owner_id == user.pk:
        return True
    return (
        _staff(user)
        and user.has_role(*LICENSING_ROLES, SUPERVISOR)
        and unit_in_scope(user, licence.unit)
    )


@rules.predicate
def may_change_application(user: Any, application: Any) -> bool:
    """Only the applicant changes an application's content (form, photos, videos); staff
    act on it through its transitions."""
    return (
        application is not None
        and getattr(user, "is_authenticated", False)
        and application.applicant_id == user.pk
    )


def application_takes_files(application: Any) -> bool:
    """Photos and videos change only while the application is editable (草稿, 待补正)."""
    from zonegov.licensing.services import EDITABLE_STATES

    return application.state in EDITABLE_STATES


@rules.predicate
def is_licensing_staff(user: Any) -> bool:
    return _staff(user) and user.has_role(*LICENSING_ROLES)


rules.add_perm("licensing.view_application", may_view_application)
rules.add_perm("licensing.change_application", may_change_application)
rules.add_perm("licensing.view_licence", may_view_licence)
rules.add_perm("licensing.use_workbench", is_licensing_staff)
