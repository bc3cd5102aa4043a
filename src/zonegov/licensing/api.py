"""Licensing API (``/api/licensing``): everything the pages do. Errors use the platform's
one shape; others' records answer 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS, ErrorOut
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.identity import reauth
from zonegov.core.models import User
from zonegov.core.services.identity import session_identity
from zonegov.core.views.attachments import content_disposition
from zonegov.core.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from zonegov.licensing import capture, codes, exports, kinds, selectors, services
from zonegov.licensing.models import LicenceStatus, OnsiteVisit
from zonegov.licensing.rules import LICENSING_ROLES
from zonegov.licensing.selectors import LIBRARY_ROLES, LibraryFilters

router = Router(tags=["licensing"])


class StartIn(Schema):
    kind: str
    app_type: str = "new"
    licence_id: int | None = None
    holder_kind: str = ""
    uscc: str = ""


class ItemIn(Schema):
    code: str
    qualifiers: list[str] = []


class TicksIn(Schema):
    holder_kind: str | None = None
    operator_name: str | None = None
    holder_code: str | None = None
    legal_rep: str | None = None
    address: str | None = None
    premises_address: str | None = None
    warehouse_address: str | None = None
    subject_type: str | None = None
    subject_qualifiers: list[str] | None = None
    items: list[ItemIn] | None = None
    premises: dict[str, str] | None = None
    conditions_unchanged: bool | None = None
    reason: str | None = None
    declarations: bool | None = None


class ApplicationOut(Schema):
    id: int
    reference: str
    kind: str
    kind_label: str
    app_type: str
    app_type_label: str
    state: str
    state_label: str
    instant: bool
    ticks: dict[str, Any]
    subject_type_name: str
    item_names: list[str]
    verification: list[dict[str, Any]]
    verification_passed: bool
    identity_refusal: str  # why the applicant's identity kept this from 即申即审
    missing: dict[str, list[str]]
    form_signed: bool
    form_is_current: bool
    form_url: str
    needs_site_check: bool
    capture_guide: list[dict[str, Any]]
    correction_notice: str
    decision_note: str
    submitted_at: datetime | None
    due_at: datetime | None
    days_left: int | None
    licence_id: int | None
    licence_number: str
    certificate_url: str
    timeline: list[dict[str, Any]]
    # 受理通知书, 补正告知书, 不予许可决定书, 现场核查记录: number, kind, title, issued_at,
    # status, status_label, pdf_url (/api/documents/{number}/pdf), verify_url
    documents: list[dict[str, Any]]


# The output schemas below read the selectors' rows as they are (ninja resolves a dotted
# alias on the object); a class docstring would become an OpenAPI description, so the
# notes are comments.


class ApplicationRow(Schema):  # reads a selectors.QueueRow
    id: int = Field(alias="application.id")
    reference: str = Field(alias="application.reference")
    kind: str = Field(alias="application.kind")
    app_type: str = Field(alias="application.app_type")
    state: str = Field(alias="application.state")
    operator_name: str = Field(alias="application.operator_name")
    submitted_at: datetime | None = Field(alias="application.submitted_at")
    due_at: datetime | None = Field(alias="application.due_at")
    days_left: int | None = None


class NoteIn(Schema):
    note: str = ""


class CorrectionIn(Schema):
    items: list[str] = []
    note: str = ""


class RejectIn(Schema):
    reason: str


class DeliveryIn(Schema):
    """窗口领取 ("counter") or 邮寄 ("post", with recipient, phone and address)."""

    delivery: str = Field(..., max_length=10)
    recipient: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)


class DeliveryOut(Schema):
    delivery: str
    recipient: str
    phone: str
    address: str


class ExtendIn(Schema):
    days: int
    reason: str


class SiteCheckIn(Schema):
    code: str
    result: str
    note: str = ""


class VisitIn(Schema):
    reason: str
    inspector_ids: list[int]


class VisitRecordIn(Schema):
    visited_on: date
    result: str
    note: str


class VersionOut(Schema):
    version: int
    reason: str
    reason_label: str
    document_number: str
    document_status: str
    document_status_label: str
    document_status_at: datetime | None
    document_status_reason: str
    verify_url: str
    identifier: str
    previous_identifier: str
    issued_at: datetime
    metadata: dict[str, Any]


class LicenceFields(Schema):
    """What a licence shows wherever it is listed: its certificate's face and status."""

    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    operator_name: str
    holder_code: str
    legal_rep: str
    address: str
    premises_address: str
    subject_type_name: str
    items: list[str]
    valid_from: date
    valid_until: date | None
    version: int


