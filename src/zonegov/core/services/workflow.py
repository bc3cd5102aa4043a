"""Services of the shared workflow: open a case, fire a transition, extend the time limit.

Every case module calls these instead of saving its state itself, so the timeline, the
cross-module ``WorkItem`` index and the audit chain never miss a change.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from zonegov.core import workdays
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import CaseType, TimelineEntry, WorkflowCase, WorkItem
from zonegov.core.models.workflow import unit_suffix
from zonegov.core.services.attachments import attachment_add
from zonegov.core.services.audit import audit_append


@dataclass(frozen=True)
class TransitionOption:
    name: str
    label: str
    note_required: bool
    # Bootstrap button style (``custom={"style": ...}``): "success" for a step that
    # completes, "outline-danger" for one that refuses or sends back; else "primary".
    style: str = "primary"


def _state_label(case: WorkflowCase) -> str:
    field = case._meta.get_field("state")
    return str(dict(field.choices or []).get(case.state, case.state))


def _sync_work_item(case: WorkflowCase, case_type: CaseType | None = None) -> None:
    """Update the case's row of the work-item index, or add it. One UPDATE (plus an INSERT
    the first time) and no savepoints: callers hold the case's row lock, so no other
    transaction adds the same item meanwhile. Without ``case_type`` the case's own type
    code is written: an existing item's type row exists (the item protects it), and a
    missing item is added only after ``case_type_for`` found the type."""
    content_type = ContentType.objects.get_for_model(case)
    url = case.get_absolute_url() if hasattr(case, "get_absolute_url") else ""
    key = {"content_type": content_type, "object_id": str(case.pk)}
    values = {
        "case_type_id": case_type.pk if case_type is not None else case.CASE_TYPE,
        "reference": case.reference,
        "title": case.case_title()[:200],
        "state": case.state,
        "state_label": _state_label(case),
        "is_open": case.is_open,
        "unit_id": case.unit_id,
        "assignee_id": case.assignee_id,
        "applicant_id": case.case_applicant_id(),
        "url": url,
        "opened_at": case.opened_at,
        "due_at": case.due_at,
        "closed_at": case.closed_at,
    }
    if not WorkItem.objects.filter(**key).update(**values):
        values["case_type_id"] = (case_type or case_type_for(case)).pk
        WorkItem.objects.create(**key, **values)


def _timeline(
    case: WorkflowCase, *, actor: Any, action: str, label: str, before: str, note: str
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        content_type=ContentType.objects.get_for_model(case),
        object_id=str(case.pk),
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "display_name", "") if actor else "系统",
        action=action,
        action_label=label,
        from_state=before,
        to_state=case.state,
        note=note,
    )


def case_record(
    *, case: WorkflowCase, actor: Any, action: str, label: str, note: str = ""
) -> TimelineEntry:
    """Put a step that changes no state on the case's timeline (办理记录), e.g. an on-site
    visit ordered or recorded. The caller holds the case's row lock and audits the step."""
    return _timeline(case, actor=actor, action=action, label=label, before=case.state, note=note)


def case_type_for(case: WorkflowCase) -> CaseType:
    try:
        return CaseType.objects.get(code=case.CASE_TYPE)
    except CaseType.DoesNotExist as exc:
        raise ApplicationError(
            _("事项类型 %(code)s 未配置时限。") % {"code": case.CASE_TYPE}
        ) from exc


def case_start_clock(
    case: WorkflowCase,
    case_type: CaseType,
    *,
    start: datetime,
    time_limit: int | None = None,
    limit_unit: str | None = None,
) -> None:
    """Set ``case.due_at`` from ``start`` (not saved): ``time_limit`` (default: the case
    type's) counted in ``limit_unit`` (default: the case type's unit), with the case
    type's roll rule; the unit and the roll rule are recorded on the case."""
    limit = time_limit if time_limit is not None else case_type.time_limit
    case.limit_unit = limit_unit or case_type.limit_unit
    case.limit_rolls = case_type.rolls_to_working_day
    case.due_at = workdays.due_at(start, limit, case.limit_unit, roll=case.limit_rolls)


@transaction.atomic
def case_open(
    *,
    case: WorkflowCase,
    actor: Any,
    note: str = "",
    opened_at: datetime | None = None,
    time_limit: int | None = None,
    limit_unit: str | None = None,
) -> WorkflowCase:
    """Save a new case, start its clock from the case type's time limit (or ``time_limit``
    when the issuer sets one) in the case type's unit (or ``limit_unit``), record the
    timeline and the audit entry."""
    case_type = case_type_for(case)
    case.opened_at = opened_at or timezone.now()
    case_start_clock(
        case, case_type, start=case.opened_at, time_limit=time_limit, limit_unit=limit_unit
    )
    case.full_clean()
    case.save()
    _timeline(case, actor=actor, action="open", label=_("立案"), before="", note=note)
    _sync_work_item(case, case_type)
    audit_append(
        actor=actor,
        action=f"{case.CASE_TYPE}.open",
        obj=case,
        changes={
            "state": case.state,
            "due_at": case.due_at,
            "limit_unit": case.limit_unit,
            "limit_rolls": case.limit_rolls,
            "note": note,
        },
    )
    return case


def available_transitions(case: WorkflowCase, user: Any) -> list[TransitionOption]:
    options = []
    for transition in case.get_available_user_state_transitions(user):
        custom = transition.custom or {}
        options.append(
            TransitionOption(
                name=transition.name,
                label=str(custom.get("label", transition.name)),
                note_required=bool(custom.get("note_required")),
                style=str(custom.get("style", "primary")),
            )
        )
    return options


