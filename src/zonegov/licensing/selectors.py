"""Reads of the licensing app, scoped to the user (applicants: their own; staff: their
unit's cases; drafts never leave their applicant)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonegov.core import workdays
from zonegov.core.access import check_perm
from zonegov.core.identifiers import mask_id_number
from zonegov.core.models import IssuedDocument, Unit
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.rules import unit_in_scope
from zonegov.core.selectors.attachments import attachments_of
from zonegov.core.selectors.documents import documents_about
from zonegov.core.selectors.workflow import Action, available_actions
from zonegov.licensing import capture, codes, conf, kinds
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import (
    Application,
    AppState,
    Licence,
    LicenceStatus,
    LicenceVersion,
    PrintJob,
    SiteCheckItem,
    is_approver,
)
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER, SUPERVISOR
from zonegov.licensing.rules import LICENSING_ROLES

#: The states in which the applicant may still change the ticks and files.
EDITABLE_STATES = (AppState.DRAFT, AppState.CORRECTION)

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


def inspection_work_scope(user: Any) -> Q | None:
    """我的工作 for inspectors (``core.selectors.workflow.register_work_scope``): the cases
    waiting for inspection by their unit or a unit below it, as the workbench's 待核查
    queue shows them (the work item itself belongs to the licensing unit)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return None
    if not user.has_role(INSPECTOR):
        return None
    keys = (
        Application.objects.filter(
            state=AppState.INSPECTING, inspection_unit__path__startswith=user.unit.path
        )
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    return Q(content_type=ContentType.objects.get_for_model(Application), object_id__in=keys)


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
    rows = queue_rows(list(qs), now=now)
    if queue != "done":
        rows.sort(
            key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0)
        )
    return rows


def queue_rows(applications: list[Application], *, now: datetime | None = None) -> list[QueueRow]:
    """Each application with its working days left (open ones), the holiday calendar read
    once for the whole list."""
    left = workdays.working_days_left_each(
        [a.due_at if a.is_open else None for a in applications], now or timezone.now()
    )
    return [QueueRow(a, days) for a, days in zip(applications, left, strict=True)]


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


def print_queue(user: Any, *, today: date | None = None) -> QuerySet[PrintJob]:
    """Paper copies still to print in the user's unit subtree: only the current version of
    a licence still in force (a revoked, cancelled or expired licence, or a version a
    补证/变更/延续 replaced, is never printed)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return PrintJob.objects.none()
    today = today or timezone.localdate()
    return (
        PrintJob.objects.filter(
            status=PrintJob.Status.QUEUED,
            version__licence__unit__path__startswith=user.unit.path,
            version__licence__status=LicenceStatus.VALID,
            version__document_id=F("version__licence__current_document_id"),
        )
        .filter(
            Q(version__licence__valid_until__isnull=True)
            | Q(version__licence__valid_until__gte=today)
        )
        .select_related("version__licence", "version__document", "version__application")
        .order_by("created_at")
    )


def paper_copies(application: Application) -> QuerySet[PrintJob]:
    """The paper copies of this application's certificates, newest first (the case page
    shows whether each is queued, ready at the counter or posted)."""
    return (
        PrintJob.objects.filter(version__application=application)
        .select_related("version__licence")
        .order_by("-created_at")
    )


def days_left(application: Application) -> int | None:
    if not application.due_at or not application.is_open:
        return None
    return workdays.working_days_left(application.due_at, timezone.now())


# The formal documents of a case (kinds of core.services.documents.instruments, issued by
# licensing.services.instruments): 受理通知书, 补正告知书, 不予许可决定书, 现场核查记录.
LICENSING_INSTRUMENTS = (
    "acceptance_notice",
    "correction_notice",
    "refusal_decision",
    "onsite_record",
)


def application_documents(app: Application) -> list[IssuedDocument]:
    """The case's formal documents, oldest first (none for an instant approval: its
    certificate is the decision, and its response stays as cheap as it was)."""
    if app.instant:
        return []
    return documents_about(app, kinds=LICENSING_INSTRUMENTS)


def application_data(
    app: Application, user: Any, *, documents: list[IssuedDocument] | None = None
) -> dict[str, Any]:
    """What the API (and the pages) show about one application; ``documents`` when the
    caller has read them already (``application_documents``)."""
    from django.urls import reverse

    from zonegov.core.selectors.workflow import timeline_for

    if documents is None:
        documents = application_documents(app)

    needs_check = app.permit_kind.needs_site_check(app)
    # The guide matters while photos are collected or checked; an application decided
    # without a site check has none (and the instant-approval response stays cheap).
    guide = capture_guide(app) if needs_check or app.needs_site_check else []
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
        "missing": missing_ticks(app) if app.state in EDITABLE_STATES else {},
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
        "documents": [
            {
                "number": d.number,
                "kind": d.kind,
                "title": d.title,
                "issued_at": d.issued_at,
                "status": d.status,
                "status_label": d.get_status_display(),
                "pdf_url": reverse("api:document_pdf", args=[d.number]),
                "verify_url": reverse("verify_document", args=[d.number]),
            }
            for d in documents
        ],
    }


def licence_data(licence: Licence, *, today: date | None = None) -> dict[str, Any]:
    """What the pages and the API show about one licence: its facts, the effective status,
    and every version (新办/变更/延续/补证) with its certificate's status and the chain of
    e-licence identifiers (each version's 关联证照标识 is the previous one's identifier)."""
    from django.urls import reverse

    status = licence_effective_status(licence, today=today)
    kind = licence.permit_kind
    window = (
        renewal_window(licence.valid_until)
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
        "subject_type_name": licence_subject_name(licence),
        "items": licence_item_names(licence),
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
    """One licence as the library lists it (page, API, export): its effective status and
    the names derived from the code tables, computed once per row."""

    licence: Licence
    status: str
    status_label: str
    item_names: list[str]
    park_name: str
    subject_type_name: str
    certificate_number: str = ""
    unit_name: str = ""


def library_rows(licences: Any, *, today: date | None = None) -> list[LibraryRow]:
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
                item_names=licence_item_names(lic),
                park_name=park.name if park else "",
                subject_type_name=licence_subject_name(lic),
                certificate_number=lic.current_document.number if lic.current_document_id else "",
                unit_name=lic.unit.name,
            )
        )
    return rows


# --- expiring by month -------------------------------------------------------------------------


@dataclass
class ExpiringRow:
    licence: Licence
    renewal_opens: date | None
    renewal_closes: date | None
    renewal: Application | None  # an open 延续 application, if any

    @property
    def renewal_reference(self) -> str:
        return self.renewal.reference if self.renewal else ""

    @property
    def renewal_state(self) -> str:
        return self.renewal.state if self.renewal else ""

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
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

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
                windows[lic.valid_until] = renewal_window(lic.valid_until)
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


# --- the rules the pages show (reads: no service is imported here) ----------------------


def renewal_window(valid_until: date) -> tuple[date, date]:
    """First and last day on which a 延续 may be filed.

    《食品经营许可和备案管理办法》(2023) 第二十三条: the holder files 延续 "在有效期届满前
    90个工作日至15个工作日期间" (research note §1.5 [C]; ``kinds.RENEWAL_WINDOW``). Our
    reading, written in docs/licensing.md ("The renewal window"): on a given day the
    working days *before expiry* are the working days from that day (counted when it is a
    working day) up to, but not including, the last valid day ``valid_until`` — the day the
    period is counted back from is not counted, as 《民法典》第二百零一条 excludes the day a
    period is counted from. 延续 may be filed while that count is between 15 and 90: the
    window opens the day after the 91st working day before expiry and closes on the 15th
    (``core.workdays.window_before``)."""
    far, near = kinds.RENEWAL_WINDOW
    return workdays.window_before(valid_until, far, near)


def working_days_before_expiry(today: date, valid_until: date) -> int:
    """Working days from ``today`` (included when it is one) to ``valid_until`` (excluded):
    the count the renewal window is defined by (see ``renewal_window``)."""
    return workdays.working_days_until(today, valid_until)


def public_holder_code(lic: Licence) -> str:
    """The holder code as it may be shown publicly: a person's ID number masked."""
    if lic.holder_kind == HolderKind.PERSON:
        return mask_id_number(lic.holder_code)
    return lic.holder_code