class LicenceOut(LicenceFields):
    renewal_opens: date | None
    renewal_closes: date | None
    certificate_url: str
    versions: list[VersionOut]


class RevokeIn(Schema):
    reason: str = ""
    decision_number: str = ""


class LibraryRowOut(Schema):  # reads a selectors.LibraryRow: LicenceFields + the row's own
    id: int = Field(alias="licence.pk")
    number: str = Field(alias="licence.number")
    kind: str = Field(alias="licence.kind")
    kind_label: str = Field(alias="licence.permit_kind.name")
    status: str
    status_label: str
    operator_name: str = Field(alias="licence.operator_name")
    holder_code: str = Field(alias="licence.holder_code")
    legal_rep: str = Field(alias="licence.legal_rep")
    address: str = Field(alias="licence.address")
    premises_address: str = Field(alias="licence.premises_address")
    subject_type_name: str
    items: list[str] = Field(alias="item_names")
    valid_from: date = Field(alias="licence.valid_from")
    valid_until: date | None = Field(alias="licence.valid_until")
    version: int = Field(alias="licence.version")
    park_name: str
    certificate_number: str
    unit_name: str


class LibraryPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[LibraryRowOut]


class ExpiringRowOut(Schema):  # reads a selectors.ExpiringRow
    id: int = Field(alias="licence.pk")
    number: str = Field(alias="licence.number")
    kind_label: str = Field(alias="licence.permit_kind.name")
    operator_name: str = Field(alias="licence.operator_name")
    holder_code: str = Field(alias="licence.holder_code")
    premises_address: str = Field(alias="licence.premises_address")
    valid_until: date = Field(alias="licence.valid_until")
    renewal_opens: date | None
    renewal_closes: date | None
    renewal_reference: str
    renewal_state: str
    renewal_label: str


class ExpiringMonthOut(Schema):  # reads a selectors.ExpiringMonth
    month: str = Field(alias="month_label")
    count: int
    renewing: int
    rows: list[ExpiringRowOut]


def _detail(app, user) -> dict:
    """``app`` as returned by a service (fresh from the database)."""
    return selectors.application_data(app, user)


def _raise_tick_errors(result: services.TickUpdate) -> None:
    if not result.ok:
        raise ApplicationError(
            _("部分内容有误，其余已保存：请按提示修改。"), field_errors=result.errors
        )


@router.get("/codes", summary="Permit kinds, application types and the code tables to tick")
def code_tables(request: HttpRequest) -> dict:
    table = codes.table()
    return {
        "version": table.version,
        "kinds": [
            {
                "code": k.code,
                "name": k.name,
                "app_types": [{"code": t, "label": k.app_type_label(t)} for t in k.app_types],
                "holder_kinds": list(k.holder_kinds),
                "validity_years": k.validity_years,
                "subject_types": [
                    {"code": s.code, "name": s.name, "qualifiers": list(s.qualifiers)}
                    for s in table.subject_types[k.subject_table].values()
                ],
                "items": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "group": i.group,
                        "qualifiers": list(i.qualifiers),
                    }
                    for i in table.items[k.item_table].values()
                ],
            }
            for k in kinds.KINDS.values()
        ],
        "qualifiers": {q.code: q.name for q in table.qualifiers.values()},
        "premises_facts": [
            {
                "code": f.code,
                "label": f.label,
                "choices": [{"code": c.code, "name": c.name} for c in f.choices],
            }
            for f in codes.PREMISES_FACTS
        ],
        "capture_shots": {
            s.code: {"label": s.label, "kind": s.kind, "example": s.example}
            for s in capture.ALL_SHOTS.values()
        },
    }


