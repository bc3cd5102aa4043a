"""The applicant's side of an application: open a draft, save the ticks, sign the
generated 申请书, upload the capture-guide shots, submit (with instant approval when
the rules allow), resubmit after 补正 and withdraw."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.identifiers import validate_id_number, validate_uscc
from zonegov.core.models import Enterprise, LimitUnit
from zonegov.core.services.audit import audit_append, audit_batch
from zonegov.core.services.documents import (
    DocumentLayout,
    render_pdf,
)
from zonegov.core.services.identity import (
    LoginIdentity,
)
from zonegov.core.services.numbering import number_format
from zonegov.core.services.workflow import case_open, case_transition
from zonegov.core.validation import control_characters_message, has_control_characters
from zonegov.licensing import codes, kinds
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import (
    Application,
    AppState,
    Licence,
)
from zonegov.licensing.selectors import (
    capture_guide,
    missing_message,
    missing_ticks,
)
from zonegov.licensing.services._common import (
    LICENCE_FACTS,
    licensing_unit,
    lock_application,
    refuse_unless_valid,
    require_applicant,
    require_editable,
)
from zonegov.licensing.services.certificates import (
    certificate_issue,
    certificate_note,
)
from zonegov.licensing.services.lifecycle import (
    check_renewal_window,
)
from zonegov.licensing.services.verification import (
    application_verify,
    instant_identity,
)
from zonegov.licensing.signing import SignerIdentity, sign_form

TEXT_FIELDS = {
    "operator_name": 200,
    "holder_code": 18,
    "legal_rep": 50,
    "address": 255,
    "premises_address": 255,
    "warehouse_address": 255,
    "reason": 300,
}


TICK_FIELDS = (
    *TEXT_FIELDS,
    "holder_kind",
    "subject_type",
    "subject_qualifiers",
    "items",
    "premises",
    "conditions_unchanged",
    "declarations",
)


def _clean_ticks(app: Application, data: dict[str, Any]) -> dict[str, list[str]]:
    """Apply ``data`` to ``app`` field by field; return format errors (what is stored is
    kept even when another field is wrong, so nothing the applicant ticked is lost)."""
    errors: dict[str, list[str]] = {}
    kind = app.permit_kind
    table = app.code_table
    for name, limit in TEXT_FIELDS.items():
        if name in data and data[name] is not None:
            value = str(data[name]).strip()
            if len(value) > limit:
                errors[name] = [_("不能超过 %(n)d 个字。") % {"n": limit}]
                continue
            if has_control_characters(value):
                errors[name] = [control_characters_message()]
                continue
            setattr(app, name, value)
    if data.get("holder_kind"):
        if data["holder_kind"] not in kind.holder_kinds:
            errors["holder_kind"] = [_("该证照不接受此类申请主体。")]
        else:
            app.holder_kind = data["holder_kind"]
    if app.holder_code and "holder_code" not in errors:
        try:
            if app.holder_kind == HolderKind.PERSON:
                app.holder_code = validate_id_number(app.holder_code)
            else:
                app.holder_code = validate_uscc(app.holder_code)
        except ValidationError as exc:
            errors["holder_code"] = exc.messages
    subject_types = table.subject_types[kind.subject_table]
    if "subject_type" in data and data["subject_type"] is not None:
        code = str(data["subject_type"])
        if code and code not in subject_types:
            errors["subject_type"] = [_("请从列表中勾选主体业态。")]
        else:
            app.subject_type = code
    if "subject_qualifiers" in data and data["subject_qualifiers"] is not None:
        allowed = subject_types[app.subject_type].qualifiers if app.subject_type else ()
        quals = [str(q) for q in data["subject_qualifiers"]]
        bad = [q for q in quals if q not in allowed]
        if bad:
            errors["subject_qualifiers"] = [
                _("所选主体业态不适用备注：%(q)s。")
                % {"q": "、".join(table.qualifier_name(q) for q in bad)}
            ]
        else:
            app.subject_qualifiers = list(dict.fromkeys(quals))
    if "items" in data and data["items"] is not None:
        item_table = table.items[kind.item_table]
        items, item_errors = [], []
        for entry in data["items"]:
            code = str(entry.get("code", "")) if isinstance(entry, dict) else str(entry)
            quals = [
                str(q) for q in (entry.get("qualifiers", []) if isinstance(entry, dict) else [])
            ]
            item = item_table.get(code)
            if item is None:
                item_errors.append(_("“%(code)s”不是可选的经营项目。") % {"code": code})
                continue
            bad = [q for q in quals if q not in item.qualifiers]
            if bad:
                item_errors.append(
                    _("%(item)s 不适用备注：%(q)s。")
                    % {"item": item.name, "q": "、".join(table.qualifier_name(q) for q in bad)}
                )
                continue
            items.append({"code": code, "qualifiers": list(dict.fromkeys(quals))})
        if item_errors:
            errors["items"] = item_errors
        else:
            app.items = items
    if "premises" in data and data["premises"] is not None:
        premises, fact_errors = {}, []
        for code, value in dict(data["premises"]).items():
            fact = codes.PREMISES_INDEX.get(code)
            if fact is None or value not in {c.code for c in fact.choices}:
                fact_errors.append(_("场所情况“%(code)s”的选项无效。") % {"code": code})
                continue
            premises[code] = value
        if fact_errors:
            errors["premises"] = fact_errors
        else:
            app.premises = premises
    for flag in ("conditions_unchanged", "declarations"):
        if flag in data and data[flag] is not None:
            setattr(app, flag, bool(data[flag]))
    return errors


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


@dataclass(frozen=True)
class TickUpdate:
    """What saving the ticks did: the saved application and, per field, why a value was
    refused (the refused fields keep their previous value; the others are saved)."""

    application: Application
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def application_save_ticks(
    *, actor: Any, application: Application, data: dict[str, Any]
) -> TickUpdate:
    """Save the ticks of a draft (or of an application sent back for 补正). Valid fields are
    kept even when others are wrong; the wrong ones come back in the result (the valid
    part is saved, so the transaction commits: nothing is raised for them)."""
    app = lock_application(application)
    require_applicant(actor, app)
    require_editable(app)
    before = app.ticks()
    errors = _clean_ticks(app, {k: v for k, v in data.items() if k in TICK_FIELDS})
    application_verify(app)
    app.save()
    audit_append(
        actor=actor,
        action="licensing.application.update",
        obj=app,
        changes={k: v for k, v in app.ticks().items() if before.get(k) != v},
    )
    return TickUpdate(application=app, errors=errors)


def application_update(
    *, actor: Any, application: Application, data: dict[str, Any]
) -> Application:
    """``application_save_ticks`` for callers that only need the application (seeding,
    scripts, tests with known-good ticks): refused fields are left unchanged, and callers
    that must tell the user why use ``application_save_ticks``."""
    return application_save_ticks(actor=actor, application=application, data=data).application


def _declarations(app: Application) -> list[str]:
    kind = app.permit_kind
    lines = [
        _(
            "本申请人郑重承诺：所提交的材料和勾选的信息真实、合法、有效，复印件与原件一致，"
            "并对其真实性承担法律责任。"
        ),
        _(
            "本申请人承诺遵守食品安全法律法规，按照%(kind)s载明的事项从事经营活动，"
            "许可事项发生变化时依法申请变更。"
        )
        % {"kind": kind.name},
    ]
    if app.conditions_unchanged and app.app_type == AppType.RENEW:
        lines.append(_("本申请人声明：经营条件未发生变化。"))
    if app.app_type == AppType.CANCEL:
        lines.append(_("本申请人申请注销上述证照，注销后不再以该证照从事食品经营活动。"))
    return lines


def _form_layout(app: Application) -> DocumentLayout:
    kind = app.permit_kind
    fields: list[tuple[str, str]] = [
        (_("申请事项"), f"{kind.name} · {app.app_type_label}"),
        (_("申请编号"), app.reference),
    ]
    if app.licence_id:
        fields.append((kind.number_label, app.licence.number))
    if app.app_type in (AppType.CANCEL, AppType.REPLACE):
        fields += [(_("经营者名称"), app.operator_name), (_("申请事由"), app.reason)]
    else:
        fields += [
            (_("经营者名称"), app.operator_name),
            (kinds.CERT_FIELD_LABELS["holder_code"], app.holder_code),
            (kinds.CERT_FIELD_LABELS["legal_rep"], app.legal_rep),
            (_("住所"), app.address),
            (_("经营场所"), app.premises_address),
            (_("主体业态"), app.subject_type_name()),
            (_("经营项目"), "；".join(app.item_names())),
        ]
        for fact in codes.PREMISES_FACTS:
            value = app.premises.get(fact.code)
            if value:
                choice = {c.code: c.name for c in fact.choices}.get(value, value)
                fields.append((fact.label, choice))
        if app.warehouse_address:
            fields.append((_("仓库地址"), app.warehouse_address))
        if app.reason:
            fields.append((_("申请事由"), app.reason))
    return DocumentLayout(
        title=f"{kind.name}{app.app_type_label}申请书",
        fields=fields,
        paragraphs=_declarations(app),
        issuer_name=_("申请人：%(name)s（电子签名）") % {"name": _signer_identity(app).common_name},
        seal_text=_signer_identity(app).common_name,
        footer=_("本申请书由申请人勾选的信息自动生成，并经申请人电子签名。"),
    )


def _signer_identity(app: Application) -> SignerIdentity:
    if app.holder_kind == HolderKind.ENTERPRISE:
        return SignerIdentity(
            common_name=app.operator_name or app.applicant.display_name,
            serial=app.holder_code,
            organisation=app.operator_name or "-",
            is_enterprise=True,
        )
    person = getattr(app.applicant, "person", None)
    return SignerIdentity(
        common_name=person.name if person else app.applicant.display_name,
        serial=(person.id_number or "") if person else "",
    )


@transaction.atomic
def application_sign(*, actor: Any, application: Application) -> Application:
    """Generate the 申请书 PDF from the ticks and sign it: a natural person with the
    platform's cloud signature bound to their verified identity, an enterprise with its
    signing certificate. Refused while ticks are missing or verification of the signer's
    identity failed."""
    app = lock_application(application)
    require_applicant(actor, app)
    require_editable(app)
    missing = missing_ticks(app)
    if missing:
        raise ApplicationError(missing_message(missing), field_errors=missing)
    application_verify(app)
    identity_ok = any(c["code"] == "identity" and c["ok"] for c in app.verification)
    if not identity_ok:
        reason = next((c["reason"] for c in app.verification if c["code"] == "identity"), "")
        raise ApplicationError(
            _("无法电子签名：%(reason)s") % {"reason": reason or _("身份核验未通过。")}
        )
    identity = _signer_identity(app)
    signed = sign_form(
        render_pdf(_form_layout(app)),
        identity,
        reason=_("申请人签署%(title)s") % {"title": app.case_title()},
    )
    old = app.form_file.name if app.form_file else ""
    app.form_file.save(f"{app.reference}.pdf", ContentFile(signed), save=False)
    app.form_sha256 = hashlib.sha256(signed).hexdigest()
    app.form_digest = app.ticks_digest()
    app.form_signed_at = timezone.now()
    app.form_signer = identity.common_name
    app.save()
    if old and old != app.form_file.name:
        storage = app.form_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_append(
        actor=actor,
        action="licensing.application.sign",
        obj=app,
        changes={
            "sha256": app.form_sha256,
            "signer": identity.common_name,
            "ticks": app.form_digest,
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
        return case_transition(
            case=app,
            transition="approve_instantly",
            actor=None,
            note=_("无需现场核查，电子证照自动核验通过，申请人身份经%(provider)s核验。")
            % {"provider": app.identity_basis.get("provider_label", "")}
            + certificate_note(app, version),
        )


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
