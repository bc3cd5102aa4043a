"""The licensing officer's decisions on a case: 受理, 一次性告知补正, 准予许可 (with the
certificate), 不予许可 and the one extension of the decision limit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.services.workflow import case_extend, case_transition
from zonegov.licensing import kinds, notices
from zonegov.licensing.models import Application, AppState, is_approver
from zonegov.licensing.selectors import EXTENDABLE_STATES
from zonegov.licensing.services._common import inspection_unit
from zonegov.licensing.services.certificates import certificate_issue, certificate_note
from zonegov.licensing.services.instruments import (
    acceptance_notice_issue,
    correction_notice_issue,
    refusal_decision_issue,
)


@transaction.atomic
def application_accept(*, actor: Any, application: Application, note: str = "") -> Application:
    """受理: starts the decision time limit; routes to inspection (site check needed) or
    straight to review."""
    app = case_transition(case=application, transition="accept", actor=actor, note=note)
    acceptance_notice_issue(actor=actor, application=app)
    if app.needs_site_check:
        unit = inspection_unit() or app.unit
        Application.objects.filter(pk=app.pk).update(inspection_unit=unit)
        app = case_transition(
            case=app, transition="send_to_inspection", actor=actor, note=unit.name
        )
    else:
        app = case_transition(case=app, transition="begin_review", actor=actor)
    notices.accepted(app)
    return app


@transaction.atomic
def application_request_correction(
    *, actor: Any, application: Application, items: list[str], note: str
) -> Application:
    """一次性告知补正: one notice listing everything missing (行政许可法第三十二条)."""
    clean = [str(i).strip() for i in items if str(i).strip()]
    if not clean and not (note or "").strip():
        raise ApplicationError(
            _("请列出需要补正的全部材料或事项（一次性告知）。"),
            field_errors={"items": [_("此项为必填。")]},
        )
    notice = "\n".join([*(f"{n}. {t}" for n, t in enumerate(clean, 1)), note.strip()]).strip()
    Application.objects.filter(pk=application.pk).update(
        correction_items=clean, correction_notice=notice
    )
    app = case_transition(
        case=application, transition="request_correction", actor=actor, note=notice
    )
    correction_notice_issue(actor=actor, application=app, items=clean, note=note)
    app.correction_items, app.correction_notice = clean, notice
    notices.correction_requested(app)
    return app


@transaction.atomic
def application_approve(*, actor: Any, application: Application, note: str = "") -> Application:
    """准予许可 and issue the certificate (注销: cancel the permit) in one transaction."""
    app = application
    if app.state == AppState.ACCEPTED:
        app = case_transition(case=app, transition="begin_review", actor=actor)
    app = case_transition(case=app, transition="approve", actor=actor, note=note)
    Application.objects.filter(pk=app.pk).update(decision_note=note)
    version = certificate_issue(actor=actor, application=app)
    app = case_transition(
        case=app, transition="issue", actor=actor, note=certificate_note(app, version)
    )
    notices.approved(app, version)
    return app


@transaction.atomic
def application_reject(*, actor: Any, application: Application, reason: str) -> Application:
    """不予许可: a reason is required; the decision tells the applicant of the right to
    administrative review or litigation (行政许可法第三十八条)."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("不予许可必须写明理由。"), field_errors={"note": [_("请填写不予许可的理由。")]}
        )
    if not is_approver(application, actor):
        raise PermissionRefused(_("您无权作出不予许可决定。"))
    decision = f"{reason}\n{kinds.REVIEW_NOTICE}"
    Application.objects.filter(pk=application.pk).update(decision_note=decision)
    app = case_transition(case=application, transition="reject", actor=actor, note=decision)
    refusal_decision_issue(actor=actor, application=app, reason=reason)
    notices.rejected(app, reason)
    return app


def application_extend(
    *, actor: Any, application: Application, days: int, reason: str
) -> Application:
    """Extend the decision limit once (10 → +5 working days) with a recorded reason."""
    if not is_approver(application, actor):
        raise PermissionRefused(_("您无权延长办理时限。"))
    if application.state not in EXTENDABLE_STATES:
        raise ApplicationError(_("只有已受理、尚未决定的申请可以延长时限。"))
    return case_extend(case=application, actor=actor, days=days, reason=reason)
