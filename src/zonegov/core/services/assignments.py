from collections.abc import Sequence

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from zonegov.core.access import require_staff
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import Assignment, Enterprise, Unit, User
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.services.numbering import number_format
from zonegov.core.services.workflow import case_open, case_transition


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    title: str,
    description: str,
    unit: Unit,
    time_limit: int,
    assignee: User | None = None,
    enterprise: Enterprise | None = None,
) -> Assignment:
    """A leader or organisation admin hands a task to a unit within their scope, with a
    time limit in working days."""
    require_staff(actor, LEADER, ORG_ADMIN)
    if not unit.path.startswith(actor.unit.path):
        raise PermissionRefused(_("只能向本单位及下级单位交办事项。"))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("请填写事项名称。")]
    if not description.strip():
        errors["description"] = [_("请填写具体要求。")]
    if not 1 <= time_limit <= 250:
        errors["time_limit"] = [_("办理时限应为1到250个工作日。")]
    if assignee is not None and assignee.unit_id != unit.pk:
        errors["assignee"] = [_("承办人必须是承办单位的人员。")]
    if errors:
        raise ApplicationError(_("交办信息有误，请按提示修改。"), field_errors=errors)
    assignment = Assignment(
        reference=number_format(prefix="JB"),
        title=title.strip(),
        description=description.strip(),
        unit=unit,
        assignee=assignee,
        created_by=actor,
        enterprise=enterprise,
    )
    return case_open(case=assignment, actor=actor, time_limit=time_limit)


def assignment_act(
    *, actor: User, assignment: Assignment, action: str, note: str = "", files: Sequence[File] = ()
) -> Assignment:
    return case_transition(case=assignment, transition=action, actor=actor, note=note, files=files)