@router.get(
    "/applications",
    response={200: list[ApplicationRow], **ERRORS},
    summary="Applications: applicants their own; staff their unit's (queue=accept|inspect|...)",
)
def list_applications(request: HttpRequest, queue: str = "", state: str = ""):
    user = request.auth
    if user.is_staff_member:
        require_staff(user, *LICENSING_ROLES)
        return selectors.workbench_queue(user, queue or selectors.default_queue(user))
    return selectors.queue_rows(list(selectors.applications_of_applicant(user, state=state)[:500]))


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="Start a draft (fields already known are pre-filled)",
)
def start_application(request: HttpRequest, payload: StartIn):
    licence = (
        selectors.access_licence(request.auth, payload.licence_id) if payload.licence_id else None
    )
    app = services.application_start(
        actor=request.auth,
        kind=payload.kind,
        app_type=payload.app_type,
        licence=licence,
        holder_kind=payload.holder_kind,
        uscc=payload.uscc,
    )
    return Status(201, _detail(app, request.auth))


@router.get(
    "/applications/{app_id}", response={200: ApplicationOut, **ERRORS}, summary="One application"
)
def get_application(request: HttpRequest, app_id: int):
    return selectors.application_data(
        selectors.access_application(request.auth, app_id), request.auth
    )


@router.patch(
    "/applications/{app_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="Save ticks (valid fields are kept even when others are wrong)",
)
def update_application(request: HttpRequest, app_id: int, payload: TicksIn):
    app = selectors.access_application(request.auth, app_id)
    data = payload.dict(exclude_unset=True)
    result = services.application_save_ticks(actor=request.auth, application=app, data=data)
    _raise_tick_errors(result)
    return _detail(result.application, request.auth)


class SignIn(Schema):
    """Re-authentication before the electronic signature: the login ``password``, or the
    ``code`` of an SMS sent by ``POST …/sign/code`` (purpose "sign")."""

    password: str = Field("", max_length=128)
    code: str = Field("", max_length=6)


class SignCodeOut(Schema):
    masked_phone: str
    expires_at: datetime
    demo_sms: str = ""


SIGN_ERRORS = {**ERRORS, 429: ErrorOut}


@router.post(
    "/applications/{app_id}/sign/code",
    response={200: SignCodeOut, **SIGN_ERRORS},
    summary="Send an SMS code to the applicant's own mobile to confirm the signature",
    description=(
        "The code (6 digits, 5 minutes, 5 tries) goes to the account's proved mobile "
        "number; rate-limited like login codes (429). Accounts without one sign with the "
        "password. `demo_sms` carries the SMS only with the development demo channel."
    ),
)
def send_sign_code(request: HttpRequest, app_id: int):
    app = selectors.access_application(request.auth, app_id)
    if app.applicant_id != request.auth.pk:
        raise PermissionRefused(_("只有申请人本人可以办理此操作。"))
    if app.state not in selectors.EDITABLE_STATES:
        state = app.get_state_display()
        raise ApplicationError(_("申请当前为“%(state)s”，不能签名。") % {"state": state})
    sent = reauth.send_sign_code(request=request, user=request.auth)
    return SignCodeOut(
        masked_phone=sent.masked_phone, expires_at=sent.expires_at, demo_sms=sent.demo_text
    )


