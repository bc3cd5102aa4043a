"""Issued documents API: public verification (by number or by uploading the PDF) and, for
staff, the signed file itself."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from zonegov.core.access import check_perm
from zonegov.core.api.base import ERRORS, PUBLIC_ERRORS
from zonegov.core.downloads import content_disposition
from zonegov.core.errors import ApplicationError
from zonegov.core.ratelimit import check_rate
from zonegov.core.selectors.documents import document_by_number, document_public_info
from zonegov.core.services.documents import (
    MAX_VERIFY_BYTES,
    VerificationResult,
    document_verify,
    document_verify_stored,
)

router = Router(tags=["documents"])


class PublicFieldOut(Schema):
    label: str
    value: str


class DocumentPublicOut(Schema):
    number: str
    kind: str
    title: str
    holder_name: str
    issuer_name: str
    issued_at: datetime
    valid_until: date | None
    status: str
    status_label: str
    status_since: date | None
    replaced_by_number: str | None
    public_fields: list[PublicFieldOut]
    kind_label: str = ""  # 文书类型 in words: 电子证照, 受理通知书, 不予许可决定书, …


class VerificationOut(Schema):
    checkable: bool  # False: over the verification limits, "cannot be checked" (docs/api.md)
    genuine: bool
    valid_now: bool
    verdict: str
    signature_valid: bool
    signed_by_us: bool
    on_record: bool
    covers_whole_file: bool
    signer_name: str
    signed_at: datetime | None
    sha256: str
    reasons: list[str]
    document: DocumentPublicOut | None


def _out(result: VerificationResult) -> dict:
    document = None
    if result.document is not None:
        info = document_public_info(result.document)
        document = {
            **{k: getattr(info, k) for k in DocumentPublicOut.model_fields if k != "public_fields"},
            "public_fields": [{"label": k, "value": v} for k, v in info.public_fields],
        }
    return {
        "checkable": result.checkable,
        "genuine": result.genuine,
        "valid_now": result.valid_now,
        "verdict": result.verdict,
        "signature_valid": result.signature_valid,
        "signed_by_us": result.signed_by_us,
        "on_record": result.on_record,
        "covers_whole_file": result.covers_whole_file,
        "signer_name": result.signer_name,
        "signed_at": result.signed_at,
        "sha256": result.sha256,
        "reasons": result.reasons,
        "document": document,
    }


@router.get(
    "/verify/{number}",
    auth=None,
    response={200: VerificationOut, **PUBLIC_ERRORS},
    summary="Verify a document by its number (public): checks the archived file",
)
def verify_by_number(request: HttpRequest, number: str):
    check_rate(request, "verify_lookup")
    document = document_by_number(number)
    if document is None:
        raise Http404
    return _out(document_verify_stored(document))


@router.post(
    "/verify",
    auth=None,
    response={200: VerificationOut, **PUBLIC_ERRORS},
    summary="Verify an uploaded PDF (public; multipart field `file`, at most 20 MB)",
)
def verify_upload(request: HttpRequest, file: File[UploadedFile | None] = None):
    check_rate(request, "verify_upload")
    if file is None:
        message = _("请选择要核验的 PDF 文件。")
        raise ApplicationError(message, field_errors={"file": [message]})
    if file.size > MAX_VERIFY_BYTES:
        message = _("文件超过 %(mb)d MB，无法核验。") % {"mb": MAX_VERIFY_BYTES // (1024 * 1024)}
        raise ApplicationError(message, field_errors={"file": [message]})
    return _out(document_verify(file.read()))


@router.get(
    "/{number}/pdf",
    response=ERRORS,
    summary="The signed PDF as issued (whoever may open the document's own page, e.g. the "
    "licence certificate; else 404)",
    openapi_extra={
        "responses": {"200": {"description": "application/pdf", "content": {"application/pdf": {}}}}
    },
)
def document_pdf(request: HttpRequest, number: str) -> HttpResponse:
    document = document_by_number(number)
    if document is None:
        raise Http404
    check_perm(request.auth, "core.view_document", document)
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        raise ApplicationError(_("存档文件缺失，请联系系统管理员。")) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("attachment", document.number, ".pdf")
    response["Cache-Control"] = "private, no-store"
    return response
