"""Certificates: the face and layout of a certificate, its GB/T 36903 metadata, issuing
(or, for 注销, cancelling) inside the caller's transaction, and the paper-copy queue."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.periods import years_end
from zonegov.core.services.audit import audit_append
from zonegov.core.services.documents import DocumentLayout, document_issue, document_set_status
from zonegov.core.services.enterprises import validate_contact_phone
from zonegov.core.services.numbering import number_next
from zonegov.core.validation import control_characters_message, has_control_characters
from zonegov.licensing import conf, identifiers, kinds, notices
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import (
    Application,
    AppState,
    Licence,
    LicenceStatus,
    LicenceVersion,
    PaperDelivery,
    PrintJob,
    is_acceptor,
)
from zonegov.licensing.selectors import licence_item_names, licence_subject_name, public_holder_code
from zonegov.licensing.services._common import (
    LICENCE_FACTS,
    lock_application,
    refuse_unless_valid,
    require_applicant,
)
from zonegov.licensing.services.announcements import announce


def certificate_note(app: Application, version: LicenceVersion | None) -> str:
    if version is None:
        return _("证照已注销")
    return _("电子证书 %(number)s（第%(v)d版）已签发") % {
        "number": version.document.number,
        "v": version.version,
    }


def _holder_code_type(holder_kind: str) -> str:
    return "111" if holder_kind == HolderKind.PERSON else "001"


def signer_of(actor: Any) -> str:
    """签发人: the full name of the official who approved; "" when no official did (即申即审
    decides automatically). Never the seal's name."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return (getattr(actor, "full_name", "") or actor.get_full_name() or "").strip()


def certificate_fields(
    lic: Licence, *, identifier: str, issued_on: date, signer: str = ""
) -> list[tuple[str, str]]:
    """The face (照面) of the certificate: every field the kind declares, in order. The
    签发人 line (``signer``, the approving official) only on kinds that print it, and left
    out when no official signed."""
    kind = lic.permit_kind
    values = {
        "operator_name": lic.operator_name,
        "holder_code": public_holder_code(lic),
        "legal_rep": lic.legal_rep,
        "address": lic.address,
        "premises_address": lic.premises_address,
        "subject_type": licence_subject_name(lic),
        "items": "；".join(licence_item_names(lic)),
        "warehouse_address": lic.warehouse_address,
        "number": lic.number,
        "valid_until": lic.valid_until.isoformat() if lic.valid_until else _("长期"),
        "issued_on": issued_on.isoformat(),
        "complaints_phone": conf.complaints_phone(),
        "issuer": conf.issuer_name(),
        "signer": signer,
        "identifier": identifier,
    }
    out = []
    for key in kind.cert_fields:
        if key == "warehouse_address" and not lic.warehouse_address:
            continue
        if key == "signer" and not (kind.prints_signer and signer):
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


def _serial(lic: Licence) -> str:
    serial = "".join(ch for ch in lic.number.upper() if ch.isascii() and ch.isalnum())
    return serial or f"{lic.pk:010d}"


def _apply_application(lic: Licence, app: Application) -> None:
    for name in LICENCE_FACTS:
        setattr(lic, name, getattr(app, name))
    lic.enterprise_id = app.enterprise_id
    lic.person_id = app.person_id


def _filed_before_expiry(app: Application, lic: Licence) -> bool:
    """A 延续 submitted while the licence was still valid (the decision may fall after the
    expiry date when the limit was extended)."""
    if lic.valid_until is None or app.submitted_at is None:
        return False
    return timezone.localdate(app.submitted_at) <= lic.valid_until