@router.post(
    "/applications/{app_id}/sign",
    response={200: ApplicationOut, **SIGN_ERRORS},
    summary="Generate the 申请书 PDF from the ticks and sign it (re-authenticated)",
    description=(
        "Signing has legal effect, so the body must prove again that the applicant is "
        'present, as the sign page does: `{"password": "…"}` (the login password) or '
        '`{"code": "123456"}` (from `POST …/sign/code`). Neither: 400; a wrong one: '
        "403 (wrong passwords count toward the login lock-out, wrong codes toward the "
        "code's five tries); too many: 429."
    ),
)
def sign_application(request: HttpRequest, app_id: int, payload: SignIn):
    app = selectors.access_application(request.auth, app_id)
    reauth.reauthenticate(
        request=request, user=request.auth, password=payload.password, code=payload.code
    )
    app = services.application_sign(actor=request.auth, application=app)
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/capture",
    response={201: dict, **ERRORS},
    summary="Upload a capture-guide shot (multipart: code, file)",
)
def upload_capture(
    request: HttpRequest, app_id: int, code: Form[str] = "", file: File[UploadedFile | None] = None
):
    app = selectors.access_application(request.auth, app_id)
    attachment = services.capture_upload(
        actor=request.auth, application=app, code=code, uploaded_file=file
    )
    return Status(201, {"id": str(attachment.pk), "code": code, "kind": attachment.kind})


@router.post(
    "/applications/{app_id}/submit",
    response={200: ApplicationOut, **ERRORS},
    summary="Submit; 即申即审 when no site check is needed",
)
def submit_application(request: HttpRequest, app_id: int):
    app = selectors.access_application(request.auth, app_id)
    app = services.application_submit(
        actor=request.auth, application=app, identity=session_identity(request)
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/delivery",
    response={200: DeliveryOut, **ERRORS},
    summary="The applicant chooses how to receive the paper copy (until it is printed)",
)
def choose_delivery(request: HttpRequest, app_id: int, payload: DeliveryIn):
    app = selectors.access_application(request.auth, app_id)
    app = services.paper_delivery_choose(actor=request.auth, application=app, **payload.dict())
    return {
        "delivery": app.paper_delivery,
        "recipient": app.delivery_recipient,
        "phone": app.delivery_phone,
        "address": app.delivery_address,
    }


@router.post(
    "/applications/{app_id}/resubmit",
    response={200: ApplicationOut, **ERRORS},
    summary="Resubmit after 补正",
)
def resubmit_application(request: HttpRequest, app_id: int):
    app = selectors.access_application(request.auth, app_id)
    app = services.application_resubmit(actor=request.auth, application=app)
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/withdraw",
    response={200: dict, **ERRORS},
    summary="Withdraw (a draft is discarded)",
)
def withdraw_application(request: HttpRequest, app_id: int, payload: NoteIn):
    app = selectors.access_application(request.auth, app_id)
    was_draft = app.state == "draft"
    app = services.application_withdraw(actor=request.auth, application=app, note=payload.note)
    return {"state": "discarded" if was_draft else app.state}


@router.get(
    "/applications/{app_id}/form",
    response=ERRORS,
    summary="The signed 申请书 (PDF)",
    openapi_extra={
        "responses": {"200": {"description": "application/pdf", "content": {"application/pdf": {}}}}
    },
)
def application_form(request: HttpRequest, app_id: int) -> HttpResponse:
    app = selectors.access_application(request.auth, app_id)
    return form_response(app)


def form_response(app) -> HttpResponse:
    if not app.form_sha256:
        raise ApplicationError(_("申请书尚未生成。"))
    with app.form_file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        "inline", f"{app.reference}申请书", ".pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- officers ---------------------------------------------------------------------------------


def _staff_app(request: HttpRequest, app_id: int):
    require_staff(request.auth, *LICENSING_ROLES)
    return selectors.access_application(request.auth, app_id)