def licence_subject_name(lic: Licence) -> str:
    """主体业态 with its qualifiers, as printed on the certificate."""
    table = codes.table(lic.codes_version)
    st = table.subject_types[lic.permit_kind.subject_table].get(lic.subject_type)
    quals = [table.qualifier_name(q) for q in lic.subject_qualifiers]
    return (st.name if st else lic.subject_type) + (f"（{'、'.join(quals)}）" if quals else "")


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


def missing_message(missing: dict[str, list[str]]) -> str:
    flat = [m for msgs in missing.values() for m in msgs]
    return _("申请还不完整，请补充：") + "；".join(flat)


# --- the officer's actions on a case (read from the state machine) ----------------------

#: Page action → the transitions of ``Application`` that carry it. 准予许可 from 已受理 first
#: goes to 审查 (the approval service does both); the inspection panel (per-item checks,
#: on-site visits, end of inspection) is offered with ``finish_inspection``.
OFFICER_ACTIONS: dict[str, tuple[str, ...]] = {
    "accept": ("accept",),
    "approve": ("approve", "begin_review"),
    "reject": ("reject",),
    "correction": ("request_correction",),
    "inspect": ("finish_inspection",),
}
#: The page's wording where it differs from the transition's label.
OFFICER_LABELS = {
    "approve": gettext_lazy("准予许可并签发证书"),
    "reject": gettext_lazy("不予许可（须写明理由）"),
    "inspect": gettext_lazy("核查"),
}
#: Every page action, named for a refusal ("you cannot … now").
OFFICER_ACTION_NAMES = {
    "accept": gettext_lazy("受理"),
    "approve": gettext_lazy("准予许可"),
    "reject": gettext_lazy("不予许可"),
    "correction": gettext_lazy("一次性告知补正"),
    "inspect": gettext_lazy("核查"),
    "extend": gettext_lazy("延长时限"),
}
#: The URL actions of the inspection panel, all carried by ``inspect``.
INSPECTION_STEPS = ("check", "finish", "visit", "visit_record")
#: Accepted and not yet decided: the decision limit may be extended (once).
EXTENDABLE_STATES = (AppState.ACCEPTED, AppState.INSPECTING, AppState.REVIEWING)


def may_extend(app: Application, user: Any) -> bool:
    """延长办理时限 is not a transition: approvers, once, while accepted and undecided."""
    return app.state in EXTENDABLE_STATES and not app.extended_days and is_approver(app, user)


def officer_actions(app: Application, user: Any) -> list[Action]:
    """What ``user`` may do on ``app`` now, in page order: the transitions the state
    machine allows them (source state and ``permission=``), plus the extension."""
    actions = available_actions(app, user, OFFICER_ACTIONS, labels=OFFICER_LABELS)
    if may_extend(app, user):
        actions.append(Action(name="extend", label=_("延长时限"), note_required=True))
    return actions


def officer_action_for(step: str) -> str:
    """The page action a posted URL action needs (an inspection step needs ``inspect``)."""
    return "inspect" if step in INSPECTION_STEPS else step
