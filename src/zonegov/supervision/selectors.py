"""Reads of the supervision module, always scoped to the user's unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zonegov.core.access import require_staff
from zonegov.core.models import Unit
from zonegov.supervision.models import (
    FollowUp,
    Inspection,
    OperatorStatus,
    PlanEntry,
    Sampling,
    SupervisedOperator,
    SupervisionPlan,
)
from zonegov.supervision.rules import SUPERVISION_ROLES, may_view_in_unit


def _scope(user: Any, prefix: str = "unit") -> Q:
    return Q(**{f"{prefix}__path__startswith": user.unit.path})


def operators_for(
    user: Any, *, q: str = "", status: str = "", risk_level: str = ""
) -> QuerySet[SupervisedOperator]:
    """Operators the user's unit (or a unit below it) supervises, newest licence first."""
    require_staff(user, *SUPERVISION_ROLES)
    qs = SupervisedOperator.objects.filter(_scope(user)).select_related("unit")
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(holder_name__icontains=q)
            | Q(licence_number__icontains=q)
            | Q(premises_address__icontains=q)
            | Q(holder_code__icontains=q)
        )
    if status in OperatorStatus.values:
        qs = qs.filter(status=status)
    if risk_level in ("A", "B", "C", "D"):
        qs = qs.filter(risk_level=risk_level)
    return qs


def inbox_for(user: Any, *, year: int | None = None) -> QuerySet[SupervisedOperator]:
    """Newly licensed operators still to bring into routine supervision: active, and
    either not yet in this year's plan or never inspected."""
    year = year or timezone.localdate().year
    in_plan = PlanEntry.objects.filter(operator=OuterRef("pk"), plan__year=year)
    inspected = Inspection.objects.filter(operator=OuterRef("pk"))
    return (
        operators_for(user, status=OperatorStatus.ACTIVE)
        .annotate(in_plan=Exists(in_plan), inspected=Exists(inspected))
        .filter(Q(in_plan=False) | Q(inspected=False))
    )


def operator_get(user: Any, pk: Any) -> SupervisedOperator:
    """The operator, or 404 when it does not exist or is outside the user's scope."""
    require_staff(user, *SUPERVISION_ROLES)
    operator = SupervisedOperator.objects.select_related("unit").filter(pk=pk).first()
    if operator is None or not may_view_in_unit(user, operator.unit):
        raise Http404
    return operator


def _get_scoped(model: Any, user: Any, pk: Any) -> Any:
    require_staff(user, *SUPERVISION_ROLES)
    try:
        obj = model.objects.select_related("unit", "operator").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None or not may_view_in_unit(user, obj.unit):
        raise Http404
    return obj


def inspection_get(user: Any, pk: Any) -> Inspection:
    return _get_scoped(Inspection, user, pk)


def sampling_get(user: Any, pk: Any) -> Sampling:
    return _get_scoped(Sampling, user, pk)


def followup_get(user: Any, pk: Any) -> FollowUp:
    return _get_scoped(FollowUp, user, pk)


def inspections_for(user: Any, *, open_only: bool = False) -> QuerySet[Inspection]:
    require_staff(user, *SUPERVISION_ROLES)
    qs = Inspection.objects.filter(_scope(user)).select_related("operator")
    if open_only:
        qs = qs.exclude(state__in=Inspection.CLOSED_STATES)
    return qs


def followups_for(user: Any, *, open_only: bool = False) -> QuerySet[FollowUp]:
    require_staff(user, *SUPERVISION_ROLES)
    qs = FollowUp.objects.filter(_scope(user)).select_related("operator", "sampling")
    if open_only:
        qs = qs.exclude(state__in=FollowUp.CLOSED_STATES)
    return qs


def plans_for(user: Any) -> QuerySet[SupervisionPlan]:
    require_staff(user, *SUPERVISION_ROLES)
    return SupervisionPlan.objects.filter(_scope(user)).select_related("unit")


def supervision_units_for(user: Any) -> QuerySet[Unit]:
    """Units in the user's scope that supervise at least one operator."""
    require_staff(user, *SUPERVISION_ROLES)
    return Unit.objects.filter(
        path__startswith=user.unit.path, supervised_operators__isnull=False
    ).distinct()


@dataclass(frozen=True)
class PlanRow:
    entry: PlanEntry
    overdue: bool


def plan_rows(
    user: Any, plan: SupervisionPlan, *, today: date | None = None, overdue_only: bool = False
) -> list[PlanRow]:
    """The plan's entries, overdue first (a planned date passed without an inspection)."""
    if not may_view_in_unit(user, plan.unit):
        raise Http404
    today = today or timezone.localdate()
    entries = plan.entries.select_related("operator").order_by("next_due", "id")
    rows = [PlanRow(entry=e, overdue=e.is_overdue(today)) for e in entries]
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    rows.sort(key=lambda r: (not r.overdue, r.entry.next_due or date.max, r.entry.pk))
    return rows


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    kind: str  # licence, inspection, sampling, followup
    title: str
    detail: str
    url: str
    reference: str = ""


def operator_timeline(user: Any, operator: SupervisedOperator) -> list[TimelineRow]:
    """The one record (审监抽): application → approval → certificate versions →
    inspections → samplings → follow-ups, merged by time."""
    if not may_view_in_unit(user, operator.unit):
        raise Http404
    rows: list[TimelineRow] = []
    for event in operator.events.all():
        detail = f"证书版本 {event.version}"
        if event.certificate_number:
            detail += f" · 证书编号 {event.certificate_number}"
        if event.application_reference:
            detail = f"申请 {event.application_reference} · {detail}"
        rows.append(TimelineRow(event.occurred_at, "licence", event.label, detail, "", event.event))
    for inspection in operator.inspections.all():
        at = inspection.opened_at or timezone.now()
        if inspection.inspected_on:
            at = max(
                at,
                timezone.make_aware(datetime.combine(inspection.inspected_on, datetime.min.time())),
            )
        detail = inspection.get_state_display()
        if inspection.outcome:
            detail = f"{inspection.get_outcome_display()} · {detail}"
        if inspection.rectification_deadline:
            detail += f" · 整改期限 {inspection.rectification_deadline:%Y-%m-%d}"
        rows.append(
            TimelineRow(
                at,
                "inspection",
                "日常监督检查",
                detail,
                inspection.get_absolute_url(),
                inspection.reference,
            )
        )
    for sampling in operator.samplings.all():
        rows.append(
            TimelineRow(
                sampling.created_at,
                "sampling",
                f"抽检：{sampling.sample_name}",
                f"{sampling.get_result_display()} · {sampling.laboratory}",
                sampling.get_absolute_url(),
                sampling.reference,
            )
        )
    for followup in operator.followups.all():
        rows.append(
            TimelineRow(
                followup.opened_at or timezone.now(),
                "followup",
                "核查处置",
                f"{followup.get_state_display()} · 期限 {followup.due_at:%Y-%m-%d}"
                if followup.due_at
                else followup.get_state_display(),
                followup.get_absolute_url(),
                followup.reference,
            )
        )
    order = {"licence": 0, "inspection": 1, "sampling": 2, "followup": 3}
    rows.sort(key=lambda r: (r.at, order[r.kind]))
    return rows
