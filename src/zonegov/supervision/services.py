"""Every write of the supervision module: one function per business action, keyword-only,
transactional, permission-checked, in the audit chain.

Legal basis (the rules our figures come from; see ``conf.py`` for what is unconfirmed):
《食品生产经营监督检查管理办法》（市场监管总局令第49号） for routine inspections,
《食品安全抽样检验管理办法》（市场监管总局令第15号） for sampling and 核查处置,
《食品生产经营风险分级管理办法（试行）》 for risk levels and inspection frequency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from zonegov.core import workdays
from zonegov.core.access import require_staff
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import Unit, User
from zonegov.core.services.attachments import attachment_add
from zonegov.core.services.audit import audit_append
from zonegov.core.services.notifications import notify
from zonegov.core.services.numbering import number_format
from zonegov.core.services.workflow import case_open, case_transfer, case_transition
from zonegov.core.validation import date_in_range, date_out_of_range_message
from zonegov.supervision import conf
from zonegov.supervision.instruments import inspection_instrument_issue
from zonegov.supervision.models import (
    FollowUp,
    Inspection,
    InspectionItem,
    InspectionState,
    ItemResult,
    OperatorEvent,
    OperatorStatus,
    Outcome,
    PlanEntry,
    RiskLevel,
    SampleResult,
    Sampling,
    SamplingItem,
    SupervisedOperator,
    SupervisionPlan,
)
from zonegov.supervision.roles import SUPERVISOR
from zonegov.supervision.rules import (
    ACTING_ROLES,
    PLAN_ROLES,
    SUPERVISION_ROLES,
    may_act_in_unit,
    may_view_in_unit,
)

TOPICS = (
    "licence.granted",
    "licence.changed",
    "licence.renewed",
    "licence.replaced",
    "licence.cancelled",
    "licence.revoked",
    "licence.expired",
)
# Events after which the operator may no longer operate under the licence: routine
# supervision stops (the timeline keeps the event). Open inspections and 核查处置 are left
# as they are, so what was started can be finished.
ENDING_EVENTS = {
    "cancelled": OperatorStatus.CANCELLED,
    "revoked": OperatorStatus.REVOKED,
    "expired": OperatorStatus.EXPIRED,
}
#: The largest version an integer column holds on every database (a message claiming more
#: is malformed).
MAX_VERSION = 2**31 - 1
INBOX_TITLE = "新取证经营者，请纳入日常监管"

# --------------------------------------------------------------------------- helpers


def _check_act(actor: Any, unit: Unit) -> None:
    require_staff(actor, *ACTING_ROLES)
    if not may_act_in_unit(actor, unit):
        raise PermissionRefused(_("只能办理本单位及下级单位监管的经营者。"))


def _check_view(actor: Any, unit: Unit) -> None:
    require_staff(actor, *SUPERVISION_ROLES)
    if not may_view_in_unit(actor, unit):
        raise PermissionRefused(_("只能查看本单位及下级单位监管的经营者。"))


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _as_date(value: Any) -> date | None:
    """A date from a message or stored list; None when absent, malformed or out of range."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed: date | None = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = parse_date(str(value))
        except ValueError:
            return None
    return parsed if parsed is not None and date_in_range(parsed) else None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        parsed = parse_datetime(str(value or ""))
        if parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
    except (ValueError, OverflowError):
        parsed = None
    return parsed


# --------------------------------------------------------------------------- 审 → 监


def _supervision_unit(code: str) -> Unit:
    unit = (
        Unit.objects.filter(code=code).first()
        or Unit.objects.filter(code=conf.supervision_unit_code()).first()
    )
    if unit is None:
        # A configuration error: raise so the outbox keeps the message and retries it
        # once the unit exists, instead of dropping a newly licensed operator.
        raise RuntimeError(f"supervision unit {code!r} does not exist")
    return unit


def _holder_account(value: Any) -> User | None:
    """The holder's account named by a licence message (an active account), or None."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _tell_operator(
    inspection: Inspection, *, title: str, body: str, key: str, url: str = ""
) -> None:
    """The operator's notice (portal inbox and the SMS channel, ``notify``) of an
    inspection's result or a 整改 order, when its account is known from the licence."""
    account = inspection.operator.account
    if account is None or not account.is_active:
        return
    notify(
        user=account,
        title=title,
        body=body,
        url=url,
        dedupe_key=f"supervision.{key}:{inspection.pk}",
    )