@router.post(
    "/applications/{app_id}/accept",
    response={200: ApplicationOut, **ERRORS},
    summary="受理 (licensing officer)",
)
def accept(request: HttpRequest, app_id: int, payload: NoteIn):
    app = services.application_accept(
        actor=request.auth, application=_staff_app(request, app_id), note=payload.note
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/correction",
    response={200: ApplicationOut, **ERRORS},
    summary="一次性告知补正: everything missing in one notice",
)
def correction(request: HttpRequest, app_id: int, payload: CorrectionIn):
    app = services.application_request_correction(
        actor=request.auth,
        application=_staff_app(request, app_id),
        items=payload.items,
        note=payload.note,
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/site-checks",
    response={200: ApplicationOut, **ERRORS},
    summary="Record pass/fail for one capture-guide item (inspector)",
)
def site_check(request: HttpRequest, app_id: int, payload: SiteCheckIn):
    app = _staff_app(request, app_id)
    services.site_check_record(
        actor=request.auth,
        application=app,
        code=payload.code,
        result=payload.result,
        note=payload.note,
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/onsite-visits",
    response={201: dict, **ERRORS},
    summary="Order an on-site check (≥2 inspectors)",
)
def order_visit(request: HttpRequest, app_id: int, payload: VisitIn):
    app = _staff_app(request, app_id)
    people = list(User.objects.filter(pk__in=payload.inspector_ids))
    visit = services.onsite_visit_order(
        actor=request.auth, application=app, reason=payload.reason, inspectors=people
    )
    return Status(201, {"id": visit.pk})


@router.post(
    "/applications/{app_id}/onsite-visits/{visit_id}",
    response={200: dict, **ERRORS},
    summary="Record the on-site check's result",
)
def record_visit(request: HttpRequest, app_id: int, visit_id: int, payload: VisitRecordIn):
    app = _staff_app(request, app_id)
    visit = get_object_or_404(OnsiteVisit, pk=visit_id, application=app)
    visit = services.onsite_visit_record(
        actor=request.auth,
        visit=visit,
        visited_on=payload.visited_on,
        result=payload.result,
        note=payload.note,
    )
    return {"id": visit.pk, "result": visit.result}


@router.post(
    "/applications/{app_id}/finish-inspection",
    response={200: ApplicationOut, **ERRORS},
    summary="Inspection done: hand over for the decision",
)
def finish_inspection(request: HttpRequest, app_id: int, payload: NoteIn):
    app = services.inspection_finish(
        actor=request.auth, application=_staff_app(request, app_id), note=payload.note
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/approve",
    response={200: ApplicationOut, **ERRORS},
    summary="准予许可 and issue the certificate",
)
def approve(request: HttpRequest, app_id: int, payload: NoteIn):
    app = services.application_approve(
        actor=request.auth, application=_staff_app(request, app_id), note=payload.note
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/reject",
    response={200: ApplicationOut, **ERRORS},
    summary="不予许可 (reason required)",
)
def reject(request: HttpRequest, app_id: int, payload: RejectIn):
    app = services.application_reject(
        actor=request.auth, application=_staff_app(request, app_id), reason=payload.reason
    )
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/extend",
    response={200: ApplicationOut, **ERRORS},
    summary="Extend the decision limit once (≤5 working days, reason required)",
)
def extend(request: HttpRequest, app_id: int, payload: ExtendIn):
    app = services.application_extend(
        actor=request.auth,
        application=_staff_app(request, app_id),
        days=payload.days,
        reason=payload.reason,
    )
    return _detail(app, request.auth)


# --- licences ---------------------------------------------------------------------------------


@router.get(
    "/licences", response={200: list[LicenceOut], **ERRORS}, summary="My licences (applicants)"
)
def list_licences(request: HttpRequest):
    return [selectors.licence_data(lic) for lic in selectors.licences_of(request.auth)[:200]]


@router.get(
    "/licences/{licence_id}",
    response={200: LicenceOut, **ERRORS},
    summary="One licence with its versions, identifiers and metadata",
)
def get_licence(request: HttpRequest, licence_id: int):
    return selectors.licence_data(selectors.access_licence(request.auth, licence_id))


@router.get(
    "/licences/{licence_id}/certificate",
    response=ERRORS,
    summary="The current signed e-certificate (PDF)",
    openapi_extra={
        "responses": {"200": {"description": "application/pdf", "content": {"application/pdf": {}}}}
    },
)
def licence_certificate(request: HttpRequest, licence_id: int) -> HttpResponse:
    return certificate_response(selectors.access_licence(request.auth, licence_id))