@transaction.atomic
def case_transition(
    *,
    case: WorkflowCase,
    transition: str,
    actor: Any,
    note: str = "",
    files: Sequence[File] = (),
    **kwargs: Any,
) -> WorkflowCase:
    """Fire ``transition`` on ``case`` as ``actor``; refuses with a message that says why.

    ``files`` are attached to the case (content-sniffed, size-checked) and listed on this
    step of the timeline; if any file is refused, the transition does not happen."""
    case = type(case).objects.select_for_update().get(pk=case.pk)
    method = getattr(case, transition, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ApplicationError(_("没有这个办理操作。"))
    option = next((t for t in case.get_all_state_transitions() if t.name == transition), None)
    label = str((option.custom or {}).get("label", transition)) if option else transition
    if not can_proceed(method):
        raise ApplicationError(
            _("当前状态“%(state)s”下不能执行“%(action)s”。")
            % {"state": _state_label(case), "action": label}
        )
    if not has_transition_perm(method, actor):
        raise PermissionRefused(_("您无权执行“%(action)s”。") % {"action": label})
    if option and (option.custom or {}).get("note_required") and not note.strip():
        raise ApplicationError(
            _("请填写“%(action)s”的意见或说明。") % {"action": label},
            field_errors={"note": [_("此项为必填。")]},
        )
    added = [attachment_add(actor=actor, owner=case, uploaded_file=f, label=label) for f in files]
    before = case.state
    method(**kwargs)
    if not case.is_open and case.closed_at is None:
        case.closed_at = timezone.now()
    case.save()
    entry = _timeline(case, actor=actor, action=transition, label=label, before=before, note=note)
    if added:
        entry.attachments.set(added)
    _sync_work_item(case)
    audit_append(
        actor=actor,
        action=f"{case.CASE_TYPE}.{transition}",
        obj=case,
        changes={
            "state": {"before": before, "after": case.state},
            "note": note,
            "attachments": [str(a.pk) for a in added],
        },
    )
    return case


@transaction.atomic
def case_transfer(*, case: WorkflowCase, actor: Any, unit: Any, note: str) -> WorkflowCase:
    """移交: hand an open case to another unit (its assignee is cleared: the new unit's
    staff take it up), keeping its state and time limit; the timeline says from whom to
    whom and why."""
    case = type(case).objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ApplicationError(_("已办结的事项不能移交。"))
    if case.unit_id == unit.pk:
        return case
    before_unit, before_assignee = case.unit, case.assignee_id
    case.unit = unit
    case.assignee = None
    case.save(update_fields=["unit", "assignee"])
    label = _("移交")
    text = _("由%(from)s移交%(to)s：%(note)s") % {
        "from": before_unit.name,
        "to": unit.name,
        "note": note,
    }
    _timeline(case, actor=actor, action="transfer", label=label, before=case.state, note=text)
    _sync_work_item(case)
    audit_append(
        actor=actor,
        action=f"{case.CASE_TYPE}.transfer",
        obj=case,
        changes={
            "unit": {"before": before_unit.pk, "after": unit.pk},
            "assignee": {"before": before_assignee, "after": None},
            "note": note,
        },
    )
    return case


@transaction.atomic
def case_extend(*, case: WorkflowCase, actor: Any, days: int, reason: str) -> WorkflowCase:
    """Extend the time limit once, by at most the case type's extension limit, with a reason
    (e.g. 食品经营许可: 10 working days, extendable by 5 with the head's approval).

    ``days`` is an amount in the case type's extension unit (working days, calendar days or
    months); the new last day follows the roll rule the case's due time was computed with.
    The unit is recorded on the case with the amount."""
    case = type(case).objects.select_for_update().get(pk=case.pk)
    case_type = case_type_for(case)
    unit = case_type.extension_unit
    suffix = unit_suffix(unit)
    if not case.is_open:
        raise ApplicationError(_("已办结的事项不能延期。"))
    if case.due_at is None:
        raise ApplicationError(_("该事项当前没有办理期限，无需延长。"))
    if case.extended_days:
        raise ApplicationError(_("该事项已经延长过一次时限，不能再次延长。"))
    if case_type.extension_limit < 1:
        raise ApplicationError(_("该类事项不能延长时限。"))
    if days < 1 or days > case_type.extension_limit:
        raise ApplicationError(
            _("延长时限应在1到%(n)d%(unit)s之间。")
            % {"n": case_type.extension_limit, "unit": suffix},
            field_errors={"days": [_("超出可延长的时限。")]},
        )
    if not reason.strip():
        raise ApplicationError(
            _("延长时限必须填写理由。"), field_errors={"reason": [_("此项为必填。")]}
        )
    before = case.due_at
    case.due_at = workdays.end_of_day(
        workdays.deadline(workdays.local_date(case.due_at), days, unit, roll=case.limit_rolls)
    )
    case.extended_days = days
    case.extension_unit = unit
    case.extension_reason = reason.strip()
    case.save()
    note = _("延长%(n)d%(unit)s，至%(due)s。理由：%(reason)s") % {
        "n": days,
        "unit": suffix,
        "due": workdays.local_date(case.due_at).isoformat(),
        "reason": reason.strip(),
    }
    _timeline(case, actor=actor, action="extend", label=_("延长时限"), before=case.state, note=note)
    _sync_work_item(case, case_type)
    audit_append(
        actor=actor,
        action=f"{case.CASE_TYPE}.extend",
        obj=case,
        changes={
            "due_at": {"before": before, "after": case.due_at},
            "days": days,
            "unit": unit,
            "reason": reason,
        },
    )
    return case
