"""Supervision API (``/api/supervision``): everything the pages do. Errors use the
platform's one shape; records outside the user's unit answer 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Unit, User
from zonegov.core.selectors.documents import documents_about
from zonegov.supervision import selectors, services
from zonegov.supervision.instruments import SUPERVISION_INSTRUMENTS
from zonegov.supervision.models import FollowUp, Inspection, Sampling, SupervisedOperator
from zonegov.supervision.rules import SUPERVISION_ROLES, may_view_in_unit

router = Router(tags=["supervision"])


class OperatorOut(Schema):
    id: int
    licence_number: str
    kind_name: str
    version: int
    certificate_number: str
    holder_name: str
    holder_code: str
    legal_representative: str
    premises_address: str
    main_business_type: str
    business_items: list[str]
    valid_from: date | None
    valid_until: date | None
    unit_code: str
    risk_level: str
    risk_level_graded: bool
    status: str


def _operator(o: SupervisedOperator) -> dict:
    fields = [f for f in OperatorOut.model_fields if f != "unit_code"]
    return {**{f: getattr(o, f) for f in fields}, "unit_code": o.unit.code}


class TimelineOut(Schema):
    at: datetime
    kind: str
    title: str
    detail: str
    url: str
    reference: str


class RiskIn(Schema):
    risk_level: str
    reason: str = ""


class InspectionIn(Schema):
    planned_date: date
    note: str = ""
    inspector_ids: list[int] = []


class ItemIn(Schema):
    code: str
    result: str
    note: str = ""


class RecordIn(Schema):
    inspector_ids: list[int]
    items: list[ItemIn]
    outcome: str
    inspected_on: date | None = None
    rectification_deadline: date | None = None
    summary: str = ""


class NoteIn(Schema):
    note: str = ""


class InspectionItemOut(Schema):
    code: str
    text: str
    result: str
    note: str


class InspectionOut(Schema):
    id: int
    reference: str
    operator_id: int
    state: str
    planned_date: date
    inspected_on: date | None
    outcome: str
    rectification_deadline: date | None
    due_at: datetime | None
    summary: str
    inspector_ids: list[int]
    items: list[InspectionItemOut]
    # 监督检查结果告知书 / 责令整改通知书: number, kind, title, issued_at, pdf_url, verify_url
    documents: list[dict[str, Any]]


def _inspection(i: Inspection) -> dict:
    return {
        "id": i.pk,
        "reference": i.reference,
        "operator_id": i.operator_id,
        "state": i.state,
        "planned_date": i.planned_date,
        "inspected_on": i.inspected_on,
        "outcome": i.outcome,
        "rectification_deadline": i.rectification_deadline,
        "due_at": i.due_at,
        "summary": i.summary,
        "inspector_ids": list(i.inspectors.values_list("pk", flat=True)),
        "items": [
            {"code": x.code, "text": x.text, "result": x.result, "note": x.note}
            for x in i.items.all()
        ],
        "documents": [
            {
                "number": d.number,
                "kind": d.kind,
                "title": d.title,
                "issued_at": d.issued_at,
                "pdf_url": reverse("api:document_pdf", args=[d.number]),
                "verify_url": reverse("verify_document", args=[d.number]),
            }
            for d in documents_about(i, kinds=SUPERVISION_INSTRUMENTS)
        ],
    }


class SampleItemIn(Schema):
    item_tested: str
    result: str
    standard: str = ""
    measured: str = ""


class SamplingIn(Schema):
    sample_name: str
    batch_number: str
    sampled_on: date
    laboratory: str
    report_number: str = ""
    items: list[SampleItemIn]


class SamplingOut(Schema):
    id: int
    reference: str
    operator_id: int
    sample_name: str
    batch_number: str
    sampled_on: date
    laboratory: str
    report_number: str
    result: str
    items: list[SampleItemIn]
    followup_id: int | None


def _sampling(s: Sampling) -> dict:
    followup = FollowUp.objects.filter(sampling=s).first()
    return {
        "id": s.pk,
        "reference": s.reference,
        "operator_id": s.operator_id,
        "sample_name": s.sample_name,
        "batch_number": s.batch_number,
        "sampled_on": s.sampled_on,
        "laboratory": s.laboratory,
        "report_number": s.report_number,
        "result": s.result,
        "items": [
            {
                "item_tested": x.item_tested,
                "result": x.result,
                "standard": x.standard,
                "measured": x.measured,
            }
            for x in s.items.all()
        ],
        "followup_id": followup.pk if followup else None,
    }


class FollowUpOut(Schema):
    id: int
    reference: str
    operator_id: int
    sampling_id: int
    state: str
    reason: str
    due_at: datetime | None


class FollowUpActIn(Schema):
    action: str
    note: str = ""


class PlanIn(Schema):
    year: int
    unit_code: str = ""


class PlanEntryOut(Schema):
    operator_id: int
    holder_name: str
    risk_level: str
    planned_count: int
    done_count: int
    planned_dates: list[str]
    next_due: date | None
    stopped: bool
    overdue: bool


class PlanOut(Schema):
    id: int
    year: int
    unit_code: str
    overdue_count: int
    entries: list[PlanEntryOut]


def _plan(user: User, plan) -> dict:
    rows = selectors.plan_rows(user, plan)
    return {
        "id": plan.pk,
        "year": plan.year,
        "unit_code": plan.unit.code,
        "overdue_count": sum(1 for r in rows if r.overdue),
        "entries": [
            {
                "operator_id": r.entry.operator_id,
                "holder_name": r.entry.operator.holder_name,
                "risk_level": r.entry.risk_level,
                "planned_count": r.entry.planned_count,
                "done_count": r.entry.done_count,
                "planned_dates": r.entry.planned_dates,
                "next_due": r.entry.next_due,
                "stopped": r.entry.stopped,
                "overdue": r.overdue,
            }
            for r in rows
        ],
    }


def _users(ids: list[int]) -> list[User]:
    users = list(User.objects.filter(pk__in=ids))
    if len(users) != len(set(ids)):
        raise ApplicationError(
            "有执法人员不存在。", field_errors={"inspector_ids": ["请检查执法人员编号。"]}
        )
    return users


# --------------------------------------------------------------------------- operators


@router.get(
    "/operators",
    response={200: list[OperatorOut], **ERRORS},
    summary=(
        "Operators the user's unit supervises "
        "(q, status=active|cancelled|revoked|expired, risk_level)"
    ),
)
def list_operators(request: HttpRequest, q: str = "", status: str = "", risk_level: str = ""):
    qs = selectors.operators_for(request.auth, q=q[:100], status=status, risk_level=risk_level)
    return [_operator(o) for o in qs[:500]]


@router.get(
    "/inbox",
    response={200: list[OperatorOut], **ERRORS},
    summary="Newly licensed operators not yet in this year's plan or never inspected",
)
def inbox(request: HttpRequest):
    return [_operator(o) for o in selectors.inbox_for(request.auth)[:500]]


@router.get("/operators/{operator_id}", response={200: OperatorOut, **ERRORS})
def get_operator(request: HttpRequest, operator_id: int):
    return _operator(selectors.operator_get(request.auth, operator_id))


@router.get(
    "/operators/{operator_id}/timeline",
    response={200: list[TimelineOut], **ERRORS},
    summary="The one record: licence events, inspections, samplings, follow-ups by time",
)
def operator_timeline(request: HttpRequest, operator_id: int):
    operator = selectors.operator_get(request.auth, operator_id)
    return [r.__dict__ for r in selectors.operator_timeline(request.auth, operator)]


@router.post("/operators/{operator_id}/risk-level", response={200: OperatorOut, **ERRORS})
def set_risk_level(request: HttpRequest, operator_id: int, payload: RiskIn):
    operator = selectors.operator_get(request.auth, operator_id)
    return _operator(
        services.operator_set_risk_level(
            actor=request.auth,
            operator=operator,
            risk_level=payload.risk_level,
            reason=payload.reason,
        )
    )


# --------------------------------------------------------------------------- inspections


@router.post(
    "/operators/{operator_id}/inspections",
    response={201: InspectionOut, **ERRORS},
    summary="Open a routine inspection (日常监督检查) with the standard checklist",
)
def create_inspection(request: HttpRequest, operator_id: int, payload: InspectionIn):
    operator = selectors.operator_get(request.auth, operator_id)
    inspection = services.inspection_create(
        actor=request.auth,
        operator=operator,
        planned_date=payload.planned_date,
        inspectors=_users(payload.inspector_ids),
        note=payload.note,
    )
    return Status(201, _inspection(inspection))


@router.get("/inspections/{inspection_id}", response={200: InspectionOut, **ERRORS})
def get_inspection(request: HttpRequest, inspection_id: int):
    return _inspection(selectors.inspection_get(request.auth, inspection_id))


@router.post(
    "/inspections/{inspection_id}/record",
    response={200: InspectionOut, **ERRORS},
    summary="Record checklist results, inspectors (≥2), outcome, rectification deadline",
)
def record_inspection(request: HttpRequest, inspection_id: int, payload: RecordIn):
    inspection = selectors.inspection_get(request.auth, inspection_id)
    inspection = services.inspection_record(
        actor=request.auth,
        inspection=inspection,
        inspectors=_users(payload.inspector_ids),
        items=[
            services.ItemInput(code=i.code, result=i.result, note=i.note) for i in payload.items
        ],
        outcome=payload.outcome,
        inspected_on=payload.inspected_on,
        rectification_deadline=payload.rectification_deadline,
        summary=payload.summary,
    )
    return _inspection(inspection)


@router.post(
    "/inspections/{inspection_id}/verify",
    response={200: InspectionOut, **ERRORS},
    summary="复查: rectification verified, the inspection closes",
)
def verify_inspection(request: HttpRequest, inspection_id: int, payload: NoteIn):
    inspection = selectors.inspection_get(request.auth, inspection_id)
    return _inspection(
        services.inspection_verify(actor=request.auth, inspection=inspection, note=payload.note)
    )


# --------------------------------------------------------------------------- samplings


@router.post(
    "/operators/{operator_id}/samplings",
    response={201: SamplingOut, **ERRORS},
    summary="Record a sampling (抽检); a failed item opens 核查处置. Attach the report "
    "file with POST /api/attachments.",
)
def create_sampling(request: HttpRequest, operator_id: int, payload: SamplingIn):
    operator = selectors.operator_get(request.auth, operator_id)
    sampling = services.sampling_record(
        actor=request.auth,
        operator=operator,
        sample_name=payload.sample_name,
        batch_number=payload.batch_number,
        sampled_on=payload.sampled_on,
        laboratory=payload.laboratory,
        report_number=payload.report_number,
        items=[
            services.SampleItemInput(
                item_tested=i.item_tested, result=i.result, standard=i.standard, measured=i.measured
            )
            for i in payload.items
        ],
    )
    return Status(201, _sampling(sampling))


@router.get("/samplings/{sampling_id}", response={200: SamplingOut, **ERRORS})
def get_sampling(request: HttpRequest, sampling_id: int):
    return _sampling(selectors.sampling_get(request.auth, sampling_id))


@router.get("/followups/{followup_id}", response={200: FollowUpOut, **ERRORS})
def get_followup(request: HttpRequest, followup_id: int):
    return selectors.followup_get(request.auth, followup_id)


@router.post(
    "/followups/{followup_id}/act",
    response={200: FollowUpOut, **ERRORS},
    summary="核查处置: action=investigate|conclude (conclude needs a note)",
)
def act_followup(request: HttpRequest, followup_id: int, payload: FollowUpActIn):
    followup = selectors.followup_get(request.auth, followup_id)
    return services.followup_act(
        actor=request.auth, followup=followup, action=payload.action, note=payload.note
    )


# --------------------------------------------------------------------------- plans


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="Annual plans in scope")
def list_plans(request: HttpRequest):
    return [_plan(request.auth, p) for p in selectors.plans_for(request.auth)[:20]]


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: int):
    plan = selectors.plans_for(request.auth).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return _plan(request.auth, plan)


@router.post(
    "/plans",
    response={201: PlanOut, **ERRORS},
    summary="Generate (or top up) the year's plan by risk level; idempotent",
)
def generate_plan(request: HttpRequest, payload: PlanIn):
    user = request.auth
    require_staff(user, *SUPERVISION_ROLES)
    unit = Unit.objects.filter(code=payload.unit_code).first() if payload.unit_code else user.unit
    if unit is None or not may_view_in_unit(user, unit):
        raise ApplicationError(
            "没有这个监管单位。", field_errors={"unit_code": ["请检查单位编码。"]}
        )
    plan = services.plan_generate(actor=user, unit=unit, year=payload.year)
    return Status(201, _plan(user, plan))
