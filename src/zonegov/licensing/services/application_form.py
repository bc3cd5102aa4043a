"""The 申请书: generated from the ticks and signed by the applicant (a natural person with
the platform's cloud signature bound to their verified identity, an enterprise with its
signing certificate)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.services.audit import audit_append
from zonegov.core.services.documents import DocumentLayout, render_pdf
from zonegov.licensing import codes, kinds
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import Application
from zonegov.licensing.selectors import missing_message, missing_ticks
from zonegov.licensing.services._common import lock_application, require_applicant, require_editable
from zonegov.licensing.services.verification import application_verify
from zonegov.licensing.signing import SignerIdentity, sign_form


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