def _supervisors(unit: Unit) -> Iterable[User]:
    return (
        User.objects.filter(
            is_active=True, unit__path__startswith=unit.path, roles__code=SUPERVISOR
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def operator_apply_event(
    *, topic: str, payload: dict[str, Any], message_id: str = ""
) -> SupervisedOperator:
    """Apply one licence message (see docs/supervision.md for the contract): upsert the
    operator by licence number, append its timeline event, notify the unit's supervisors
    of a grant, stop supervising on cancellation, revocation and expiry (resume on a
    renewal decided after expiry). Applying the same event and version again changes
    nothing."""
    if topic not in TOPICS:
        raise ApplicationError(_("未知的许可消息主题：%(t)s") % {"t": topic})
    event = topic.split(".", 1)[1]
    number = _text(payload.get("licence_number"), 40)
    if not number:
        raise ApplicationError(_("许可消息缺少许可证编号。"))
    try:
        version = max(1, int(payload.get("version") or 1))
    except (TypeError, ValueError, OverflowError):
        version = 1
    if version > MAX_VERSION:
        raise ApplicationError(_("许可消息的版本号超出范围：%(v)s") % {"v": str(version)[:30]})
    occurred_at = _as_datetime(payload.get("occurred_at")) or timezone.now()
    if not date_in_range(occurred_at.date()):
        raise ApplicationError(
            _("许可消息的发生时间超出范围：%(t)s") % {"t": str(payload.get("occurred_at"))[:40]}
        )
    unit = _supervision_unit(_text(payload.get("supervision_unit_code"), 40))

    operator = SupervisedOperator.objects.select_for_update().filter(licence_number=number).first()
    created = operator is None
    previous_unit = None if created else operator.unit
    if created:
        operator = SupervisedOperator(licence_number=number, unit=unit)
    elif OperatorEvent.objects.filter(operator=operator, event=event, version=version).exists():
        return operator  # replayed message: already applied

    newest = created or version >= operator.version
    if newest:
        # Only the newest version's facts are kept; an older message arriving late
        # still lands on the timeline.
        items = payload.get("business_items") or []
        operator.kind = _text(payload.get("kind"), 50)
        operator.kind_name = _text(payload.get("kind_name"), 50)
        operator.version = version
        operator.certificate_number = _text(payload.get("certificate_number"), 60)
        operator.application_reference = _text(payload.get("application_reference"), 40)
        operator.holder_name = _text(payload.get("holder_name"), 200) or number
        operator.holder_code = _text(payload.get("holder_code"), 40)
        operator.enterprise_uscc = _text(payload.get("enterprise_uscc"), 18)
        operator.legal_representative = _text(payload.get("legal_representative"), 50)
        operator.premises_address = _text(payload.get("premises_address"), 300)
        operator.main_business_type = _text(payload.get("main_business_type"), 100)
        operator.business_items = (
            [str(i)[:100] for i in items if i] if isinstance(items, list) else []
        )
        operator.valid_from = _as_date(payload.get("valid_from"))
        operator.valid_until = _as_date(payload.get("valid_until"))
        operator.issuer_name = _text(payload.get("issuer_name"), 100)
        operator.unit = unit
        operator.last_event_at = occurred_at
        account = _holder_account(payload.get("holder_account_id"))
        if account is not None or "holder_account_id" in payload:
            operator.account = account
    if event == "granted" and operator.licensed_at is None:
        operator.licensed_at = occurred_at
    if created and operator.licensed_at is None:
        operator.licensed_at = occurred_at
    ended = _ends_supervision(operator, event, newest=newest)
    if ended:
        operator.status = ENDING_EVENTS[event]
        operator.cancelled_at = occurred_at
    # 行政许可法第五十条: a renewal filed in time but decided after the expiry date renews
    # the licence (a newer version than the expiry's), so supervision resumes.
    resumed = (
        event == "renewed" and not created and newest and operator.status == OperatorStatus.EXPIRED
    )
    if resumed:
        operator.status = OperatorStatus.ACTIVE
        operator.cancelled_at = None
    operator.save()
    OperatorEvent.objects.create(
        operator=operator,
        event=event,
        topic=topic,
        version=version,
        certificate_number=_text(payload.get("certificate_number"), 60),
        application_reference=_text(payload.get("application_reference"), 40),
        occurred_at=occurred_at,
        message_id=_text(message_id, 64),
        payload=payload,
    )
    if ended:
        PlanEntry.objects.filter(operator=operator, stopped=False).update(
            stopped=True, next_due=None
        )
    if resumed:
        _resume_plan(operator)
    if previous_unit is not None and operator.unit_id != previous_unit.pk:
        _hand_over(operator, previous_unit)
    if event == "granted":
        for user in _supervisors(operator.unit):
            notify(
                user=user,
                title=INBOX_TITLE,
                body=f"{operator.holder_name}（{operator.licence_number}）"
                f" {operator.premises_address}",
                url=operator.get_absolute_url(),
                dedupe_key=f"supervision.granted:{operator.licence_number}",
            )
    audit_append(
        actor=None,
        action=f"supervision.operator.{event}",
        obj=operator,
        changes={"version": version, "message_id": message_id, "status": operator.status},
    )
    return operator


def _ends_supervision(operator: SupervisedOperator, event: str, *, newest: bool) -> bool:
    """Whether ``event`` takes the operator out of routine supervision. Cancellation and
    revocation always do. Expiry does only for an operator still active and only when it
    concerns the newest version: an expiry message arriving after the renewal that
    superseded it changes nothing, and a cancelled or revoked operator stays so."""
    if event not in ENDING_EVENTS:
        return False
    if event == "expired":
        return newest and operator.status == OperatorStatus.ACTIVE
    return True


def _resume_plan(operator: SupervisedOperator) -> None:
    """A renewed licence after expiry: the operator's stopped entry in this year's plan of
    its unit is scheduled again from today (an operator without one is added by the next
    plan generation)."""
    entries = PlanEntry.objects.select_related("plan").filter(
        operator=operator, plan__unit=operator.unit, plan__year=timezone.localdate().year
    )
    for entry in entries.filter(stopped=True):
        entry.stopped = False
        _reschedule(entry, risk_level=operator.risk_level)


def _hand_over(operator: SupervisedOperator, previous_unit: Unit) -> None:
    """The licence now names another supervising unit (e.g. the premises moved): the
    operator's open inspections and 核查处置 go to that unit (移交), and the old unit's
    plan stops scheduling it (the new unit's next plan generation adds it)."""
    note = _("许可证载明的监管单位变更")
    for case in [
        *operator.inspections.exclude(state__in=Inspection.CLOSED_STATES),
        *operator.followups.exclude(state__in=FollowUp.CLOSED_STATES),
    ]:
        case_transfer(case=case, actor=None, unit=operator.unit, note=note)
    PlanEntry.objects.filter(operator=operator, plan__unit=previous_unit, stopped=False).update(
        stopped=True, next_due=None
    )
    for user in _supervisors(operator.unit):
        notify(
            user=user,
            title=_("经营者移交本单位监管"),
            body=f"{operator.holder_name}（{operator.licence_number}）"
            f" {operator.premises_address}，" + _("原监管单位：%(u)s") % {"u": previous_unit.name},
            url=operator.get_absolute_url(),
            dedupe_key=f"supervision.transfer:{operator.licence_number}:{operator.version}",
        )


@transaction.atomic
def operator_set_risk_level(
    *, actor: User, operator: SupervisedOperator, risk_level: str, reason: str = ""
) -> SupervisedOperator:
    """Grade the operator's risk (A–D); the plan schedules inspections by this level."""
    _check_act(actor, operator.unit)
    if risk_level not in RiskLevel.values:
        raise ApplicationError(
            _("风险等级应为 A、B、C、D 之一。"),
            field_errors={"risk_level": [_("请选择 A、B、C、D 之一。")]},
        )
    before = operator.risk_level
    operator.risk_level = risk_level
    operator.risk_level_graded = True
    operator.save(update_fields=["risk_level", "risk_level_graded", "updated_at"])
    year = timezone.localdate().year
    for entry in PlanEntry.objects.filter(operator=operator, plan__year=year, stopped=False):
        _reschedule(entry, risk_level=risk_level)
    audit_append(
        actor=actor,
        action="supervision.operator.risk_level",
        obj=operator,
        changes={"risk_level": {"before": before, "after": risk_level}, "reason": reason},
    )
    return operator


# --------------------------------------------------------------------------- plan


def _spread(year: int, count: int, start: date) -> list[date]:
    """``count`` dates spread evenly from ``start`` to the end of ``year``."""
    end = date(year, 12, 31)
    start = max(start, date(year, 1, 1))
    if count <= 0 or start > end:
        return []
    span = (end - start).days
    return [start + timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def _reschedule(entry: PlanEntry, *, risk_level: str) -> None:
    count = conf.planned_inspections(risk_level)
    dates = [_as_date(d) for d in entry.planned_dates]
    kept = [d for d in dates[: entry.done_count] if d]
    if count > len(kept):
        start = max(timezone.localdate(), date(entry.plan.year, 1, 1))
        kept += _spread(entry.plan.year, count - len(kept), start)
    entry.risk_level = risk_level
    entry.planned_count = max(count, entry.done_count)
    entry.planned_dates = [d.isoformat() for d in kept]
    entry.next_due = _next_due(entry)
    entry.save()


def _next_due(entry: PlanEntry) -> date | None:
    """The date the next planned inspection is due; an inspection the plan still owes
    without a date of its own (scheduled after its year had ended) is due on the year's
    last day, so it shows as overdue."""
    if entry.stopped or entry.done_count >= entry.planned_count:
        return None
    dates = entry.planned_dates
    if entry.done_count < len(dates):
        return _as_date(dates[entry.done_count])
    return date(entry.plan.year, 12, 31)


@transaction.atomic
def plan_generate(
    *, actor: User, unit: Unit, year: int, today: date | None = None
) -> SupervisionPlan:
    """Schedule every active operator the unit supervises for ``year`` by risk level
    (``conf.RISK_FREQUENCY``). Idempotent: operators already in the plan keep their
    schedule; operators licensed since are added with dates from ``today`` on."""
    require_staff(actor, *PLAN_ROLES)
    if not may_view_in_unit(actor, unit):
        raise PermissionRefused(_("只能为本单位及下级单位编制计划。"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError(_("年度应在 2000 到 2100 之间。"), field_errors={"year": []})
    today = today or timezone.localdate()
    plan, created = SupervisionPlan.objects.get_or_create(
        year=year, unit=unit, defaults={"created_by": actor}
    )
    # Serialise concurrent generations of the same plan (PostgreSQL row lock; SQLite
    # holds its write lock), so two clicks never add the same operator twice.
    plan = SupervisionPlan.objects.select_for_update().get(pk=plan.pk)
    existing = set(plan.entries.values_list("operator_id", flat=True))
    operators = SupervisedOperator.objects.filter(unit=unit, status=OperatorStatus.ACTIVE).exclude(
        pk__in=existing
    )
    added = 0
    for operator in operators:
        count = conf.planned_inspections(operator.risk_level)
        dates = _spread(year, count, today)
        done = operator.inspections.filter(inspected_on__year=year, state__in=_DONE_STATES).count()
        entry = PlanEntry(
            plan=plan,
            operator=operator,
            risk_level=operator.risk_level,
            planned_count=count,
            done_count=min(done, count),
            planned_dates=[d.isoformat() for d in dates],
        )
        entry.next_due = _next_due(entry)
        entry.save()
        added += 1
    plan.save(update_fields=["updated_at"])
    audit_append(
        actor=actor,
        action="supervision.plan.generate",
        obj=plan,
        changes={"year": year, "added": added, "created": created},
    )
    return plan


_DONE_STATES = (
    InspectionState.RECORDED,
    InspectionState.RECTIFYING,
    InspectionState.VERIFIED,
    InspectionState.CLOSED,
)


def _count_done(inspection: Inspection) -> None:
    """An inspection recorded counts toward the operator's plan of that year."""
    entry = (
        PlanEntry.objects.select_for_update()
        .filter(operator=inspection.operator, plan__year=inspection.inspected_on.year)
        .first()
    )
    if entry is None:
        return
    entry.done_count += 1
    entry.next_due = _next_due(entry)
    entry.save(update_fields=["done_count", "next_due"])


# --------------------------------------------------------------------------- 监


def _licensed_on(operator: SupervisedOperator) -> date | None:
    """The day the operator was licensed: nothing inspected or sampled under this licence
    can be dated before it."""
    return timezone.localdate(operator.licensed_at) if operator.licensed_at else None


def _check_inspectors(operator: SupervisedOperator, inspectors: Sequence[User]) -> list[User]:
    unique = list({u.pk: u for u in inspectors if u is not None}.values())
    if len(unique) < conf.MIN_INSPECTORS:
        raise ApplicationError(
            _("执法人员不得少于 %(n)d 人。") % {"n": conf.MIN_INSPECTORS},
            field_errors={"inspectors": [_("请选择至少两名执法人员。")]},
        )
    for user in unique:
        if not may_act_in_unit(user, operator.unit):
            raise ApplicationError(
                _("%(name)s 不是该经营者监管单位的执法人员。") % {"name": user.display_name},
                field_errors={"inspectors": [_("只能选择本单位的监管或核查人员。")]},
            )
    return unique


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    operator: SupervisedOperator,
    planned_date: date,
    inspectors: Sequence[User] = (),
    note: str = "",
) -> Inspection:
    """Open a routine inspection of ``operator`` with the standard checklist."""
    _check_act(actor, operator.unit)
    if not operator.is_active:
        raise ApplicationError(
            _("该经营者的许可%(status)s，不再安排日常监督检查。")
            % {"status": operator.get_status_display()}
        )
    if planned_date is None:
        raise ApplicationError(
            _("请填写计划检查日期。"), field_errors={"planned_date": [_("此项为必填。")]}
        )
    if not date_in_range(planned_date):
        raise ApplicationError(
            date_out_of_range_message(),
            field_errors={"planned_date": [date_out_of_range_message()]},
        )
    inspection = Inspection(
        reference=number_format(prefix="JC"),
        unit=operator.unit,
        assignee=actor,
        operator=operator,
        planned_date=planned_date,
        created_by=actor,
    )
    case_open(case=inspection, actor=actor, note=note)
    if inspectors:
        inspection.inspectors.set(_check_inspectors(operator, inspectors))
    InspectionItem.objects.bulk_create(
        [InspectionItem(inspection=inspection, code=c, text=str(t)) for c, t in conf.CHECKLIST]
    )
    return inspection


@dataclass(frozen=True)
class ItemInput:
    code: str
    result: str
    note: str = ""


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    inspection: Inspection,
    inspectors: Sequence[User],
    items: Sequence[ItemInput],
    outcome: str,
    inspected_on: date | None = None,
    rectification_deadline: date | None = None,
    summary: str = "",
    photos: Sequence[File] = (),
) -> Inspection:
    """Record the checklist results, inspectors (≥2), photos and outcome of an inspection.

    符合 closes the case. 不符合 requires a rectification deadline; 基本符合 takes one when
    the inspectors set it. With a deadline the case moves to 整改中 and its due time is
    the deadline, until ``inspection_verify``."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _check_act(actor, inspection.unit)
    if inspection.state not in (InspectionState.PLANNED, InspectionState.IN_PROGRESS):
        raise ApplicationError(_("该检查已记录结果，不能重复记录。"))
    today = timezone.localdate()
    inspected_on = inspected_on or today
    errors: dict[str, list[str]] = {}
    licensed_on = _licensed_on(inspection.operator)
    if inspected_on > today:
        errors["inspected_on"] = [_("检查日期不能晚于今天。")]
    elif licensed_on and inspected_on < licensed_on:
        errors["inspected_on"] = [
            _("检查日期不能早于经营者取得许可的日期（%(d)s）。") % {"d": licensed_on.isoformat()}
        ]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("请选择检查结果：符合、基本符合或不符合。")]
    by_code = {i.code: i for i in inspection.items.all()}
    given = {i.code: i for i in items}
    for code in given:
        if code not in by_code:
            errors.setdefault("items", []).append(_("没有编号为 %(c)s 的检查项目。") % {"c": code})
    for code in by_code:
        row = given.get(code)
        if row is None or row.result not in ItemResult.values:
            errors[f"item_{code}"] = [_("请选择第 %(c)s 项的检查结果。") % {"c": code}]
    failed = [c for c, row in given.items() if row.result == ItemResult.NONCOMPLIANT]
    if outcome == Outcome.COMPLIANT and failed:
        errors["outcome"] = [_("有不符合的检查项目，检查结果不能为“符合”。")]
    if failed:
        for code in failed:
            if not given[code].note.strip():
                errors[f"item_{code}"] = [_("不符合的项目请写明问题。")]
    if outcome == Outcome.NONCOMPLIANT and rectification_deadline is None:
        errors["rectification_deadline"] = [_("检查结果为不符合时，必须责令限期整改。")]
    if outcome == Outcome.COMPLIANT and rectification_deadline is not None:
        errors["rectification_deadline"] = [_("检查结果为符合时无需整改期限。")]
    if rectification_deadline is not None:
        latest = today + timedelta(days=conf.MAX_RECTIFICATION_DAYS)
        if not today < rectification_deadline <= latest:
            errors["rectification_deadline"] = [
                _("整改期限应在明天到 %(d)s 之间。") % {"d": latest.isoformat()}
            ]
    unique: list[User] = []
    try:
        unique = _check_inspectors(inspection.operator, inspectors)
    except ApplicationError as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ApplicationError(_("检查记录有误，请按提示修改。"), field_errors=errors)
    for code, row in given.items():
        item = by_code[code]
        item.result = row.result
        item.note = row.note.strip()[:300]
        item.save(update_fields=["result", "note"])
    inspection.inspectors.set(unique)
    for photo in photos:
        attachment_add(
            actor=actor,
            owner=inspection,
            uploaded_file=photo,
            label=_("检查照片"),
            expected_kinds=["photo"],
        )
    inspection.inspected_on = inspected_on
    inspection.outcome = outcome
    inspection.rectification_deadline = rectification_deadline
    inspection.summary = summary.strip()
    try:
        inspection.full_clean(exclude=["state"])
    except ValidationError as exc:
        raise ApplicationError(_("检查记录有误。")) from exc
    inspection.save()
    if inspection.state == InspectionState.PLANNED:
        inspection = case_transition(case=inspection, transition="start", actor=actor)
    outcome_label = Outcome(outcome).label
    inspection = case_transition(
        case=inspection, transition="record", actor=actor, note=f"{outcome_label}。{summary}"
    )
    if rectification_deadline is not None:
        inspection = case_transition(
            case=inspection,
            transition="order_rectification",
            actor=actor,
            note=_("整改期限：%(d)s") % {"d": rectification_deadline.isoformat()},
            due_at=workdays.end_of_day(rectification_deadline),
        )
    else:
        inspection = case_transition(case=inspection, transition="close", actor=actor)
    _count_done(inspection)
    document = inspection_instrument_issue(
        actor=actor, inspection=inspection, problems=[given[c].note.strip() for c in failed]
    )
    # The operator has no supervision pages: the notice links the signed result notice or
    # 整改 order itself (the permission-checked PDF; its reader admits the operator's account).
    document_url = reverse("api:document_pdf", args=[document.number])
    operator = inspection.operator
    body = _("%(name)s（%(number)s）%(day)s 日常监督检查结果：%(outcome)s。") % {
        "name": operator.holder_name,
        "number": operator.licence_number,
        "day": inspected_on.isoformat(),
        "outcome": outcome_label,
    }
    problems = [
        f"{code}. {given[code].note.strip()}" for code in failed if given[code].note.strip()
    ]
    if problems:
        body += _("发现问题：%(p)s。") % {"p": "；".join(problems)}
    if rectification_deadline is not None:
        body += _(
            "请于 %(d)s 前完成整改，整改后监管部门将复查；逾期不整改的，依法处理。"
            "如有异议，可联系%(unit)s。"
        ) % {"d": rectification_deadline.isoformat(), "unit": inspection.unit.name}
        _tell_operator(
            inspection,
            title=_("责令限期整改通知：%(ref)s") % {"ref": inspection.reference},
            body=body,
            key="rectification",
            url=document_url,
        )
    else:
        _tell_operator(
            inspection,
            title=_("监督检查结果：%(outcome)s（%(ref)s）")
            % {"outcome": outcome_label, "ref": inspection.reference},
            body=body,
            key="result",
            url=document_url,
        )
    return inspection


@transaction.atomic
def inspection_verify(
    *, actor: User, inspection: Inspection, note: str, photos: Sequence[File] = ()
) -> Inspection:
    """复查: the operator has rectified; closes the inspection case."""
    _check_act(actor, inspection.unit)
    inspection = case_transition(
        case=inspection, transition="verify", actor=actor, note=note, files=photos
    )
    _tell_operator(
        inspection,
        title=_("整改复查通过：%(ref)s") % {"ref": inspection.reference},
        body=_("%(name)s（%(number)s）的整改已经复查，检查事项办结。%(note)s")
        % {
            "name": inspection.operator.holder_name,
            "number": inspection.operator.licence_number,
            "note": note.strip(),
        },
        key="verified",
    )
    return inspection


# --------------------------------------------------------------------------- 抽


@dataclass(frozen=True)
class SampleItemInput:
    item_tested: str
    result: str
    standard: str = ""
    measured: str = ""


@transaction.atomic
def sampling_record(
    *,
    actor: User,
    operator: SupervisedOperator,
    sample_name: str,
    batch_number: str,
    sampled_on: date | None,
    laboratory: str,
    items: Sequence[SampleItemInput],
    report_number: str = "",
    report_file: File | None = None,
) -> Sampling:
    """Record a sampling inspection and its test results. Any 不合格 item makes the
    sample 不合格 and opens a 核查处置 follow-up case (总局令第15号)."""
    _check_act(actor, operator.unit)
    errors: dict[str, list[str]] = {}
    for name, value, label in (
        ("sample_name", sample_name, _("样品名称")),
        ("batch_number", batch_number, _("批号/生产日期")),
        ("laboratory", laboratory, _("检验机构")),
    ):
        if not (value or "").strip():
            errors[name] = [_("请填写%(f)s。") % {"f": label}]
    if sampled_on is None:
        errors["sampled_on"] = [_("请填写抽样日期。")]
    elif sampled_on > timezone.localdate():
        errors["sampled_on"] = [_("抽样日期不能晚于今天。")]
    elif (licensed_on := _licensed_on(operator)) and sampled_on < licensed_on:
        errors["sampled_on"] = [
            _("抽样日期不能早于经营者取得许可的日期（%(d)s）。") % {"d": licensed_on.isoformat()}
        ]
    rows = [i for i in items if (i.item_tested or "").strip()]
    if not rows:
        errors["items"] = [_("请至少填写一个检验项目及其结论。")]
    for n, row in enumerate(rows, start=1):
        if row.result not in SampleResult.values:
            errors.setdefault("items", []).append(
                _("第 %(n)d 个检验项目请选择合格或不合格。") % {"n": n}
            )
    if errors:
        raise ApplicationError(_("抽检记录有误，请按提示修改。"), field_errors=errors)
    failed = [r for r in rows if r.result == SampleResult.FAIL]
    sampling = Sampling(
        reference=number_format(prefix="CJ"),
        operator=operator,
        unit=operator.unit,
        sample_name=sample_name.strip()[:100],
        batch_number=batch_number.strip()[:60],
        sampled_on=sampled_on,
        laboratory=laboratory.strip()[:100],
        report_number=(report_number or "").strip()[:60],
        result=SampleResult.FAIL if failed else SampleResult.PASS,
        created_by=actor,
    )
    sampling.full_clean()
    sampling.save()
    SamplingItem.objects.bulk_create(
        [
            SamplingItem(
                sampling=sampling,
                item_tested=r.item_tested.strip()[:100],
                standard=(r.standard or "").strip()[:200],
                measured=(r.measured or "").strip()[:100],
                result=r.result,
            )
            for r in rows
        ]
    )
    if report_file is not None:
        attachment_add(
            actor=actor,
            owner=sampling,
            uploaded_file=report_file,
            label=_("检验报告"),
            expected_kinds=["pdf", "photo"],
        )
    audit_append(
        actor=actor,
        action="supervision.sampling.record",
        obj=sampling,
        changes={"result": sampling.result, "items": len(rows), "failed": len(failed)},
    )
    if failed:
        reason = "；".join(
            f"{r.item_tested}：{r.measured or '不合格'}（{r.standard or '—'}）" for r in failed
        )
        followup = FollowUp(
            reference=number_format(prefix="HC"),
            unit=operator.unit,
            assignee=actor,
            operator=operator,
            sampling=sampling,
            reason=f"{sampling.sample_name}（{sampling.batch_number}）抽检不合格：{reason}",
        )
        case_open(case=followup, actor=actor, note=followup.reason)
    return sampling


@transaction.atomic
def followup_act(*, actor: User, followup: FollowUp, action: str, note: str = "") -> FollowUp:
    """Move a 核查处置 case on (开始核查, 处置完毕)."""
    _check_act(actor, followup.unit)
    if action not in ("investigate", "conclude"):
        raise ApplicationError(_("没有这个办理操作。"))
    return case_transition(case=followup, transition=action, actor=actor, note=note)
