"""Every write of the licensing app: one function per business action, keyword arguments,
one transaction, permission checked, audited (DESIGN.md "services").

Rules: 《食品经营许可和备案管理办法》(市场监管总局令第78号) and the Henan "三小" rules as
configured in ``kinds.py``; time limits in working days (``core.workdays``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core import workdays
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.identifiers import mask_id_number, validate_id_number, validate_uscc
from zonegov.core.models import Enterprise, IssuedDocument, LimitUnit, Notification, Unit, User
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.periods import years_end
from zonegov.core.roles import RoleCode
from zonegov.core.rules import unit_in_scope
from zonegov.core.selectors.attachments import attachments_of
from zonegov.core.services.audit import audit_append, audit_batch
from zonegov.core.services.documents import (
    DocumentLayout,
    document_issue,
    document_set_status,
    render_pdf,
)
from zonegov.core.services.identity import (
    LoginIdentity,
    account_level,
    enterprise_role,
    login_verification,
)
from zonegov.core.services.notifications import notify
from zonegov.core.services.numbering import number_format, number_next
from zonegov.core.services.workflow import case_extend, case_open, case_transition
from zonegov.core.validation import control_characters_message, has_control_characters
from zonegov.licensing import capture, codes, conf, elicence, identifiers, kinds
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import (
    Application,
    AppState,
    CheckResult,
    Licence,
    LicenceStatus,
    LicenceVersion,
    OnsiteVisit,
    PrintJob,
    PublicNotice,
    SiteCheckItem,
    is_acceptor,
    is_approver,
    is_inspector,
)
from zonegov.licensing.selectors import licence_effective_status
from zonegov.licensing.signing import SignerIdentity, sign_form

EDITABLE_STATES = (AppState.DRAFT, AppState.CORRECTION)
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


# --- units ---------------------------------------------------------------------------


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


# --- helpers -------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_applicant(actor: Any, application: Application) -> None:
    if getattr(actor, "pk", None) != application.applicant_id:
        raise PermissionRefused(_("只有申请人本人可以办理此操作。"))


def _require_editable(application: Application) -> None:
    if application.state not in EDITABLE_STATES:
        raise ApplicationError(
            _("申请当前为“%(state)s”，不能再修改。") % {"state": application.get_state_display()}
        )


def renewal_window(valid_until: date) -> tuple[date, date]:
    """First and last day on which a 延续 may be filed.

    《食品经营许可和备案管理办法》(2023) 第二十三条: the holder files 延续 "在有效期届满前
    90个工作日至15个工作日期间" (research note §1.5 [C]). Our reading, written in
    docs/licensing.md ("The renewal window"): on a given day the working days *before
    expiry* are the working days from that day (counted when it is a working day) up to,
    but not including, the last valid day ``valid_until`` — the day the period is counted
    back from is not counted, as 《民法典》第二百零一条 excludes the day a period is counted
    from. 延续 may be filed while that count is between 15 and 90: the window opens the
    day after the 91st working day before expiry and closes on the 15th."""
    far, near = kinds.RENEWAL_WINDOW
    opens = workdays.subtract_working_days(valid_until, far + 1) + timedelta(days=1)
    return opens, workdays.subtract_working_days(valid_until, near)


def working_days_before_expiry(today: date, valid_until: date) -> int:
    """Working days from ``today`` (included when it is one) to ``valid_until`` (excluded):
    the count the renewal window is defined by (see ``renewal_window``)."""
    if today >= valid_until:
        return 0
    return workdays.working_days_between(today - timedelta(days=1), valid_until - timedelta(days=1))


def check_renewal_window(licence: Licence, today: date | None = None) -> None:
    """Refuse a 延续 outside the window with a message saying when it is possible."""
    today = today or timezone.localdate()
    if licence.valid_until is None:
        raise ApplicationError(_("该证照没有有效期，无需延续。"))
    if licence.valid_until < today:
        raise ApplicationError(
            _("证照已于 %(date)s 过期，不能再延续，请重新申请新办。")
            % {"date": licence.valid_until.isoformat()},
            field_errors={"app_type": [_("已过期的证照不能延续。")]},
        )
    opens, closes = renewal_window(licence.valid_until)
    left = working_days_before_expiry(today, licence.valid_until)
    if today < opens:
        raise ApplicationError(
            _(
                "延续申请应在有效期届满前90至15个工作日之间提出。您的证照有效期至 %(until)s，"
                "还有 %(left)d 个工作日，请于 %(opens)s 至 %(closes)s 期间申请。"
            )
            % {
                "until": licence.valid_until.isoformat(),
                "left": left,
                "opens": opens.isoformat(),
                "closes": closes.isoformat(),
            },
            field_errors={"app_type": [_("尚未到延续申请期。")]},
        )
    if today > closes:
        raise ApplicationError(
            _(
                "延续申请应在有效期届满前90至15个工作日之间提出。您的证照有效期至 %(until)s，"
                "仅剩 %(left)d 个工作日，已过延续申请期（截至 %(closes)s）。"
                "有效期届满后应停止经营，并重新申请新办。"
            )
            % {
                "until": licence.valid_until.isoformat(),
                "left": left,
                "closes": closes.isoformat(),
            },
            field_errors={"app_type": [_("已过延续申请期。")]},
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


def _filed_before_expiry(app: Application, lic: Licence) -> bool:
    """A 延续 submitted while the licence was still valid (the decision may fall after the
    expiry date when the limit was extended)."""
    if lic.valid_until is None or app.submitted_at is None:
        return False
    return timezone.localdate(app.submitted_at) <= lic.valid_until


# --- ticks: format validation (on every save) and completeness (before signing) ---------


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


def missing_ticks(app: Application) -> dict[str, list[str]]:
    """What must still be ticked or filled before the 申请书 can be generated."""
    kind = app.permit_kind
    table = app.code_table
    missing: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        missing.setdefault(field, []).append(message)

    if app.app_type in (AppType.CANCEL, AppType.REPLACE):
        if not app.reason:
            need("reason", _("请选择或填写申请事由（如：遗失、损毁、停止经营）。"))
        if not app.declarations:
            need("declarations", _("请勾选承诺事项。"))
        return missing
    if not app.operator_name:
        need("operator_name", _("请填写经营者名称。"))
    if not app.holder_code:
        need(
            "holder_code",
            _("请填写身份证号码。")
            if app.holder_kind == HolderKind.PERSON
            else _("请填写统一社会信用代码。"),
        )
    if not app.legal_rep:
        need("legal_rep", _("请填写法定代表人（负责人）。"))
    if not app.premises_address:
        need("premises_address", _("请填写经营场所地址。"))
    if not app.subject_type:
        need("subject_type", _("请勾选主体业态。"))
    if not app.items:
        need("items", _("请至少勾选一项经营项目。"))
    item_table = table.items[kind.item_table]
    groups = {item_table[i["code"]].group for i in app.items if i.get("code") in item_table}
    if kind.subject_table == "licence" and app.subject_type:
        if app.subject_type == "1" and "catering" in groups:
            need(
                "items", _("食品销售经营者不能勾选餐饮服务类项目，请将主体业态改为餐饮服务经营者。")
            )
        if app.subject_type in ("2", "3") and "catering" not in groups:
            need("items", _("餐饮服务经营者和单位食堂至少应勾选一项餐饮服务类经营项目。"))
    for entry in app.items:
        item = item_table.get(entry.get("code"))
        if item and item.needs_qualifier and item.needs_qualifier not in app.subject_qualifiers:
            need(
                "items",
                _("%(item)s 仅限主体业态备注为“%(q)s”的经营者。")
                % {"item": item.name, "q": table.qualifier_name(item.needs_qualifier)},
            )
    for fact_code in kind.required_facts:
        if fact_code not in app.premises:
            need(
                "premises",
                _("请选择：%(label)s。") % {"label": codes.PREMISES_INDEX[fact_code].label},
            )
    if app.premises.get("warehouse") == "has" and not app.warehouse_address:
        need("warehouse_address", _("有场所外仓库的，请填写仓库地址。"))
    if kind.max_area == "le60" and app.premises.get("area") in ("le200", "gt200"):
        need("premises", _("小经营店使用面积不得超过60平方米，超过的请申请食品经营许可证。"))
    if app.app_type == AppType.CHANGE and app.licence_id and not _any_change(app):
        need("__all__", _("您没有修改任何内容，变更申请至少要有一项变更。"))
    if not app.declarations:
        need("declarations", _("请勾选承诺事项。"))
    return missing


def _any_change(app: Application) -> bool:
    lic = app.licence
    fields = ("operator_name", "legal_rep", "address", "warehouse_address", "holder_code")
    return bool(app.changed_matters()) or any(
        getattr(app, f).strip() != getattr(lic, f).strip() for f in fields
    )


def _missing_message(missing: dict[str, list[str]]) -> str:
    flat = [m for msgs in missing.values() for m in msgs]
    return _("申请还不完整，请补充：") + "；".join(flat)


# --- verification (电子证照自动核验) ------------------------------------------------------


def application_verify(application: Application) -> list[elicence.Check]:
    """Check the applicant's business licence and identity through the configured
    provider; store the results (not saved here: callers save)."""
    provider = elicence.provider()
    checks: list[elicence.Check] = []
    applicant = application.applicant  # cached when the caller passed the acting user
    if application.holder_kind == HolderKind.ENTERPRISE:
        if application.holder_code:
            checks.append(
                provider.check_business_licence(
                    uscc=application.holder_code,
                    operator_name=application.operator_name,
                    legal_rep=application.legal_rep,
                )
            )
        # The person who applies (and signs) for an enterprise is its legal representative.
        checks.append(
            provider.check_identity(user=applicant, name=application.legal_rep, id_number="")
        )
    else:
        checks.append(
            provider.check_identity(
                user=applicant, name=application.operator_name, id_number=application.holder_code
            )
        )
    application.verification = [c.as_dict() for c in checks]
    application.verification_passed = bool(checks) and all(c.ok for c in checks)
    if application.holder_kind == HolderKind.ENTERPRISE and not application.holder_code:
        application.verification_passed = False
    application.verified_at = timezone.now()
    if application.holder_kind == HolderKind.ENTERPRISE and application.holder_code:
        found = next((c.data.get("id") for c in checks if c.code == "business_licence"), None)
        if found:
            application.enterprise_id = found
        else:
            application.enterprise = Enterprise.objects.filter(uscc=application.holder_code).first()
    if application.holder_kind == HolderKind.PERSON:
        application.person = getattr(applicant, "person", None)
    return checks


def instant_identity(
    *, actor: Any, application: Application, login: LoginIdentity | None
) -> tuple[dict[str, Any], str]:
    """May this applicant's identity carry an instant approval? Returns the identity basis
    (recorded on the application) and, when it may not, why (the application then goes
    to an officer's 受理).

    It may when this login was verified by an identity provider within the freshness
    window (a typed name or ID number never counts, nor does a password login), and the
    verified person is the operator: for a 个体 (person) the verified ID number is the
    operator's; for an enterprise the provider (电子营业执照) states this USCC with the
    person as its legal representative, or as an agent whose unexpired authorisation
    covers food-business licensing (``conf.identity_matter``)."""
    verification, why = login_verification(user=actor, login=login)
    if verification is None:
        return {"level": account_level(actor)}, _("%(why)s，转人工受理。") % {"why": why}
    basis: dict[str, Any] = {
        "level": verification.level,
        "provider": verification.provider,
        "provider_label": verification.provider_label,
        "assurance": verification.assurance,
        "verified_at": verification.verified_at.isoformat(),
        "verification": verification.pk,
        "id_number": verification.masked_id_number,
    }
    if application.holder_kind == HolderKind.PERSON:
        if (application.holder_code or "").strip().upper() != verification.id_number:
            return basis, _("经营者身份证号与您通过统一身份认证核验的身份证号不一致，转人工受理。")
        return basis, ""
    role = enterprise_role(verification)
    basis["enterprise"] = verification.enterprise_uscc
    basis["role"] = verification.enterprise_role
    if role is None or role.uscc != (application.holder_code or "").strip().upper():
        return basis, _(
            "您不是该企业的法定代表人或被授权代理人（以电子营业执照核验结果为准），"
            "请使用该企业的电子营业执照登录核验，本次申请转人工受理。"
        )
    if not role.covers(conf.identity_matter(), timezone.now()):
        return basis, _("您在电子营业执照中的授权不包含食品经营许可事项或已过期，转人工受理。")
    return basis, ""


# --- applicant actions -------------------------------------------------------------------


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


@transaction.atomic
def application_update(
    *, actor: Any, application: Application, data: dict[str, Any]
) -> Application:
    """Save the ticks of a draft (or of an application sent back for 补正). Valid fields are
    kept even when others are wrong; the wrong ones are reported."""
    app = _lock(application)
    _require_applicant(actor, app)
    _require_editable(app)
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
    if errors:
        # The valid part is saved; the transaction must still commit, so no raise here.
        app._tick_errors = errors  # type: ignore[attr-defined]
    return app


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
    app = _lock(application)
    _require_applicant(actor, app)
    _require_editable(app)
    missing = missing_ticks(app)
    if missing:
        raise ApplicationError(_missing_message(missing), field_errors=missing)
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


@dataclass
class GuideRow:
    shot: capture.Shot
    uploaded: list[Any]
    check: SiteCheckItem | None = None

    @property
    def done(self) -> bool:
        return bool(self.uploaded)


def capture_guide(app: Application) -> list[GuideRow]:
    """The capture guide of this application with what is uploaded per shot."""
    shots = capture.guide_for(
        app.permit_kind.subject_table, app.subject_type, [i.get("code") for i in app.items]
    )
    files = list(attachments_of(app))
    checks = {c.code: c for c in app.site_checks.all()} if app.pk else {}
    return [GuideRow(s, [f for f in files if f.label == s.code], checks.get(s.code)) for s in shots]


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
        raise ApplicationError(_missing_message(missing), field_errors=missing)
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
        app = _lock(application)
        _require_applicant(actor, app)
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
        version = _certificate_issue(actor=None, application=app)
        return case_transition(
            case=app,
            transition="approve_instantly",
            actor=None,
            note=_("无需现场核查，电子证照自动核验通过，申请人身份经%(provider)s核验。")
            % {"provider": app.identity_basis.get("provider_label", "")}
            + _cert_note(app, version),
        )


@transaction.atomic
def application_resubmit(*, actor: Any, application: Application) -> Application:
    """Resubmit after 补正 (the ticks were kept; only what was asked for is changed)."""
    app = _lock(application)
    _require_applicant(actor, app)
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
    app = _lock(application)
    _require_applicant(actor, app)
    if app.state == AppState.DRAFT:
        audit_append(actor=actor, action="licensing.application.discard", obj=app, changes={})
        app.delete()
        return app
    return case_transition(case=app, transition="withdraw", actor=actor, note=note)


# --- officers ------------------------------------------------------------------------------


@transaction.atomic
def application_accept(*, actor: Any, application: Application, note: str = "") -> Application:
    """受理: starts the decision time limit; routes to inspection (site check needed) or
    straight to review."""
    app = case_transition(case=application, transition="accept", actor=actor, note=note)
    if app.needs_site_check:
        unit = inspection_unit() or app.unit
        Application.objects.filter(pk=app.pk).update(inspection_unit=unit)
        return case_transition(
            case=app, transition="send_to_inspection", actor=actor, note=unit.name
        )
    return case_transition(case=app, transition="begin_review", actor=actor)


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
    return case_transition(
        case=application, transition="request_correction", actor=actor, note=notice
    )


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
    app = _lock(application)
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
    app = _lock(application)
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
    audit_append(
        actor=actor,
        action="licensing.onsite.order",
        obj=app,
        changes={"reason": reason, "inspectors": [p.display_name for p in people]},
    )
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
    audit_append(
        actor=actor,
        action="licensing.onsite.record",
        obj=app,
        changes={"visit": visit.pk, "result": result, "note": note},
    )
    return visit


@transaction.atomic
def inspection_finish(*, actor: Any, application: Application, note: str = "") -> Application:
    """Hand the verified case to the approver; every guide item needs a verdict unless an
    on-site visit was recorded."""
    app = _lock(application)
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
    summary = _("核查结论：%(verdict)s") % {
        "verdict": _("存在不符合项 — ") + "；".join(fails) if fails else _("各项均符合")
    }
    return case_transition(
        case=app,
        transition="finish_inspection",
        actor=actor,
        note="\n".join(x for x in (summary, (note or "").strip()) if x),
    )


@transaction.atomic
def application_approve(*, actor: Any, application: Application, note: str = "") -> Application:
    """准予许可 and issue the certificate (注销: cancel the permit) in one transaction."""
    app = application
    if app.state == AppState.ACCEPTED:
        app = case_transition(case=app, transition="begin_review", actor=actor)
    app = case_transition(case=app, transition="approve", actor=actor, note=note)
    Application.objects.filter(pk=app.pk).update(decision_note=note)
    version = _certificate_issue(actor=actor, application=app)
    return case_transition(case=app, transition="issue", actor=actor, note=_cert_note(app, version))


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
    return case_transition(case=application, transition="reject", actor=actor, note=decision)


def application_extend(
    *, actor: Any, application: Application, days: int, reason: str
) -> Application:
    """Extend the decision limit once (10 → +5 working days) with a recorded reason."""
    if not is_approver(application, actor):
        raise PermissionRefused(_("您无权延长办理时限。"))
    if application.state not in (AppState.ACCEPTED, AppState.INSPECTING, AppState.REVIEWING):
        raise ApplicationError(_("只有已受理、尚未决定的申请可以延长时限。"))
    return case_extend(case=application, actor=actor, days=days, reason=reason)


# --- certificates ------------------------------------------------------------------------


def _cert_note(app: Application, version: LicenceVersion | None) -> str:
    if version is None:
        return _("证照已注销")
    return _("电子证书 %(number)s（第%(v)d版）已签发") % {
        "number": version.document.number,
        "v": version.version,
    }


def _holder_code_type(holder_kind: str) -> str:
    return "111" if holder_kind == HolderKind.PERSON else "001"


def _public_holder_code(lic: Licence) -> str:
    if lic.holder_kind == HolderKind.PERSON:
        return mask_id_number(lic.holder_code)
    return lic.holder_code


def _subject_name(lic: Licence) -> str:
    table = codes.table(lic.codes_version)
    st = table.subject_types[lic.permit_kind.subject_table].get(lic.subject_type)
    quals = [table.qualifier_name(q) for q in lic.subject_qualifiers]
    return (st.name if st else lic.subject_type) + (f"（{'、'.join(quals)}）" if quals else "")


def licence_subject_name(lic: Licence) -> str:
    """主体业态 with its qualifiers, as printed on the certificate."""
    return _subject_name(lic)


def licence_item_names(lic: Licence) -> list[str]:
    table = codes.table(lic.codes_version)
    items = table.items[lic.permit_kind.item_table]
    out = []
    for entry in lic.items:
        item = items.get(entry.get("code"))
        if item:
            quals = [table.qualifier_name(q) for q in entry.get("qualifiers", [])]
            out.append(item.name + (f"（{'、'.join(quals)}）" if quals else ""))
    return out


def certificate_fields(lic: Licence, *, identifier: str, issued_on: date) -> list[tuple[str, str]]:
    """The face (照面) of the certificate: every field the kind declares, in order."""
    kind = lic.permit_kind
    values = {
        "operator_name": lic.operator_name,
        "holder_code": _public_holder_code(lic),
        "legal_rep": lic.legal_rep,
        "address": lic.address,
        "premises_address": lic.premises_address,
        "subject_type": _subject_name(lic),
        "items": "；".join(licence_item_names(lic)),
        "warehouse_address": lic.warehouse_address,
        "number": lic.number,
        "valid_until": lic.valid_until.isoformat() if lic.valid_until else _("长期"),
        "issued_on": issued_on.isoformat(),
        "complaints_phone": conf.complaints_phone(),
        "issuer": conf.issuer_name(),
        "signer": conf.signer_name(),
        "identifier": identifier,
    }
    out = []
    for key in kind.cert_fields:
        if key == "warehouse_address" and not lic.warehouse_address:
            continue
        label = kind.number_label if key == "number" else kinds.CERT_FIELD_LABELS[key]
        out.append((label, values[key]))
    return out


def certificate_layout(
    lic: Licence, *, identifier: str, issued_on: date, face: list[tuple[str, str]] | None = None
) -> DocumentLayout:
    """The certificate page: the kind's fields, the issuing authority and its seal; the
    number and QR code are filled in by ``document_issue``."""
    kind = lic.permit_kind
    face = face or certificate_fields(lic, identifier=identifier, issued_on=issued_on)
    # 发证机关 and 发证日期 are printed in the signature block under the seal (keeps the
    # certificate on one A4 page); the metadata's 照面信息 still lists them.
    in_block = {kinds.CERT_FIELD_LABELS["issuer"], kinds.CERT_FIELD_LABELS["issued_on"]}
    return DocumentLayout(
        title=kind.document_title,
        fields=[(label, value) for label, value in face if label not in in_block],
        paragraphs=[],
        issuer_name=conf.issuer_name(),
        issued_on=issued_on,
        seal_text=conf.seal_text(),
        footer=_("电子证书与纸质证书具有同等法律效力。版本 %(v)03d") % {"v": lic.version},
    )


def _metadata(
    lic: Licence, *, identifier: str, issued_on: date, previous: str, face: list
) -> dict[str, Any]:
    """GB/T 36903 metadata (research note §3.3)."""
    kind = lic.permit_kind
    return {
        "证照名称": kind.name,
        "证照类型名称": kind.name,
        "证照类型代码": kind.type_code,
        "证照定义机构代码": kind.type_code[:18],
        "证照编号": lic.number,
        "证照标识": identifier,
        "持证主体": lic.operator_name,
        "持证主体代码": lic.holder_code,
        "持证主体代码类型": _holder_code_type(lic.holder_kind),
        "证照颁发机构": conf.issuer_name(),
        "证照颁发机构代码": conf.issuer_uscc(),
        "证照颁发日期": issued_on.isoformat(),
        "证照有效期起始日期": lic.valid_from.isoformat(),
        "证照有效期截止日期": lic.valid_until.isoformat() if lic.valid_until else "",
        "证照所属管辖属地编码": conf.region_code(),
        "证照状态": "有效",
        "关联证照标识": previous,
        "照面信息": {k: v for k, v in face},
    }


EVENTS = {
    AppType.NEW: "granted",
    AppType.CHANGE: "changed",
    AppType.RENEW: "renewed",
    AppType.REPLACE: "replaced",
    AppType.CANCEL: "cancelled",
}


def notice_publish(
    lic: Licence, *, event: str, document: IssuedDocument | None, note: str = ""
) -> PublicNotice:
    """Add the decision to the public announcement (公示), inside the caller's transaction.
    Personal ID numbers are masked as on the certificate (research note §1.7)."""
    return PublicNotice.objects.create(
        licence=lic,
        event=event,
        kind=lic.kind,
        licence_number=lic.number,
        certificate_number=document.number if document else "",
        operator_name=lic.operator_name,
        holder_code=_public_holder_code(lic),
        subject_type_name=_subject_name(lic),
        item_names="；".join(licence_item_names(lic)),
        premises_address=lic.premises_address,
        valid_from=lic.valid_from,
        valid_until=lic.valid_until,
        issuer_name=conf.issuer_name(),
        note=note[:300],
    )


def _announce(lic: Licence, app: Application, document: IssuedDocument | None) -> None:
    """审 → 监 and 公示: tell the supervision department, in the same transaction, as the
    message contract in docs/supervision.md says (one outbox message per licence change),
    and add the decision to the public announcement."""
    event = EVENTS[AppType(app.app_type)]
    notice_publish(lic, event=event, document=document)
    _push_to_supervision(lic, event=event, document=document, reference=app.reference)


def _push_to_supervision(
    lic: Licence,
    *,
    event: str,
    document: IssuedDocument | None,
    reference: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """One outbox message ``licence.<event>`` (docs/supervision.md, "Message contract")."""
    from zonegov.core.services.outbox import outbox_enqueue

    outbox_enqueue(
        topic=f"licence.{event}",
        destination="supervision",
        payload={
            "event": event,
            "occurred_at": timezone.now().isoformat(),
            "licence_number": lic.number,
            "kind": lic.kind,
            "kind_name": lic.permit_kind.name,
            "version": lic.version,
            "certificate_number": document.number if document else "",
            "application_reference": reference,
            "holder_name": lic.operator_name,
            "holder_code": _public_holder_code(lic),
            "enterprise_uscc": lic.holder_code
            if lic.holder_kind == HolderKind.ENTERPRISE
            else None,
            "legal_representative": lic.legal_rep,
            "premises_address": lic.premises_address,
            "main_business_type": _subject_name(lic),
            "business_items": licence_item_names(lic),
            "valid_from": lic.valid_from.isoformat(),
            "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
            "issuer_name": conf.issuer_name(),
            "supervision_unit_code": conf.inspection_unit_code(),
            **(extra or {}),
        },
    )


def _serial(lic: Licence) -> str:
    serial = "".join(ch for ch in lic.number.upper() if ch.isascii() and ch.isalnum())
    return serial or f"{lic.pk:010d}"


def _apply_application(lic: Licence, app: Application) -> None:
    for name in LICENCE_FACTS:
        setattr(lic, name, getattr(app, name))
    lic.enterprise_id = app.enterprise_id
    lic.person_id = app.person_id


def _certificate_issue(*, actor: Any, application: Application) -> LicenceVersion | None:
    """Issue (or, for 注销, cancel) inside the caller's transaction.

    新办: a new number from the kind's gap-free series (unique under concurrency: the
    series row is locked until commit). 变更/延续: same number, new version (延续 restarts
    the validity from the decision date, research note §1.5 [C] for 2015). 补证: same
    content, new version. 注销: the current certificate is cancelled.
    """
    app = application
    kind = app.permit_kind
    today = timezone.localdate()
    previous_doc: IssuedDocument | None = None
    previous_identifier = ""
    if app.app_type == AppType.NEW:
        seq = number_next(
            series=identifiers.number_series(kind=kind, subject_code=app.subject_type or "1")
        )
        number = identifiers.format_permit_number(
            kind=kind, subject_code=app.subject_type or "1", seq=seq
        )
        lic = Licence(
            number=number,
            kind=app.kind,
            owner_id=app.applicant_id,
            unit_id=app.unit_id,
            valid_from=today,
            valid_until=years_end(today, kind.validity_years) if kind.validity_years else None,
            version=1,
        )
        _apply_application(lic, app)
        lic.save()  # every field comes from the checked application; the number is unique
    else:
        lic = Licence.objects.select_for_update().get(pk=app.licence_id)
        late_renewal = (
            app.app_type == AppType.RENEW
            and lic.status == LicenceStatus.EXPIRED
            and _filed_before_expiry(app, lic)
        )
        if lic.status != LicenceStatus.VALID and not late_renewal:
            refuse_unless_valid(lic, action=app.app_type_label, today=today)
        previous_doc = lic.current_document
        last = lic.versions.order_by("-version").first()
        previous_identifier = last.identifier if last else ""
        if app.app_type == AppType.CANCEL:
            if previous_doc is not None and previous_doc.status in (
                DocumentStatus.VALID,
                DocumentStatus.EXPIRED,
            ):
                document_set_status(
                    actor=actor,
                    document=previous_doc,
                    status=DocumentStatus.CANCELLED,
                    reason=_("申请注销：%(reason)s") % {"reason": app.reason or "-"},
                )
            lic.status = LicenceStatus.CANCELLED
            lic.cancelled_at = timezone.now()
            lic.save()
            audit_append(actor=actor, action="licensing.licence.cancel", obj=lic, changes={})
            _announce(lic, app, None)
            return None
        if app.app_type in (AppType.CHANGE, AppType.RENEW):
            _apply_application(lic, app)
        if app.app_type == AppType.RENEW:
            # A renewal filed in time but decided after the expiry date restores the
            # licence (行政许可法第五十条: the authority decides before expiry).
            lic.status = LicenceStatus.VALID
            lic.valid_from = today
            lic.valid_until = years_end(today, kind.validity_years or 5)
        lic.version += 1
        lic.save()
    identifier = identifiers.elicence_identifier(
        type_code=kind.type_code,
        issuer_code=conf.issuer_uscc(),
        serial=_serial(lic),
        version=lic.version,
    )
    face = certificate_fields(lic, identifier=identifier, issued_on=today)
    doc_number = lic.number if lic.version == 1 else f"{lic.number}-{lic.version:03d}"
    public = [
        (kind.number_label, lic.number),
        (_("经营者名称"), lic.operator_name),
        (kinds.CERT_FIELD_LABELS["holder_code"], _public_holder_code(lic)),
        (_("经营场所"), lic.premises_address),
        (_("主体业态"), _subject_name(lic)),
        (_("经营项目"), "；".join(licence_item_names(lic))),
        (_("电子证照标识"), identifier),
    ]
    layout = certificate_layout(lic, identifier=identifier, issued_on=today, face=face)
    document = document_issue(
        actor=actor,
        kind=f"food_{kind.code}",
        title=kind.document_title,
        holder_name=lic.operator_name,
        layout=layout,
        subject=lic,
        public_fields=public,
        valid_until=lic.valid_until,
        number=doc_number,
        replaces=previous_doc
        if previous_doc is not None
        and previous_doc.status in (DocumentStatus.VALID, DocumentStatus.EXPIRED)
        else None,
    )
    version = LicenceVersion.objects.create(
        licence=lic,
        version=lic.version,
        application=app,
        reason=app.app_type,
        document=document,
        identifier=identifier,
        metadata=_metadata(
            lic, identifier=identifier, issued_on=today, previous=previous_identifier, face=face
        ),
        issued_at=document.issued_at,
    )
    lic.current_document = document
    lic.save(update_fields=["current_document"])
    if app.licence_id is None:
        Application.objects.filter(pk=app.pk).update(licence=lic)
        app.licence = lic
    PrintJob.objects.create(version=version)
    _announce(lic, app, document)
    audit_append(
        actor=actor,
        action="licensing.licence.issue",
        obj=lic,
        changes={"number": lic.number, "version": lic.version, "identifier": identifier},
    )
    return version


@transaction.atomic
def print_job_done(*, actor: Any, job: PrintJob) -> PrintJob:
    if not (is_acceptor(job.version.application, actor) if job.version.application else False):
        raise PermissionRefused(_("您无权操作打印队列。"))
    job.status = PrintJob.Status.PRINTED
    job.printed_at = timezone.now()
    job.save()
    return job


def capture_upload(*, actor: Any, application: Application, code: str, uploaded_file: Any) -> Any:
    """Upload one shot of the capture guide (its kind – photo or video – is checked from the
    file's content, never its name)."""
    from zonegov.core.services.attachments import attachment_add

    _require_applicant(actor, application)
    _require_editable(application)
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


# --- revocation (吊销) -------------------------------------------------------------------

REVOKE_REASON_MAX = 150
DECISION_NUMBER_MAX = 40


def may_revoke(actor: Any, licence: Licence) -> bool:
    """The same people who decide applications: licensing officers and leaders over the
    issuing unit."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return False
    return actor.has_role(RoleCode.LICENSING_OFFICER, RoleCode.LEADER) and unit_in_scope(
        actor, licence.unit
    )


@transaction.atomic
def licence_revoke(*, actor: Any, licence: Licence, reason: str, decision_number: str) -> Licence:
    """吊销: revoking a licence is an administrative penalty (《行政处罚法》第九条;
    《食品安全法》第一百二十二条至第一百三十五条). It is recorded with the penalty
    decision's number (行政处罚决定书文号) and reason: the licence and its current
    certificate become 已吊销, the decision is announced (公示), supervision is told
    (``licence.revoked``) and the holder notified."""
    reason = (reason or "").strip()
    decision_number = (decision_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("请填写吊销理由。")]
    elif len(reason) > REVOKE_REASON_MAX:
        errors["reason"] = [_("吊销理由不能超过 %(n)d 个字。") % {"n": REVOKE_REASON_MAX}]
    elif has_control_characters(reason):
        errors["reason"] = [control_characters_message()]
    if not decision_number:
        errors["decision_number"] = [_("请填写行政处罚决定书文号。")]
    elif len(decision_number) > DECISION_NUMBER_MAX:
        errors["decision_number"] = [_("文号不能超过 %(n)d 个字。") % {"n": DECISION_NUMBER_MAX}]
    elif has_control_characters(decision_number):
        errors["decision_number"] = [control_characters_message()]
    if not may_revoke(actor, licence):
        raise PermissionRefused(_("只有发证单位的审批员或领导可以吊销证照。"))
    if errors:
        raise ApplicationError(
            _("吊销证照须写明理由和行政处罚决定书文号：")
            + "；".join(m for msgs in errors.values() for m in msgs),
            field_errors=errors,
        )
    lic = Licence.objects.select_for_update(of=("self",)).get(pk=licence.pk)
    refuse_unless_valid(lic, action=_("吊销"))
    note = _("吊销（%(number)s）：%(reason)s") % {"number": decision_number, "reason": reason}
    document = lic.current_document
    if document is not None and document.status in (DocumentStatus.VALID, DocumentStatus.EXPIRED):
        document_set_status(
            actor=actor, document=document, status=DocumentStatus.REVOKED, reason=note
        )
    lic.status = LicenceStatus.REVOKED
    lic.save(update_fields=["status"])
    audit_append(
        actor=actor,
        action="licensing.licence.revoke",
        obj=lic,
        changes={
            "status": {"before": LicenceStatus.VALID, "after": LicenceStatus.REVOKED},
            "decision_number": decision_number,
            "reason": reason,
            "certificate_number": document.number if document else "",
        },
    )
    notice_publish(lic, event="revoked", document=None, note=note)
    _push_to_supervision(
        lic,
        event="revoked",
        document=document,
        reference="",
        extra={"decision_number": decision_number, "reason": reason},
    )
    notify(
        user=lic.owner,
        title=_("您的%(kind)s已被吊销") % {"kind": lic.permit_kind.name},
        body=_("证照编号 %(number)s，行政处罚决定书 %(decision)s：%(reason)s")
        % {"number": lic.number, "decision": decision_number, "reason": reason},
        url=lic.get_absolute_url(),
        dedupe_key=f"licensing.revoked:{lic.pk}",
    )
    licence.status = lic.status
    return lic


# --- expiry and renewal reminders (run daily: manage.py licensing_daily) ------------------


@transaction.atomic
def _expire_one(pk: int, today: date) -> Licence | None:
    lic = (
        Licence.objects.select_for_update(of=("self",))
        .select_related("current_document", "owner")
        .filter(pk=pk, status=LicenceStatus.VALID, valid_until__lt=today)
        .first()
    )
    if lic is None:  # another run (or a renewal) got there first
        return None
    assert lic.valid_until is not None
    until = lic.valid_until.isoformat()
    lic.status = LicenceStatus.EXPIRED
    lic.save(update_fields=["status"])
    document = lic.current_document
    if document is not None and document.status == DocumentStatus.VALID:
        document_set_status(
            actor=None,
            document=document,
            status=DocumentStatus.EXPIRED,
            reason=_("有效期至 %(date)s，已届满") % {"date": until},
        )
    audit_append(
        actor=None,
        action="licensing.licence.expire",
        obj=lic,
        changes={
            "status": {"before": LicenceStatus.VALID, "after": LicenceStatus.EXPIRED},
            "valid_until": until,
        },
    )
    # 审 → 监: supervision stops planning routine inspections of an operator whose licence
    # has run out (docs/supervision.md, licence.expired), in the same transaction.
    _push_to_supervision(
        lic,
        event="expired",
        document=document,
        reference="",
        extra={"expired_on": (lic.valid_until + timedelta(days=1)).isoformat()},
    )
    if lic.owner.is_active:
        notify(
            user=lic.owner,
            title=_("您的%(kind)s已过期") % {"kind": lic.permit_kind.name},
            body=_(
                "证照编号 %(number)s 的有效期已于 %(date)s 届满，证照已失效。"
                "继续从事食品经营的，应重新申请新办。"
            )
            % {"number": lic.number, "date": until},
            url=lic.get_absolute_url(),
            dedupe_key=f"licensing.expired:{lic.pk}:{until}",
        )
    return lic


def licences_expire(*, today: date | None = None) -> list[Licence]:
    """Mark every valid licence whose last valid day (``valid_until``) is before ``today``
    as expired, with its current certificate (so the verification page says 已过期 from the
    day after ``valid_until``). Idempotent: a second run finds nothing to do. Expiry is not
    a decision, so nothing is added to the public announcement (公示); supervision is told
    (``licence.expired``, one message per licence) and the holder in the portal. One
    transaction per licence."""
    today = today or timezone.localdate()
    due = list(
        Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today)
        .order_by("valid_until", "pk")
        .values_list("pk", flat=True)
    )
    return [lic for pk in due if (lic := _expire_one(pk, today)) is not None]


#: Our rule (the regulation fixes only the window itself): the "window closing" reminder
#: goes out once the last CLOSING_REMINDER_WORKDAYS working days of the window have begun
#: (from the first of them; a job that missed that day sends it on its next run).
CLOSING_REMINDER_WORKDAYS = 5


@dataclass
class ReminderReport:
    opening: list[str]
    closing: list[str]


def renewal_reminder_due(
    licence: Licence, today: date, *, window: tuple[date, date] | None = None
) -> str:
    """Which reminder ``licence`` is due today: "opening" (the 延续 window is open),
    "closing" (in its last CLOSING_REMINDER_WORKDAYS working days) or "" (outside it)."""
    if licence.valid_until is None or not licence.permit_kind.supports(AppType.RENEW):
        return ""
    opens, closes = window or renewal_window(licence.valid_until)
    if not opens <= today <= closes:
        return ""
    if workdays.working_days_between(today, closes) < CLOSING_REMINDER_WORKDAYS:
        return "closing"
    return "opening"


def _remind(lic: Licence, which: str, window: tuple[date, date]) -> bool:
    """Send one reminder; False when it was already sent (the dedupe key holds)."""
    assert lic.valid_until is not None
    key = f"licensing.renewal.{which}:{lic.pk}:{lic.valid_until.isoformat()}"
    if Notification.objects.filter(recipient_id=lic.owner_id, dedupe_key=key).exists():
        return False
    opens, closes = window
    values = {
        "kind": lic.permit_kind.name,
        "number": lic.number,
        "until": lic.valid_until.isoformat(),
        "opens": opens.isoformat(),
        "closes": closes.isoformat(),
    }
    if which == "opening":
        title = _("证照延续申请期已开始")
        body = (
            _(
                "您的%(kind)s（%(number)s）有效期至 %(until)s。可于 %(opens)s 至 %(closes)s "
                "期间在网上申请延续，截止 %(closes)s。"
            )
            % values
        )
    else:
        title = _("证照延续申请期即将截止")
        body = (
            _(
                "您的%(kind)s（%(number)s）有效期至 %(until)s，延续申请将于 %(closes)s 截止。"
                "逾期未申请的，有效期届满后不能继续经营。"
            )
            % values
        )
    notify(user=lic.owner, title=title, body=body, url=lic.get_absolute_url(), dedupe_key=key)
    return True


def renewal_reminders_send(*, today: date | None = None) -> ReminderReport:
    """Remind holders of the 延续 window (《食品经营许可和备案管理办法》第二十三条: 90 to 15
    working days before expiry, ``kinds.RENEWAL_WINDOW``): once when it is open, once when
    it is about to close (CLOSING_REMINDER_WORKDAYS). Through ``notify`` (portal, and SMS
    where the deployment configures the channel); dedupe keys carry the licence and its
    expiry date, so re-runs never send twice and a renewed licence is reminded again for
    its next period. A run after missed days still sends what is due. No reminder once a
    renewal is under way (the opening one: any renewal application, drafts included; the
    closing one: a submitted renewal)."""
    today = today or timezone.localdate()
    far, _near = kinds.RENEWAL_WINDOW
    # 90 working days are at most ~140 calendar days (weekends, Spring Festival, National
    # Day); the exact window is computed per licence below.
    horizon = today + timedelta(days=far * 2 + 60)
    open_renewals = Application.objects.filter(
        app_type=AppType.RENEW, licence__isnull=False
    ).exclude(state__in=Application.CLOSED_STATES)
    drafting = set(open_renewals.values_list("licence_id", flat=True))
    submitted = set(
        open_renewals.exclude(state=AppState.DRAFT).values_list("licence_id", flat=True)
    )
    report = ReminderReport(opening=[], closing=[])
    candidates = (
        Licence.objects.filter(
            status=LicenceStatus.VALID,
            valid_until__gte=today,
            valid_until__lte=horizon,
            owner__is_active=True,
        )
        .select_related("owner")
        .order_by("valid_until", "pk")
    )
    windows: dict[date, tuple[date, date]] = {}  # many licences share an expiry date
    dues: dict[date, str] = {}
    for lic in candidates.iterator(chunk_size=500):
        assert lic.valid_until is not None
        if not lic.permit_kind.supports(AppType.RENEW) or lic.pk in submitted:
            continue
        if lic.valid_until not in windows:
            windows[lic.valid_until] = renewal_window(lic.valid_until)
            dues[lic.valid_until] = renewal_reminder_due(
                lic, today, window=windows[lic.valid_until]
            )
        which = dues[lic.valid_until]
        if not which or (which == "opening" and lic.pk in drafting):
            continue
        if _remind(lic, which, windows[lic.valid_until]):
            (report.opening if which == "opening" else report.closing).append(lic.number)
    return report
