"""The applicant's side of an application: open a draft (pre-filled from the licence or
the registry), upload the capture-guide shots, submit (with instant approval when the
rules allow), resubmit after 补正 and withdraw. Ticks: ``ticks``; the 申请书:
``application_form``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import Enterprise, LimitUnit
from zonegov.core.services.audit import audit_append, audit_batch
from zonegov.core.services.identity import LoginIdentity
from zonegov.core.services.numbering import number_format
from zonegov.core.services.workflow import case_open, case_transition
from zonegov.licensing import kinds, notices
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import Application, AppState, Licence
from zonegov.licensing.selectors import capture_guide, missing_message, missing_ticks
from zonegov.licensing.services._common import (
    LICENCE_FACTS,
    licensing_unit,
    lock_application,
    refuse_unless_valid,
    require_applicant,
    require_editable,
)
from zonegov.licensing.services.certificates import certificate_issue, certificate_note
from zonegov.licensing.services.lifecycle import check_renewal_window
from zonegov.licensing.services.verification import application_verify, instant_identity


def _prefill_from_licence(app: Application, lic: Licence) -> None:
    for name in LICENCE_FACTS:
        setattr(app, name, getattr(lic, name))
    app.enterprise_id = lic.enterprise_id


def _prefill_from_registry(app: Application, actor: Any, uscc: str = "") -> None:
    person = getattr(actor, "person", None)
    if app.holder_kind == HolderKind.PERSON:
        if person is not None:
            app.operator_name = person.name
            app.holder_code = person.id_number or ""
            app.legal_rep = person.name
        return
    enterprise = None
    if uscc:
        enterprise = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
        if enterprise is None:
            app.holder_code = uscc.strip().upper()[:18]
    elif person is not None:
        mine = list(Enterprise.objects.filter(legal_representative=person.name)[:2])
        enterprise = mine[0] if len(mine) == 1 else None
    if enterprise is not None:
        app.enterprise = enterprise
        app.operator_name = enterprise.name
        app.holder_code = enterprise.uscc
        app.legal_rep = enterprise.legal_representative
        app.address = enterprise.registered_address
        app.premises_address = enterprise.registered_address


@transaction.atomic
def application_start(
    *,
    actor: Any,
    kind: str,
    app_type: str = AppType.NEW,
    licence: Licence | None = None,
    holder_kind: str = "",
    uscc: str = "",
) -> Application:
    """Open a draft. Known facts are pre-filled: from the licence for 变更/延续/注销/补证,
    from the enterprise registry (by USCC, or the enterprise whose legal representative
    the applicant is) or the applicant's verified identity for a new application."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused(_("请先登录。"))
    if kind not in kinds.KINDS:
        raise ApplicationError(
            _("请选择证照种类。"), field_errors={"kind": [_("无效的证照种类。")]}
        )
    permit = kinds.kind(kind)
    if app_type not in AppType.values or not permit.supports(app_type):
        raise ApplicationError(
            _("%(kind)s不支持“%(type)s”申请。")
            % {
                "kind": permit.name,
                "type": AppType(app_type).label if app_type in AppType.values else app_type,
            },
            field_errors={"app_type": [_("不支持的申请类型。")]},
        )
    app = Application(
        kind=kind,
        app_type=app_type,
        applicant=actor,
        unit=licensing_unit(),
        holder_kind=holder_kind or permit.holder_kinds[0],
    )
    if app.holder_kind not in permit.holder_kinds:
        raise ApplicationError(
            _("该证照不接受此类申请主体。"), field_errors={"holder_kind": [_("无效的申请主体。")]}
        )
    if app_type == AppType.NEW:
        if licence is not None:
            raise ApplicationError(_("新办申请不需要选择原证照。"))
        _prefill_from_registry(app, actor, uscc)
    else:
        if licence is None:
            raise ApplicationError(
                _("请选择要办理的证照。"), field_errors={"licence": [_("请选择证照。")]}
            )
        licence = Licence.objects.select_for_update().get(pk=licence.pk)
        if licence.owner_id != actor.pk:
            raise PermissionRefused(_("只能为自己名下的证照办理。"))
        if licence.kind != kind:
            raise ApplicationError(_("证照种类与所选证照不一致。"))
        refuse_unless_valid(licence, action=permit.app_type_label(app_type))
        busy = (
            Application.objects.filter(licence=licence)
            .exclude(state__in=Application.CLOSED_STATES)
            .first()
        )
        if busy is not None:
            raise ApplicationError(
                _("该证照已有办理中的申请（%(ref)s），请先完成或撤回。") % {"ref": busy.reference}
            )
        if app_type == AppType.RENEW:
            check_renewal_window(licence)
        app.licence = licence
        _prefill_from_licence(app, licence)
    app.reference = number_format(prefix="SQ")
    application_verify(app)
    app.full_clean()
    app.save()
    audit_append(
        actor=actor,
        action="licensing.application.start",
        obj=app,
        changes={
            "kind": kind,
            "app_type": app_type,
            "licence": licence.number if licence else None,
        },
    )
    return app


