"""Reads of the licensing app, scoped to the user (applicants: their own; staff: their
unit's cases; drafts never leave their applicant)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zonegov.core import workdays
from zonegov.core.access import check_perm
from zonegov.core.roles import RoleCode
from zonegov.licensing.models import Application, AppState, Licence, LicenceVersion, PrintJob

# Workbench tabs: which states each role's queue holds.
QUEUES: dict[str, tuple[str, ...]] = {
    "accept": (AppState.SUBMITTED, AppState.RESUBMITTED),
    "inspect": (AppState.INSPECTING,),
    "approve": (AppState.ACCEPTED, AppState.REVIEWING),
    "correction": (AppState.CORRECTION,),
    "done": (AppState.ISSUED, AppState.REJECTED, AppState.WITHDRAWN),
}
QUEUE_ROLES: dict[str, tuple[str, ...]] = {
    "accept": (RoleCode.LICENSING_OFFICER,),
    "inspect": (RoleCode.INSPECTOR,),
    "approve": (RoleCode.LICENSING_OFFICER, RoleCode.LEADER),
    "correction": (RoleCode.LICENSING_OFFICER, RoleCode.LEADER),
    "done": (RoleCode.LICENSING_OFFICER, RoleCode.INSPECTOR, RoleCode.LEADER),
}


def applications_of_applicant(user: Any, *, state: str = "") -> QuerySet[Application]:
    qs = Application.objects.filter(applicant_id=getattr(user, "pk", None))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("licence").order_by("-created_at")


def applications_for_staff(user: Any) -> QuerySet[Application]:
    """Submitted applications of the user's unit subtree (or sent to it for inspection)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return Application.objects.none()
    path = user.unit.path
    return (
        Application.objects.exclude(state=AppState.DRAFT)
        .filter(Q(unit__path__startswith=path) | Q(inspection_unit__path__startswith=path))
        .select_related("unit", "applicant")
    )


def default_queue(user: Any) -> str:
    if user.has_role(RoleCode.INSPECTOR) and not user.has_role(RoleCode.LICENSING_OFFICER):
        return "inspect"
    if user.has_role(RoleCode.LEADER) and not user.has_role(RoleCode.LICENSING_OFFICER):
        return "approve"
    return "accept"


def queues_for(user: Any) -> list[str]:
    return [q for q, roles in QUEUE_ROLES.items() if user.has_role(*roles)]


@dataclass
class QueueRow:
    application: Application
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def workbench_queue(user: Any, queue: str, *, now: datetime | None = None) -> list[QueueRow]:
    """The queue sorted by statutory deadline (working days), overdue first."""
    now = now or timezone.now()
    states = QUEUES.get(queue, ())
    qs = applications_for_staff(user).filter(state__in=states)
    qs = (
        qs.order_by("-decided_at")[:200]
        if queue == "done"
        else qs.order_by("due_at", "submitted_at")[:500]
    )
    rows = [
        QueueRow(a, workdays.working_days_left(a.due_at, now) if a.due_at and a.is_open else None)
        for a in qs
    ]
    if queue != "done":
        rows.sort(
            key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0)
        )
    return rows


def queue_counts(user: Any) -> dict[str, int]:
    base = applications_for_staff(user)
    return {q: base.filter(state__in=QUEUES[q]).count() for q in queues_for(user) if q != "done"}


