"""Licensing API (``/api/licensing``): everything the pages do. Errors use the platform's
one shape; others' records answer 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.errors import ApplicationError
from zonegov.core.models import User
from zonegov.core.views.attachments import content_disposition
from zonegov.licensing import capture, codes, kinds, selectors, services
from zonegov.licensing.models import OnsiteVisit
from zonegov.licensing.rules import LICENSING_ROLES

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


class ApplicationRow(Schema):
    id: int
    reference: str
    kind: str
    app_type: str
    state: str
    operator_name: str
    submitted_at: datetime | None
    due_at: datetime | None
    days_left: int | None = None


class NoteIn(Schema):
    note: str = ""


class CorrectionIn(Schema):
    items: list[str] = []
    note: str = ""


class RejectIn(Schema):
    reason: str


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


class LicenceOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    operator_name: str
    holder_code: str
    premises_address: str
    items: list[str]
    valid_from: date
    valid_until: date | None
    version: int
    certificate_url: str
    versions: list[dict[str, Any]]


def _detail(app, user) -> dict:
    """``app`` as returned by a service (fresh from the database)."""
    return selectors.application_data(app, user)


def _raise_tick_errors(app) -> None:
    errors = getattr(app, "_tick_errors", None)
    if errors:
        raise ApplicationError(_("部分内容有误，其余已保存：请按提示修改。"), field_errors=errors)


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
        rows = selectors.workbench_queue(user, queue or selectors.default_queue(user))
        return [
            {**ApplicationRow.from_orm(r.application).dict(), "days_left": r.days_left}
            for r in rows
        ]
    return list(selectors.applications_of_applicant(user, state=state)[:500])


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
    app = services.application_update(actor=request.auth, application=app, data=data)
    _raise_tick_errors(app)
    return _detail(app, request.auth)


@router.post(
    "/applications/{app_id}/sign",
    response={200: ApplicationOut, **ERRORS},
    summary="Generate the 申请书 PDF from the ticks and sign it",
)
def sign_application(request: HttpRequest, app_id: int):
    app = selectors.access_application(request.auth, app_id)
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
    app = services.application_submit(actor=request.auth, application=app)
    return _detail(app, request.auth)


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
