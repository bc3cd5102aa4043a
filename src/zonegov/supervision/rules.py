"""Who may see and act on supervision records (django-rules).

Supervisors (监管/抽检员), inspectors (核查员) and leaders see the operators, inspections,
samplings and follow-ups of their unit and the units below it; only supervisors and
inspectors record and act (``change_*``, which also decides who may attach files).
Everything else answers 404 (``check_perm``).
"""

from typing import Any

import rules

from zonegov.core.roles import LEADER
from zonegov.core.rules import unit_in_scope
from zonegov.supervision.roles import INSPECTOR, SUPERVISOR

SUPERVISION_ROLES = frozenset({SUPERVISOR, INSPECTOR, LEADER})
ACTING_ROLES = frozenset({SUPERVISOR, INSPECTOR})
PLAN_ROLES = frozenset({SUPERVISOR, LEADER})


def may_view_in_unit(user: Any, unit: Any) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_staff_member):
        return False
    return user.has_role(*SUPERVISION_ROLES) and unit_in_scope(user, unit)


def may_act_in_unit(user: Any, unit: Any) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_staff_member):
        return False
    return user.has_role(*ACTING_ROLES) and unit_in_scope(user, unit)


@rules.predicate
def record_in_scope(user: Any, record: Any) -> bool:
    return record is not None and may_view_in_unit(user, record.unit)


@rules.predicate
def record_actionable(user: Any, record: Any) -> bool:
    return record is not None and may_act_in_unit(user, record.unit)


rules.add_perm("supervision.view_supervisedoperator", record_in_scope)
rules.add_perm("supervision.change_supervisedoperator", record_actionable)
rules.add_perm("supervision.view_inspection", record_in_scope)
rules.add_perm("supervision.change_inspection", record_actionable)
rules.add_perm("supervision.view_sampling", record_in_scope)
rules.add_perm("supervision.change_sampling", record_actionable)
rules.add_perm("supervision.view_followup", record_in_scope)
rules.add_perm("supervision.change_followup", record_actionable)
rules.add_perm("supervision.view_supervisionplan", record_in_scope)