def certificate_response(licence) -> HttpResponse:
    doc = licence.current_document
    if doc is None:
        raise ApplicationError(_("该证照还没有电子证书。"))
    with doc.file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("attachment", doc.number, ".pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/licences/{licence_id}/revoke",
    response={200: LicenceOut, **ERRORS},
    summary="吊销 (approvers of the issuing unit): {reason, decision_number}",
)
def revoke_licence(request: HttpRequest, licence_id: int, payload: RevokeIn):
    require_staff(request.auth, *LICENSING_ROLES)
    licence = selectors.access_licence(request.auth, licence_id)
    licence = services.licence_revoke(
        actor=request.auth,
        licence=licence,
        reason=payload.reason,
        decision_number=payload.decision_number,
    )
    return selectors.licence_data(selectors.access_licence(request.auth, licence.pk))


# --- e-licence library (电子证照库) --------------------------------------------------------

MAX_PAGE_SIZE = 200


class LibraryQuery(Schema):
    """The e-licence library's filters (query string), shared by list and export."""

    number: str = ""
    holder: str = ""
    holder_code: str = ""
    address: str = ""
    item: str = ""
    park: int | None = None
    status: str = ""
    kind: str = ""
    expiry_from: date | None = None
    expiry_to: date | None = None


def _library_filters(query: LibraryQuery) -> LibraryFilters:
    errors: dict[str, list[str]] = {}
    if query.status and query.status not in LicenceStatus.values:
        errors["status"] = [
            _("状态只能是：%(v)s。") % {"v": "、".join(LicenceStatus.values)},
        ]
    if query.kind and query.kind not in kinds.KINDS:
        errors["kind"] = [_("证照种类只能是：%(v)s。") % {"v": "、".join(kinds.KINDS)}]
    if query.expiry_from and query.expiry_to and query.expiry_from > query.expiry_to:
        errors["expiry_to"] = [_("截止日期不能早于起始日期。")]
    if errors:
        raise ApplicationError(_("检索条件有误，请按提示修改。"), field_errors=errors)
    return LibraryFilters(
        number=query.number,
        holder=query.holder,
        holder_code=query.holder_code,
        address=query.address,
        item=query.item,
        park_id=query.park,
        status=query.status,
        kind=query.kind,
        expiry_from=query.expiry_from,
        expiry_to=query.expiry_to,
    )


@router.get(
    "/library",
    response={200: LibraryPage, **ERRORS},
    summary="电子证照库: every licence issued in the user's scope, filtered, paginated",
)
def library(
    request: HttpRequest,
    query: Query[LibraryQuery],
    page: int = 1,
    page_size: int = 30,
):
    require_staff(request.auth, *LIBRARY_ROLES)
    filters = _library_filters(query)
    today = timezone.localdate()
    results = selectors.library_search(request.auth, filters, today=today)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    count = results.count()
    pages = max(1, -(-count // page_size))
    page = max(1, min(page, pages))
    chunk = list(results[(page - 1) * page_size : page * page_size])
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "results": selectors.library_rows(chunk, today=today),
    }


@router.get(
    "/library/export",
    response={200: None, **ERRORS},
    summary="The library search as .xlsx (same filters as /library)",
    openapi_extra={"responses": {200: {"content": {XLSX_CONTENT_TYPE: {}}}}},
)
def library_export(
    request: HttpRequest,
    query: Query[LibraryQuery],
):
    require_staff(request.auth, *LIBRARY_ROLES)
    filters = _library_filters(query)
    today = timezone.localdate()
    results = selectors.library_search(request.auth, filters, today=today)
    return xlsx_response(
        exports.library_export_xlsx(results, today=today), f"电子证照库_{today:%Y%m%d}.xlsx"
    )


@router.get(
    "/library/expiring",
    response={200: list[ExpiringMonthOut], **ERRORS},
    summary="Valid licences expiring in the next 12 months, by month, with renewal state",
)
def library_expiring(request: HttpRequest):
    require_staff(request.auth, *LIBRARY_ROLES)
    return selectors.expiring_by_month(request.auth)
