"""Reads of the licensing app, scoped to the user (applicants: their own; staff: their
unit's cases; drafts never leave their applicant)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zonegov.core import workdays
from zonegov.core.access import check_perm
from zonegov.core.models import Unit
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.rules import unit_in_scope
from zonegov.core.xlsx import xlsx_bytes, xlsx_text_cell, xlsx_workbook
from zonegov.licensing import codes, conf, kinds
from zonegov.licensing.kinds import AppType
from zonegov.licensing.models import (
    Application,
    AppState,
    Licence,
    LicenceStatus,
    LicenceVersion,
    PrintJob,
)
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER, SUPERVISOR
from zonegov.licensing.rules import LICENSING_ROLES

# Workbench tabs: which states each role's queue holds.
QUEUES: dict[str, tuple[str, ...]] = {
    "accept": (AppState.SUBMITTED, AppState.RESUBMITTED),
    "inspect": (AppState.INSPECTING,),
    "approve": (AppState.ACCEPTED, AppState.REVIEWING),
    "correction": (AppState.CORRECTION,),
    "done": (AppState.ISSUED, AppState.REJECTED, AppState.WITHDRAWN),
}
QUEUE_ROLES: dict[str, tuple[str, ...]] = {
    "accept": (LICENSING_OFFICER,),
    "inspect": (INSPECTOR,),
    "approve": (LICENSING_OFFICER, LEADER),
    "correction": (LICENSING_OFFICER, LEADER),
    "done": (LICENSING_OFFICER, INSPECTOR, LEADER),
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
    if user.has_role(INSPECTOR) and not user.has_role(LICENSING_OFFICER):
        return "inspect"
    if user.has_role(LEADER) and not user.has_role(LICENSING_OFFICER):
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
    """The licence if ``user`` holds it or may see it (licensing staff and supervisors of
    the issuing unit or above, rule ``licensing.view_licence``; and everyone the e-licence
    library admits, for the same scope), else Http404."""
    try:
        licence = Licence.objects.select_related("current_document", "unit").get(pk=int(pk))
    except (Licence.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if may_use_library(user) and unit_in_scope(user, licence.unit):
        return licence
    if supervises_licences(user) and (path := _licensing_unit_path()):
        if licence.unit.path.startswith(path):
            return licence
    check_perm(user, "licensing.view_licence", licence)
    return licence


def may_open_certificate(user: Any, licence: Licence) -> bool:
    """Who may download a licence's certificate (the page's rule, ``access_licence``); the
    core document API asks the same (registered in ``apps.py``)."""
    try:
        access_licence(user, licence.pk)
    except Http404:
        return False
    return True


def licence_effective_status(licence: Licence, *, today: date | None = None) -> str:
    """The status to show today. ``valid_until`` is the last valid day, so a licence still
    marked valid is expired from the day after it, even before the daily job records it
    (the public verification page treats its certificate the same way)."""
    today = today or timezone.localdate()
    if (
        licence.status == LicenceStatus.VALID
        and licence.valid_until is not None
        and licence.valid_until < today
    ):
        return LicenceStatus.EXPIRED
    return licence.status


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
        "identity_refusal": (app.identity_basis or {}).get("refusal", ""),
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


def licence_data(licence: Licence, *, today: date | None = None) -> dict[str, Any]:
    """What the pages and the API show about one licence: its facts, the effective status,
    and every version (新办/变更/延续/补证) with its certificate's status and the chain of
    e-licence identifiers (each version's 关联证照标识 is the previous one's identifier)."""
    from django.urls import reverse

    from zonegov.licensing import services

    status = licence_effective_status(licence, today=today)
    kind = licence.permit_kind
    window = (
        services.renewal_window(licence.valid_until)
        if licence.valid_until is not None and kind.supports(AppType.RENEW)
        else None
    )
    return {
        "id": licence.pk,
        "number": licence.number,
        "kind": licence.kind,
        "kind_label": kind.name,
        "status": status,
        "status_label": str(LicenceStatus(status).label),
        "operator_name": licence.operator_name,
        "holder_code": licence.holder_code,
        "legal_rep": licence.legal_rep,
        "address": licence.address,
        "premises_address": licence.premises_address,
        "subject_type_name": services.licence_subject_name(licence),
        "items": services.licence_item_names(licence),
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "renewal_opens": window[0] if window else None,
        "renewal_closes": window[1] if window else None,
        "version": licence.version,
        "certificate_url": (
            reverse("licensing:licence_certificate", args=[licence.pk])
            if licence.current_document_id
            else ""
        ),
        "versions": [version_data(v, kind=kind) for v in versions_of(licence)],
    }


def version_data(v: LicenceVersion, *, kind: kinds.PermitKind) -> dict[str, Any]:
    from django.urls import reverse

    doc = v.document
    return {
        "version": v.version,
        "reason": v.reason,
        "reason_label": kind.app_type_label(v.reason),
        "document_number": doc.number,
        "document_status": doc.status,
        "document_status_label": str(DocumentStatus(doc.status).label),
        "document_status_at": doc.status_changed_at,
        "document_status_reason": doc.status_reason,
        "verify_url": reverse("verify_document", args=[doc.number]),
        "identifier": v.identifier,
        "previous_identifier": (v.metadata or {}).get("关联证照标识", ""),
        "issued_at": v.issued_at,
        "metadata": v.metadata,
    }


# --- e-licence library (电子证照库) -----------------------------------------------------------

#: Who may search the library: licensing staff, supervisors, leaders and org admins, each
#: for the licences issued by their unit and the units below it.
LIBRARY_ROLES = frozenset({*LICENSING_ROLES, SUPERVISOR, ORG_ADMIN})


def may_use_library(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_staff_member
        and user.has_role(*LIBRARY_ROLES)
    )


def supervises_licences(user: Any) -> bool:
    """Supervisors and inspectors of the market-supervision unit that supervises licensed
    operators (``conf.inspection_unit_code``), or of a unit below it: 审 → 监, they
    supervise every operator the zone licenses, so they see every licence the licensing
    unit issued."""
    if not may_use_library(user) or not user.unit_id:
        return False
    if not user.has_role(SUPERVISOR, INSPECTOR):
        return False
    unit = Unit.objects.filter(code=conf.inspection_unit_code()).only("path").first()
    return unit is not None and user.unit.path.startswith(unit.path)


def _licensing_unit_path() -> str | None:
    unit = Unit.objects.filter(code=conf.licensing_unit_code()).only("path").first()
    return unit.path if unit else None


def library_licences(user: Any) -> QuerySet[Licence]:
    """Every licence ever issued by the user's unit or a unit below it (any status); for
    the supervising unit, every licence the licensing unit issued."""
    if not may_use_library(user) or not user.unit_id:
        return Licence.objects.none()
    scope = Q(unit__path__startswith=user.unit.path)
    if supervises_licences(user) and (path := _licensing_unit_path()):
        scope |= Q(unit__path__startswith=path)
    return Licence.objects.filter(scope)


@dataclass(frozen=True)
class LibraryFilters:
    number: str = ""
    holder: str = ""
    holder_code: str = ""
    address: str = ""
    item: str = ""
    park_id: int | None = None
    status: str = ""
    kind: str = ""
    expiry_from: date | None = None
    expiry_to: date | None = None


def item_codes_matching(text: str) -> set[str]:
    """经营项目 codes whose code is ``text`` or whose name contains it (every table
    version, every kind)."""
    text = (text or "").strip()
    if not text:
        return set()
    found = set()
    for table in codes.TABLES.values():
        for items in table.items.values():
            for item in items.values():
                if text.lower() == item.code.lower() or text in item.name:
                    found.add(item.code)
    return found


def library_search(
    user: Any, filters: LibraryFilters | None = None, *, today: date | None = None
) -> QuerySet[Licence]:
    """The library filtered; status filters use the status shown today (a licence past
    its last valid day is 已过期 even before the daily job ran)."""
    f = filters or LibraryFilters()
    today = today or timezone.localdate()
    qs = library_licences(user)
    if f.number:
        qs = qs.filter(
            Q(number__icontains=f.number.strip())
            | Q(versions__document__number__icontains=f.number.strip())
        )
    if f.holder:
        qs = qs.filter(operator_name__icontains=f.holder.strip())
    if f.holder_code:
        qs = qs.filter(holder_code__icontains=f.holder_code.strip())
    if f.address:
        text = f.address.strip()
        qs = qs.filter(Q(premises_address__icontains=text) | Q(address__icontains=text))
    if f.item:
        # Item codes never occur as qualifier codes, so the quoted code identifies the
        # item in the stored JSON on every database.
        matches = item_codes_matching(f.item)
        if not matches:
            return qs.none()
        q = Q()
        for code in matches:
            q |= Q(items__icontains=f'"{code}"')
        qs = qs.filter(q)
    if f.park_id:
        qs = qs.filter(enterprise__park__isnull=False).filter(
            Q(enterprise__park_id=f.park_id)
            | Q(enterprise__park__path__contains=f"/{int(f.park_id)}/")
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status == LicenceStatus.VALID:
        qs = qs.filter(status=LicenceStatus.VALID).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
    elif f.status == LicenceStatus.EXPIRED:
        qs = qs.filter(
            Q(status=LicenceStatus.EXPIRED) | Q(status=LicenceStatus.VALID, valid_until__lt=today)
        )
    elif f.status in LicenceStatus.values:
        qs = qs.filter(status=f.status)
    if f.expiry_from:
        qs = qs.filter(valid_until__gte=f.expiry_from)
    if f.expiry_to:
        qs = qs.filter(valid_until__lte=f.expiry_to)
    return (
        qs.distinct()
        .select_related("enterprise__park", "current_document", "unit")
        .order_by("-created_at", "-pk")
    )


@dataclass
class LibraryRow:
    licence: Licence
    status: str
    status_label: str
    item_names: list[str]
    park_name: str
    subject_type_name: str


def library_rows(licences: Any, *, today: date | None = None) -> list[LibraryRow]:
    from zonegov.licensing import services

    today = today or timezone.localdate()
    rows = []
    for lic in licences:
        status = licence_effective_status(lic, today=today)
        park = lic.enterprise.park if lic.enterprise_id and lic.enterprise.park_id else None
        rows.append(
            LibraryRow(
                licence=lic,
                status=status,
                status_label=str(LicenceStatus(status).label),
                item_names=services.licence_item_names(lic),
                park_name=park.name if park else "",
                subject_type_name=services.licence_subject_name(lic),
            )
        )
    return rows


def _xlsx(title: str, headers: list[str], rows: Any) -> bytes:
    """A one-sheet workbook; every cell is text that cannot evaluate (a name starting with
    "=" never becomes a formula, a long code never a number), through ``core.xlsx``."""
    from openpyxl.styles import Font, PatternFill

    wb = xlsx_workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    head = []
    for text in headers:
        cell = xlsx_text_cell(ws, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        head.append(cell)
    ws.append(head)
    for values in rows:
        out = []
        for value in values:
            cell = xlsx_text_cell(ws, value)
            cell.number_format = "@"
            out.append(cell)
        ws.append(out)
    return xlsx_bytes(wb)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def library_export_xlsx(licences: QuerySet[Licence], *, today: date | None = None) -> bytes:
    """The search result as an .xlsx sheet, one row per licence."""
    with translation.override("zh-hans"):
        headers = [
            _("证照编号"),
            _("证照种类"),
            _("状态"),
            _("经营者名称"),
            _("统一社会信用代码（身份证号码）"),
            _("法定代表人（负责人）"),
            _("住所"),
            _("经营场所"),
            _("主体业态"),
            _("经营项目"),
            _("所属园区"),
            _("有效期自"),
            _("有效期至"),
            _("版本"),
            _("当前证书编号"),
            _("发证单位"),
        ]

        def rows() -> Any:
            chunk: list[Licence] = []
            for lic in licences.iterator(chunk_size=500):
                chunk.append(lic)
                if len(chunk) == 500:
                    yield from _library_cells(chunk, today)
                    chunk = []
            yield from _library_cells(chunk, today)

        return _xlsx(_("电子证照库"), headers, rows())


def _library_cells(chunk: list[Licence], today: date | None) -> Any:
    for row in library_rows(chunk, today=today):
        lic = row.licence
        yield [
            lic.number,
            lic.permit_kind.name,
            row.status_label,
            lic.operator_name,
            lic.holder_code,
            lic.legal_rep,
            lic.address,
            lic.premises_address,
            row.subject_type_name,
            "；".join(row.item_names),
            row.park_name,
            _iso(lic.valid_from),
            _iso(lic.valid_until),
            lic.version,
            lic.current_document.number if lic.current_document_id else "",
            lic.unit.name,
        ]


# --- expiring by month -------------------------------------------------------------------------


@dataclass
class ExpiringRow:
    licence: Licence
    renewal_opens: date | None
    renewal_closes: date | None
    renewal: Application | None  # an open 延续 application, if any

    @property
    def renewal_label(self) -> str:
        if self.renewal is None:
            return _("未申请延续")
        return _("延续申请%(state)s（%(ref)s）") % {
            "state": self.renewal.get_state_display(),
            "ref": self.renewal.reference,
        }


@dataclass
class ExpiringMonth:
    month: date  # first day of the month
    rows: list[ExpiringRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def renewing(self) -> int:
        return sum(1 for r in self.rows if r.renewal is not None)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def expiring_by_month(
    user: Any, *, today: date | None = None, months: int = 12
) -> list[ExpiringMonth]:
    """Valid licences expiring from today to the end of the 12th month (this month
    included), grouped by month, each with its renewal window and any open 延续
    application (drafts included: the holder has started)."""
    from zonegov.licensing import services

    today = today or timezone.localdate()
    months = max(1, min(int(months), 36))
    end = _add_months(today.replace(day=1), months)
    groups = [ExpiringMonth(_add_months(today.replace(day=1), i)) for i in range(months)]
    index = {(g.month.year, g.month.month): g for g in groups}
    licences = list(
        library_licences(user)
        .filter(status=LicenceStatus.VALID, valid_until__gte=today, valid_until__lt=end)
        .select_related("enterprise__park", "current_document", "unit")
        .order_by("valid_until", "number")
    )
    renewals: dict[int, Application] = {}
    for app in (
        Application.objects.filter(
            app_type=AppType.RENEW, licence_id__in=[lic.pk for lic in licences]
        )
        .exclude(state__in=Application.CLOSED_STATES)
        .order_by("created_at")
    ):
        renewals[app.licence_id] = app
    windows: dict[date, tuple[date, date]] = {}
    for lic in licences:
        assert lic.valid_until is not None
        window = None
        if lic.permit_kind.supports(AppType.RENEW):
            if lic.valid_until not in windows:
                windows[lic.valid_until] = services.renewal_window(lic.valid_until)
            window = windows[lic.valid_until]
        index[(lic.valid_until.year, lic.valid_until.month)].rows.append(
            ExpiringRow(
                licence=lic,
                renewal_opens=window[0] if window else None,
                renewal_closes=window[1] if window else None,
                renewal=renewals.get(lic.pk),
            )
        )
    return groups


def expiring_export_xlsx(groups: list[ExpiringMonth]) -> bytes:
    with translation.override("zh-hans"):
        headers = [
            _("到期月份"),
            _("证照编号"),
            _("证照种类"),
            _("经营者名称"),
            _("统一社会信用代码（身份证号码）"),
            _("经营场所"),
            _("有效期至"),
            _("延续申请期"),
            _("延续办理情况"),
        ]
        rows = [
            [
                f"{g.month:%Y-%m}",
                r.licence.number,
                r.licence.permit_kind.name,
                r.licence.operator_name,
                r.licence.holder_code,
                r.licence.premises_address,
                _iso(r.licence.valid_until),
                f"{_iso(r.renewal_opens)} — {_iso(r.renewal_closes)}" if r.renewal_opens else "",
                r.renewal_label,
            ]
            for g in groups
            for r in g.rows
        ]
        return _xlsx(_("到期证照"), headers, rows)
