"""Private helpers shared by the licensing service modules: the units cases go to, the
row lock, the applicant and editability checks, and the "valid today" refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import Unit
from zonegov.licensing import conf
from zonegov.licensing.models import Application, Licence, LicenceStatus
from zonegov.licensing.selectors import EDITABLE_STATES, licence_effective_status


def licensing_unit() -> Unit:
    unit = Unit.objects.filter(code=conf.licensing_unit_code()).first()
    if unit is None:
        raise ApplicationError(
            _("未配置许可审批单位（编码 %(code)s），请联系管理员。")
            % {"code": conf.licensing_unit_code()}
        )
    return unit


def inspection_unit() -> Unit | None:
    return Unit.objects.filter(code=conf.inspection_unit_code()).first()


# The facts an application and its licence share (copied both ways).
LICENCE_FACTS = (
    "holder_kind",
    "operator_name",
    "holder_code",
    "legal_rep",
    "address",
    "premises_address",
    "warehouse_address",
    "subject_type",
    "subject_qualifiers",
    "items",
    "premises",
    "codes_version",
)


def lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def require_applicant(actor: Any, application: Application) -> None:
    if getattr(actor, "pk", None) != application.applicant_id:
        raise PermissionRefused(_("只有申请人本人可以办理此操作。"))


def require_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        raise ApplicationError(
            _("申请当前为“%(state)s”，不能再修改。") % {"state": application.get_state_display()}
        )


def refuse_unless_valid(licence: Licence, *, action: str = "", today: date | None = None) -> None:
    """变更/延续/补证/注销 and 吊销 only for a licence valid today; the refusal names the
    licence's actual status (a licence past its last valid day counts as expired even
    before the daily job records it)."""
    status = licence_effective_status(licence, today=today)
    if status == LicenceStatus.VALID:
        return
    if status == LicenceStatus.EXPIRED:
        raise ApplicationError(
            _(
                "该证照已过期（有效期至 %(date)s），不能再办理%(action)s；"
                "如需继续经营，请重新申请新办。"
            )
            % {
                "date": licence.valid_until.isoformat() if licence.valid_until else "-",
                "action": action,
            },
            field_errors={"app_type": [_("证照已过期。")]},
        )
    raise ApplicationError(
        _("该证照%(status)s，不能再办理%(action)s。")
        % {"status": LicenceStatus(status).label, "action": action}
    )