def _require_shots(app: Application) -> None:
    """Refuse the submission while a shot of the capture guide is missing, naming them."""
    missing = _missing_shots(app)
    if missing:
        raise ApplicationError(
            _("请按拍摄指引上传：%(shots)s。") % {"shots": "、".join(missing)},
            field_errors={"capture": missing},
        )


def _missing_shots(app: Application) -> list[str]:
    return [row.shot.label for row in capture_guide(app) if not row.done]


def _check_ready(app: Application) -> None:
    missing = missing_ticks(app)
    if missing:
        raise ApplicationError(missing_message(missing), field_errors=missing)
    if app.app_type == AppType.RENEW and app.licence_id:
        check_renewal_window(app.licence)
    if not app.form_sha256:
        raise ApplicationError(
            _("请先生成并电子签名申请书，再提交。"), field_errors={"form": [_("尚未签名。")]}
        )
    if not app.form_is_current:
        raise ApplicationError(
            _("申请内容在签名后有修改，请重新生成并签名申请书。"),
            field_errors={"form": [_("签名后内容有变化。")]},
        )


def capture_upload(*, actor: Any, application: Application, code: str, uploaded_file: Any) -> Any:
    """Upload one shot of the capture guide (its kind – photo or video – is checked from the
    file's content, never its name)."""
    from zonegov.core.services.attachments import attachment_add

    require_applicant(actor, application)
    require_editable(application)
    shots = {row.shot.code: row.shot for row in capture_guide(application)}
    shot = shots.get(code)
    if shot is None:
        raise ApplicationError(
            _("请选择拍摄指引中的项目。"), field_errors={"code": [_("无效的拍摄项目。")]}
        )
    if uploaded_file is None:
        raise ApplicationError(
            _("请选择要上传的文件。"), field_errors={"file": [_("请选择文件。")]}
        )
    return attachment_add(
        actor=actor,
        owner=application,
        uploaded_file=uploaded_file,
        label=code,
        expected_kinds=[shot.kind],
    )


@transaction.atomic
def application_submit(
    *, actor: Any, application: Application, identity: LoginIdentity | None = None
) -> Application:
    """Submit a signed draft. When the kind's rules need no site check, automatic
    verification passed and ``identity`` (this login's provider verification, from
    ``core.services.identity.session_identity``) proves the applicant is the operator
    (``instant_identity``), this approves the application and issues the signed
    e-certificate in the same transaction (即申即审), and queues the paper copy; otherwise
    it goes to 受理 with the reason. The audit records of all the steps are written
    together at the end (audit_batch)."""
    with audit_batch():
        app = lock_application(application)
        require_applicant(actor, app)
        app.applicant = actor
        if app.state != AppState.DRAFT:
            raise ApplicationError(
                _("申请当前为“%(state)s”，不能重复提交。") % {"state": app.get_state_display()}
            )
        _check_ready(app)
        application_verify(app)
        app.needs_site_check = app.permit_kind.needs_site_check(app)
        if app.needs_site_check:
            _require_shots(app)
        instant = not app.needs_site_check and app.verification_passed
        app.identity_basis, refusal = instant_identity(actor=actor, application=app, login=identity)
        if instant and refusal:
            app.identity_basis["refusal"] = refusal
            instant = False
        # case_open saves the application (with the fields set above) and starts the clock;
        # its opening entry, by the applicant, is the submission.
        case_open(
            case=app,
            actor=actor,
            note=_("网上提交申请") if instant else _("网上申请"),
            time_limit=kinds.ACCEPTANCE_LIMIT,
            limit_unit=LimitUnit.WORKING_DAYS,
        )
        if not instant:
            note = app.identity_basis.get("refusal", "")
            return case_transition(case=app, transition="submit", actor=actor, note=note)
        # 即申即审: issue first, then record the decision and the certificate in one step.
        version = certificate_issue(actor=None, application=app)
        app = case_transition(
            case=app,
            transition="approve_instantly",
            actor=None,
            note=_("无需现场核查，电子证照自动核验通过，申请人身份经%(provider)s核验。")
            % {"provider": app.identity_basis.get("provider_label", "")}
            + certificate_note(app, version),
        )
        app.applicant = actor  # checked above: spares re-reading the account to notify
        notices.approved(app, version)
        return app


@transaction.atomic
def application_resubmit(*, actor: Any, application: Application) -> Application:
    """Resubmit after 补正 (the ticks were kept; only what was asked for is changed)."""
    app = lock_application(application)
    require_applicant(actor, app)
    if app.state != AppState.CORRECTION:
        raise ApplicationError(_("只有待补正的申请可以重新提交。"))
    _check_ready(app)
    application_verify(app)
    if app.needs_site_check:
        _require_shots(app)
    app.save()
    return case_transition(case=app, transition="resubmit", actor=actor, note=_("已按要求补正"))


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, note: str = "") -> Application:
    app = lock_application(application)
    require_applicant(actor, app)
    if app.state == AppState.DRAFT:
        audit_append(actor=actor, action="licensing.application.discard", obj=app, changes={})
        app.delete()
        return app
    return case_transition(case=app, transition="withdraw", actor=actor, note=note)
