"""核查: the inspection unit's remote check of each capture-guide item, on-site visits
(不少于两名核查员) and handing the verified case to the approver."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import User
from zonegov.core.services.audit import audit_append
from zonegov.core.services.workflow import case_record, case_transition
from zonegov.licensing import kinds, notices
from zonegov.licensing.models import (
    Application,
    AppState,
    CheckResult,
    OnsiteVisit,
    SiteCheckItem,
    is_inspector,
)
from zonegov.licensing.selectors import capture_guide
from zonegov.licensing.services._common import lock_application
from zonegov.licensing.services.instruments import onsite_record_issue


def _require_inspecting(actor: Any, app: Application) -> None:
    if not is_inspector(app, actor):
        raise PermissionRefused(_("只有核查单位的核查员可以记录核查结果。"))
    if app.state != AppState.INSPECTING:
        raise ApplicationError(_("申请不在核查阶段。"))


@transaction.atomic
def site_check_record(
    *, actor: Any, application: Application, code: str, result: str, note: str = ""
) -> SiteCheckItem:
    """Record pass/fail and a note for one capture-guide item (remote verification)."""
    app = lock_application(application)
    _require_inspecting(actor, app)
    shots = {row.shot.code: row.shot for row in capture_guide(app)}
    if code not in shots:
        raise ApplicationError(_("没有这个核查项目。"), field_errors={"code": [_("无效的项目。")]})
    if result not in CheckResult.values:
        raise ApplicationError(
            _("请选择“符合”或“不符合”。"), field_errors={"result": [_("请选择结论。")]}
        )
    note = (note or "").strip()
    if result == CheckResult.FAIL and not note:
        raise ApplicationError(
            _("判定“不符合”时请写明问题。"), field_errors={"note": [_("请写明不符合的情况。")]}
        )
    item, _created = SiteCheckItem.objects.update_or_create(
        application=app,
        code=code,
        defaults={
            "label": shots[code].label,
            "result": result,
            "note": note[:500],
            "checked_by": actor,
            "checked_at": timezone.now(),
        },
    )
    audit_append(
        actor=actor,
        action="licensing.site_check",
        obj=app,
        changes={"item": code, "result": result, "note": note},
    )
    return item


@transaction.atomic
def onsite_visit_order(
    *, actor: Any, application: Application, reason: str, inspectors: list[User]
) -> OnsiteVisit:
    """Order an on-site check by at least two inspectors (research note §1.5 [M])."""
    app = lock_application(application)
    _require_inspecting(actor, app)
    if not (reason or "").strip():
        raise ApplicationError(
            _("请说明需要现场核查的原因。"), field_errors={"reason": [_("此项为必填。")]}
        )
    people = list(dict.fromkeys(inspectors))
    if len(people) < kinds.MIN_ONSITE_INSPECTORS:
        raise ApplicationError(
            _("现场核查应由不少于%(n)d名核查人员进行。") % {"n": kinds.MIN_ONSITE_INSPECTORS},
            field_errors={"inspectors": [_("请至少选择两名核查员。")]},
        )
    if any(not is_inspector(app, p) for p in people):
        raise ApplicationError(
            _("所选人员须为核查单位的核查员。"), field_errors={"inspectors": [_("人员无效。")]}
        )
    visit = OnsiteVisit.objects.create(
        application=app, ordered_by=actor, ordered_at=timezone.now(), reason=reason.strip()[:300]
    )
    visit.inspectors.set(people)
    case_record(
        case=app,
        actor=actor,
        action="onsite_order",
        label=_("安排现场核查"),
        note=_("%(reason)s（核查人员：%(people)s）")
        % {"reason": visit.reason, "people": "、".join(p.display_name for p in people)},
    )
    audit_append(
        actor=actor,
        action="licensing.onsite.order",
        obj=app,
        changes={"reason": reason, "inspectors": [p.display_name for p in people]},
    )
    notices.onsite_ordered(app, visit)
    return visit


@transaction.atomic
def onsite_visit_record(
    *, actor: Any, visit: OnsiteVisit, visited_on: date, result: str, note: str
) -> OnsiteVisit:
    visit = OnsiteVisit.objects.select_for_update().get(pk=visit.pk)
    app = visit.application
    _require_inspecting(actor, app)
    if not visit.inspectors.filter(pk=actor.pk).exists():
        raise PermissionRefused(_("只有参加现场核查的核查员可以记录结果。"))
    if result not in CheckResult.values:
        raise ApplicationError(_("请选择核查结论。"), field_errors={"result": [_("请选择结论。")]})
    if not (note or "").strip():
        raise ApplicationError(_("请填写核查情况。"), field_errors={"note": [_("此项为必填。")]})
    if visited_on > timezone.localdate():
        raise ApplicationError(
            _("核查日期不能晚于今天。"), field_errors={"visited_on": [_("日期无效。")]}
        )
    visit.visited_on, visit.result, visit.note = visited_on, result, note.strip()
    visit.recorded_at = timezone.now()
    visit.save()
    case_record(
        case=app,
        actor=actor,
        action="onsite_record",
        label=_("记录现场核查结果"),
        note=_("%(day)s 现场核查%(result)s：%(note)s")
        % {
            "day": visited_on.isoformat(),
            "result": visit.get_result_display(),
            "note": visit.note,
        },
    )
    audit_append(
        actor=actor,
        action="licensing.onsite.record",
        obj=app,
        changes={"visit": visit.pk, "result": result, "note": note},
    )
    onsite_record_issue(actor=actor, visit=visit)
    return visit


@transaction.atomic
def inspection_finish(*, actor: Any, application: Application, note: str = "") -> Application:
    """Hand the verified case to the approver; every guide item needs a verdict unless an
    on-site visit was recorded."""
    app = lock_application(application)
    _require_inspecting(actor, app)
    rows = capture_guide(app)
    visit_done = app.onsite_visits.filter(recorded_at__isnull=False).exists()
    pending = [r.shot.label for r in rows if r.check is None]
    if pending and not visit_done:
        raise ApplicationError(
            _("还有核查项目未给出结论：%(items)s。") % {"items": "、".join(pending)}
        )
    open_visits = app.onsite_visits.filter(recorded_at__isnull=True).exists()
    if open_visits:
        raise ApplicationError(_("已安排的现场核查尚未记录结果。"))
    fails = [
        f"{r.shot.label}：{r.check.note}" for r in rows if r.check and r.check.result == "fail"
    ]
    visit = app.onsite_visits.filter(recorded_at__isnull=False).order_by("-recorded_at").first()
    if visit is not None:
        # The recorded on-site visit replaces the remote verdicts (it was ordered because
        # they were not enough): the hand-over says what the visit found.
        summary = _("核查结论：现场核查%(result)s（%(day)s）— %(note)s") % {
            "result": visit.get_result_display(),
            "day": visit.visited_on.isoformat() if visit.visited_on else "",
            "note": visit.note,
        }
        if fails:
            summary += "\n" + _("远程核查曾发现：%(fails)s") % {"fails": "；".join(fails)}
    else:
        summary = _("核查结论：%(verdict)s") % {
            "verdict": _("存在不符合项 — ") + "；".join(fails) if fails else _("各项均符合")
        }
    return case_transition(
        case=app,
        transition="finish_inspection",
        actor=actor,
        note="\n".join(x for x in (summary, (note or "").strip()) if x),
    )