def access_application(user: Any, pk: Any) -> Application:
    """The application if ``user`` may see it, else Http404 (others' records are not
    confirmed to exist)."""
    try:
        app = Application.objects.select_related(
            "unit", "inspection_unit", "licence", "applicant"
        ).get(pk=int(pk))
    except (Application.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    check_perm(user, "licensing.view_application", app)
    return app


def licences_of(user: Any) -> QuerySet[Licence]:
    return Licence.objects.filter(owner_id=getattr(user, "pk", None)).select_related(
        "current_document"
    )


def access_licence(user: Any, pk: Any) -> Licence:
    try:
        licence = Licence.objects.select_related("current_document", "unit").get(pk=int(pk))
    except (Licence.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    check_perm(user, "licensing.view_licence", licence)
    return licence


def versions_of(licence: Licence) -> QuerySet[LicenceVersion]:
    return licence.versions.select_related("document").order_by("-version")


def print_queue(user: Any) -> QuerySet[PrintJob]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return PrintJob.objects.none()
    return (
        PrintJob.objects.filter(
            status=PrintJob.Status.QUEUED, version__licence__unit__path__startswith=user.unit.path
        )
        .select_related("version__licence", "version__document")
        .order_by("created_at")
    )


def days_left(application: Application) -> int | None:
    if not application.due_at or not application.is_open:
        return None
    return workdays.working_days_left(application.due_at, timezone.now())


def application_data(app: Application, user: Any) -> dict[str, Any]:
    """What the API (and the pages) show about one application."""
    from django.urls import reverse

    from zonegov.core.selectors.workflow import timeline_for
    from zonegov.licensing import services

    needs_check = app.permit_kind.needs_site_check(app)
    # The guide matters while photos are collected or checked; an application decided
    # without a site check has none (and the instant-approval response stays cheap).
    guide = services.capture_guide(app) if needs_check or app.needs_site_check else []
    licence = app.licence
    return {
        "id": app.pk,
        "reference": app.reference,
        "kind": app.kind,
        "kind_label": app.kind_label,
        "app_type": app.app_type,
        "app_type_label": app.app_type_label,
        "state": app.state,
        "state_label": app.get_state_display(),
        "instant": app.instant,
        "ticks": app.ticks(),
        "subject_type_name": app.subject_type_name(),
        "item_names": app.item_names(),
        "verification": app.verification,
        "verification_passed": app.verification_passed,
        "missing": services.missing_ticks(app) if app.state in services.EDITABLE_STATES else {},
        "form_signed": bool(app.form_sha256),
        "form_is_current": app.form_is_current,
        "form_url": reverse("licensing:application_form", args=[app.pk]) if app.form_sha256 else "",
        "needs_site_check": needs_check,
        "capture_guide": [
            {
                "code": row.shot.code,
                "label": row.shot.label,
                "kind": row.shot.kind,
                "example": row.shot.example,
                "check": row.shot.check,
                "uploaded": [str(a.pk) for a in row.uploaded],
                "done": row.done,
                "verdict": row.check.result if row.check else "",
                "verdict_note": row.check.note if row.check else "",
            }
            for row in guide
        ],
        "correction_notice": app.correction_notice,
        "decision_note": app.decision_note,
        "submitted_at": app.submitted_at,
        "due_at": app.due_at,
        "days_left": days_left(app),
        "licence_id": licence.pk if licence else None,
        "licence_number": licence.number if licence else "",
        "certificate_url": (
            reverse("licensing:licence_certificate", args=[licence.pk])
            if licence and licence.current_document_id
            else ""
        ),
        "timeline": [
            {
                "at": t.at,
                "actor_name": t.actor_name,
                "action": t.action,
                "action_label": t.action_label,
                "note": t.note,
            }
            for t in timeline_for(app)
        ],
    }


def licence_data(licence: Licence) -> dict[str, Any]:
    from django.urls import reverse

    from zonegov.licensing import services

    return {
        "id": licence.pk,
        "number": licence.number,
        "kind": licence.kind,
        "kind_label": licence.permit_kind.name,
        "status": licence.status,
        "status_label": licence.get_status_display(),
        "operator_name": licence.operator_name,
        "holder_code": licence.holder_code,
        "premises_address": licence.premises_address,
        "items": services.licence_item_names(licence),
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "version": licence.version,
        "certificate_url": (
            reverse("licensing:licence_certificate", args=[licence.pk])
            if licence.current_document_id
            else ""
        ),
        "versions": [
            {
                "version": v.version,
                "reason": v.reason,
                "document_number": v.document.number,
                "document_status": v.document.status,
                "identifier": v.identifier,
                "issued_at": v.issued_at,
                "metadata": v.metadata,
            }
            for v in versions_of(licence)
        ],
    }