def certificate_issue(*, actor: Any, application: Application) -> LicenceVersion | None:
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
            announce(lic, app, None)
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
    face = certificate_fields(lic, identifier=identifier, issued_on=today, signer=signer_of(actor))
    doc_number = lic.number if lic.version == 1 else f"{lic.number}-{lic.version:03d}"
    public = [
        (kind.number_label, lic.number),
        (_("经营者名称"), lic.operator_name),
        (kinds.CERT_FIELD_LABELS["holder_code"], public_holder_code(lic)),
        (_("经营场所"), lic.premises_address),
        (_("主体业态"), licence_subject_name(lic)),
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
    announce(lic, app, document)
    audit_append(
        actor=actor,
        action="licensing.licence.issue",
        obj=lic,
        changes={"number": lic.number, "version": lic.version, "identifier": identifier},
    )
    return version


DELIVERY_CLOSED_STATES = frozenset({AppState.REJECTED, AppState.WITHDRAWN})
TRACKING_RE = re.compile(r"^[A-Za-z0-9-]{6,30}$")


def paper_copy_sent(application: Application) -> bool:
    """Whether a paper copy of this application was already printed (the delivery choice
    is then fixed)."""
    return PrintJob.objects.filter(
        version__application=application,
        status__in=(PrintJob.Status.PRINTED, PrintJob.Status.POSTED),
    ).exists()


@transaction.atomic
def paper_delivery_choose(
    *,
    actor: Any,
    application: Application,
    delivery: str,
    recipient: str = "",
    phone: str = "",
    address: str = "",
) -> Application:
    """The applicant chooses how to receive the paper copy: 窗口领取, or 邮寄 to an address
    (recipient, phone and address required). Open until the copy is printed."""
    app = lock_application(application)
    require_applicant(actor, app)
    if app.state in DELIVERY_CLOSED_STATES or app.app_type == AppType.CANCEL:
        raise ApplicationError(_("本申请没有纸质证书可领取。"))
    if paper_copy_sent(app):
        raise ApplicationError(_("纸质证书已制作，领取方式不能再修改。"))
    if delivery not in PaperDelivery.values:
        raise ApplicationError(
            _("请选择纸质证书的领取方式。"), field_errors={"delivery": [_("请选择领取方式。")]}
        )
    recipient, phone, address = (str(x or "").strip() for x in (recipient, phone, address))
    errors: dict[str, list[str]] = {}
    if delivery == PaperDelivery.POST:
        if not recipient or len(recipient) > 50:
            errors["recipient"] = [_("请填写收件人姓名（不超过50个字）。")]
        try:
            phone = validate_contact_phone(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
        if len(address) < 8 or len(address) > 200:
            errors["address"] = [_("请填写详细邮寄地址（省市区、街道、门牌号，8至200个字）。")]
        for name, value in (("recipient", recipient), ("address", address)):
            if has_control_characters(value):
                errors[name] = [control_characters_message()]
        if errors:
            raise ApplicationError(_("邮寄信息不完整，请按提示修改。"), field_errors=errors)
    else:
        recipient = phone = address = ""
    Application.objects.filter(pk=app.pk).update(
        paper_delivery=delivery,
        delivery_recipient=recipient,
        delivery_phone=phone,
        delivery_address=address,
    )
    audit_append(
        actor=actor,
        action="licensing.paper.delivery",
        obj=app,
        changes={"delivery": delivery, "address": address},
    )
    app.refresh_from_db()
    return app


@transaction.atomic
def print_job_done(*, actor: Any, job: PrintJob, tracking_number: str = "") -> PrintJob:
    """Mark a paper copy printed: ready at the counter, or posted (with the tracking
    number) when the applicant chose post; the applicant is told either way."""
    app = job.version.application
    if not (is_acceptor(app, actor) if app else False):
        raise PermissionRefused(_("您无权操作打印队列。"))
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PrintJob.Status.QUEUED:
        raise ApplicationError(_("该纸质证书已处理。"))
    assert app is not None
    app.refresh_from_db()
    tracking_number = (tracking_number or "").strip()
    if app.paper_delivery == PaperDelivery.POST:
        if not TRACKING_RE.match(tracking_number):
            raise ApplicationError(
                _("申请人选择了邮寄：请填写快递单号（6至30位字母、数字）。"),
                field_errors={"tracking_number": [_("请填写快递单号。")]},
            )
        job.status = PrintJob.Status.POSTED
        job.tracking_number = tracking_number
    else:
        job.status = PrintJob.Status.PRINTED
    job.printed_at = timezone.now()
    job.save()
    audit_append(
        actor=actor,
        action="licensing.paper.done",
        obj=app,
        changes={"status": job.status, "tracking_number": job.tracking_number},
    )
    if job.status == PrintJob.Status.POSTED:
        notices.paper_posted(app, job)
    else:
        notices.paper_ready(app, job)
    return job
