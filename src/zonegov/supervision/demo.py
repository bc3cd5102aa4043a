"""Demo data of routine supervision and sampling (监, 抽) on the operators the licensing
demo licensed. Idempotent: once demo inspections or samplings exist, a second run only
delivers pending licence messages and tops up this year's plan.

Run after ``seed_licensing`` (``seed_demo`` runs the module seeds in INSTALLED_APPS
order: licensing before supervision) via ``manage.py seed_supervision``. Needs the
market-supervision branch (``conf.supervision_unit_code()``, ``scjg``) with the demo
supervisor ``jianguan`` and inspectors ``hecha`` / ``hecha2``.

Everything is recorded through the real services (``operator_apply_event`` through the
outbox drain, ``operator_set_risk_level``, ``plan_generate``, ``inspection_create`` /
``inspection_record`` / ``inspection_verify``, ``sampling_record``, ``followup_act``).
The year is replayed in date order: before each inspection or sampling the outbox is
drained *as of that day* (``outbox_drain(now=...)``; the licensing demo dates its
messages when each licence was granted), so operators arrive in supervision, are graded
and join the annual plan in the order they were licensed, and the plan's dates start
when each joined.

**Timestamps are backdated for the demo**: the services stamp cases, timeline entries
and work items with the real time and accept no past rectification deadline, so after
each step the database rows are moved to the replayed day (case opened a few working
days before the inspection, result recorded on the inspection day, rectification
verified before its deadline; samples entered when the laboratory report came, about
two weeks after sampling; 核查处置 opened then and, for the earlier one, concluded some
days later). The audit chain keeps the real times.

The year then shows: about 15 inspections (符合, 基本符合, 不符合 — one rectification
verified, one still open), 8 samplings (one failure whose 核查处置 is concluded, one
still open), operators overdue in the plan, and the supervisors' inbox of newly
licensed operators (those licensed in the last fortnight still unread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zonegov.core import workdays
from zonegov.core.models import (
    CaseType,
    Notification,
    OutboxMessage,
    OutboxStatus,
    TimelineEntry,
    Unit,
    User,
    WorkItem,
)
from zonegov.core.services.outbox import outbox_drain
from zonegov.supervision import conf, services
from zonegov.supervision.models import (
    FollowUp,
    Inspection,
    ItemResult,
    OperatorEvent,
    OperatorStatus,
    Outcome,
    PlanEntry,
    RiskLevel,
    SampleResult,
    Sampling,
    SupervisedOperator,
    SupervisionPlan,
)

# Risk level by licence kind (UNCONFIRMED demo grading, not a rule: 仅销售预包装食品 low,
# 餐饮服务 and 散装熟食 higher; 小摊点 left ungraded so the default shows).
RISK_BY_KIND = {"filing": RiskLevel.A, "licence": RiskLevel.B, "small_shop": RiskLevel.B}
#: ... and 散装熟食 one level up.
RISK_C_ITEMS = ("熟食",)
#: Besides the scripted inspections the plan's other due inspections are done on time,
#: except those due in the last SWEEP_LAG days (they show as overdue), at most SWEEP_CAP
#: a round.
SWEEP_LAG = 12
SWEEP_CAP = 8
# The inspections of the year, in date order: (outcome, checklist item found wanting,
# what was found, what happens next). "verify" = rectification ordered and verified;
# "open" = rectification ordered, deadline still ahead.
INSPECTIONS: list[tuple[str, str, str, str]] = [
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.BASICALLY, "8", "食品安全自查记录缺少最近两周内容", ""),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.NONCOMPLIANT, "5", "冷藏柜内生熟食品混放，部分食品超过保质期", "verify"),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.BASICALLY, "3", "一名从业人员健康证明已过期", "verify"),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.BASICALLY, "7", "餐具消毒记录不连续", ""),
    (Outcome.COMPLIANT, "", "", ""),
    (Outcome.NONCOMPLIANT, "6", "加工操作间生熟砧板混用，防蝇设施破损", "open"),
    (Outcome.COMPLIANT, "", "", ""),
]
SUMMARIES = {
    Outcome.COMPLIANT: "现场检查未发现问题，经营资质、场所和记录符合要求。",
    Outcome.BASICALLY: "发现个别问题，已当场指出并要求改正，经营者表示立即整改。",
    Outcome.NONCOMPLIANT: "发现问题较多，已下达责令改正通知书，限期整改。",
}
LAB = "平顶山市食品检验检测中心"
# (what the operator's name contains, sample, standard, items: (item, limit, measured,
# result)); the failures open 核查处置: "closed" ends it, "open" leaves it running.
SAMPLES: list[tuple[tuple[str, ...], str, str, list[tuple[str, str, str, str]], str]] = [
    (
        ("熟食",),
        "卤牛肉",
        "GB 2726-2016",
        [
            ("菌落总数", "≤1×10⁵ CFU/g", "2.3×10³ CFU/g", SampleResult.PASS),
            ("亚硝酸盐（以NaNO₂计）", "≤30 mg/kg", "8.6 mg/kg", SampleResult.PASS),
            ("山梨酸及其钾盐", "不得使用", "未检出", SampleResult.PASS),
        ],
        "",
    ),
    (
        ("便利店", "食杂店"),
        "饮用纯净水",
        "GB 19298-2014",
        [
            ("电导率", "≤10 μS/cm", "3.1 μS/cm", SampleResult.PASS),
            ("大肠菌群", "不得检出/250 mL", "未检出", SampleResult.PASS),
        ],
        "",
    ),
    (
        ("早餐摊", "kind:small_stall"),
        "油条",
        "GB 2760-2014",
        [
            ("铝的残留量（干样品，以Al计）", "≤100 mg/kg", "236 mg/kg", SampleResult.FAIL),
            ("酸价（以脂肪计）", "≤3 mg/g", "1.2 mg/g", SampleResult.PASS),
        ],
        "closed",
    ),
    (
        ("烩面馆", "家常菜馆"),
        "复用餐饮具（碗）",
        "GB 14934-2016",
        [
            ("大肠菌群", "不得检出/50 cm²", "未检出", SampleResult.PASS),
            ("阴离子合成洗涤剂", "不得检出", "未检出", SampleResult.PASS),
        ],
        "",
    ),
    (
        ("奶茶店",),
        "珍珠奶茶（现制）",
        "GB 7101-2022",
        [
            ("菌落总数", "≤1×10⁴ CFU/mL", "1.6×10³ CFU/mL", SampleResult.PASS),
            ("大肠菌群", "≤100 CFU/mL", "<10 CFU/mL", SampleResult.PASS),
            ("甜蜜素", "不得使用", "未检出", SampleResult.PASS),
        ],
        "",
    ),
    (
        ("小吃店",),
        "凉拌黄瓜",
        "GB 31607-2021",
        [
            ("沙门氏菌", "不得检出/25 g", "未检出", SampleResult.PASS),
            ("金黄色葡萄球菌", "≤1000 CFU/g", "<10 CFU/g", SampleResult.PASS),
        ],
        "",
    ),
    (
        ("家常菜馆", "烩面馆"),
        "复用餐饮具（盘）",
        "GB 14934-2016",
        [
            ("大肠菌群", "不得检出/50 cm²", "检出", SampleResult.FAIL),
            ("阴离子合成洗涤剂", "不得检出", "未检出", SampleResult.PASS),
        ],
        "open",
    ),
    (
        ("便利店", "食杂店"),
        "苏打饼干",
        "GB 7100-2015",
        [
            ("酸价（以脂肪计）", "≤5 mg/g", "0.8 mg/g", SampleResult.PASS),
            ("过氧化值（以脂肪计）", "≤0.25 g/100g", "0.04 g/100g", SampleResult.PASS),
            ("菌落总数", "≤1×10⁴ CFU/g", "<10 CFU/g", SampleResult.PASS),
        ],
        "",
    ),
]
#: Days from sampling to the laboratory report being entered (and 核查处置 opening).
REPORT_DAYS = 12


@dataclass
class Summary:
    operators: int
    plan_entries: int
    overdue: int
    inspections: int
    samplings: int
    followups: int


class Staff:
    def __init__(self) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=_STAFF)}
        missing = [name for name in _STAFF if name not in users]
        if missing:
            raise CommandError("请先运行 seed_demo（需要监管员 jianguan 和核查员 hecha、hecha2）。")
        self.supervisor = users["jianguan"]
        self.inspector = users["hecha"]
        self.inspector2 = users["hecha2"]

    def pair(self, n: int) -> list[User]:
        """Law-enforcement pairs (two officers at least, 总局令第49号), taking turns."""
        return [
            [self.supervisor, self.inspector],
            [self.inspector, self.inspector2],
            [self.supervisor, self.inspector2],
        ][n % 3]


_STAFF = ("jianguan", "hecha", "hecha2")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=workdays.SHANGHAI) + timedelta(
        hours=hour, minutes=minute
    )


def _spread(days: list[date], count: int) -> list[date]:
    if not days or count <= 0:
        return []
    return [days[round(k * (len(days) - 1) / max(count - 1, 1))] for k in range(count)]


# --------------------------------------------------------------------------- arrivals


def _deliver(until: datetime) -> None:
    """Drain the outbox as of ``until`` when a licence message due by then has not reached
    supervision yet (messages already applied are skipped by the outbox itself)."""
    waiting = OutboxMessage.objects.filter(
        topic__in=services.TOPICS, status=OutboxStatus.PENDING, available_at__lte=until
    ).exclude(consumptions__consumer__startswith="zonegov.supervision:")
    if not waiting.exists():
        return
    while outbox_drain(limit=200, now=until).claimed:
        pass


def _grade_new(staff: Staff) -> None:
    for operator in SupervisedOperator.objects.filter(
        status=OperatorStatus.ACTIVE, risk_level_graded=False
    ):
        level = RISK_BY_KIND.get(operator.kind)
        if level == RiskLevel.B and any(
            word in item for item in operator.business_items for word in RISK_C_ITEMS
        ):
            level = RiskLevel.C
        if level is not None:
            services.operator_set_risk_level(
                actor=staff.supervisor,
                operator=operator,
                risk_level=level,
                reason="按许可类别和经营规模初评",
            )


def _arrive(staff: Staff, unit: Unit, day: date) -> SupervisionPlan:
    """Everything licensed before ``day`` arrives, is graded and joins this year's plan
    (new entries scheduled from ``day``)."""
    _deliver(_at(day, 0))
    _grade_new(staff)
    return services.plan_generate(actor=staff.supervisor, unit=unit, year=day.year, today=day)


def _first_grants() -> list[date]:
    """Days on which licences were granted (the licence messages' ``occurred_at``)."""
    days = []
    for payload in OutboxMessage.objects.filter(topic="licence.granted").values_list(
        "payload", flat=True
    ):
        when = parse_datetime(str(payload.get("occurred_at") or "")) if payload else None
        if when is not None:
            days.append(workdays.local_date(when))
    return sorted(days)


# --------------------------------------------------------------------------- backdating


def _retime(case: Any, moments: dict[str, datetime], *, due: datetime | None = None) -> None:
    """Move a case's timeline entries to ``moments`` (by action), its opening, closing
    and due time with them, and its work item."""
    case_type = ContentType.objects.get_for_model(type(case))
    entries = TimelineEntry.objects.filter(content_type=case_type, object_id=str(case.pk))
    last = None
    for entry in entries.order_by("at", "id"):
        at = moments.get(entry.action)
        if at is None:
            at = (last or moments["open"]) + timedelta(seconds=1)
        TimelineEntry.objects.filter(pk=entry.pk).update(at=at)
        last = at
    case = type(case).objects.get(pk=case.pk)
    opened = moments["open"]
    if due is None:
        ct = CaseType.objects.get(code=case.CASE_TYPE)
        due = workdays.due_at(
            opened, ct.time_limit, case.limit_unit or ct.limit_unit, roll=case.limit_rolls
        )
    closed = last if not case.is_open else None
    type(case).objects.filter(pk=case.pk).update(opened_at=opened, due_at=due, closed_at=closed)
    WorkItem.objects.filter(content_type=case_type, object_id=str(case.pk)).update(
        opened_at=opened, due_at=due, closed_at=closed
    )


# --------------------------------------------------------------------------- 监


def _items(wanting: str, found: str, operator: SupervisedOperator) -> list[services.ItemInput]:
    rows = []
    for code, _text in conf.CHECKLIST:
        if code == wanting:
            rows.append(services.ItemInput(code, ItemResult.NONCOMPLIANT, found))
        elif code == "6" and operator.kind == "filing":  # no processing: 仅销售预包装食品
            rows.append(services.ItemInput(code, ItemResult.NOT_APPLICABLE))
        else:
            rows.append(services.ItemInput(code, ItemResult.COMPLIANT))
    return rows


def _plan_due(plan: SupervisionPlan, day: date, *, lag: int = 0) -> Any:
    """Plan entries whose next planned date is ``lag`` days or more before ``day``, of
    operators licensed ten days before ``day`` at least, earliest planned date first."""
    return (
        PlanEntry.objects.filter(
            plan=plan,
            stopped=False,
            operator__status=OperatorStatus.ACTIVE,
            operator__licensed_at__lt=_at(day - timedelta(days=10), 0),
            next_due__isnull=False,
            next_due__lte=day - timedelta(days=lag),
        )
        .select_related("operator")
        .order_by("next_due", "operator__licensed_at", "pk")
    )


def _featured_target(plan: SupervisionPlan, day: date) -> SupervisedOperator | None:
    """The operator the plan most needs inspected on ``day`` (not inspected in the last
    60 days)."""
    recent = Inspection.objects.filter(inspected_on__gte=day - timedelta(days=60)).values(
        "operator"
    )
    horizon = _plan_due(plan, day + timedelta(days=60)).exclude(operator__in=recent)
    entry = horizon.filter(next_due__lte=day).first() or horizon.first()
    return entry.operator if entry else None


def _inspect(
    staff: Staff,
    n: int,
    operator: SupervisedOperator,
    day: date,
    today: date,
    script: tuple[str, str, str, str] = (Outcome.COMPLIANT, "", "", ""),
) -> Inspection:
    """One inspection of ``operator`` on ``day`` through the services, then backdated:
    scheduled three working days before, result recorded that morning."""
    outcome, wanting, found, after = script
    pair = staff.pair(n)
    opened = _at(workdays.subtract_working_days(day, 3), 9, 10 + n % 40)
    inspection = services.inspection_create(
        actor=pair[0], operator=operator, planned_date=day, note="按年度监督检查计划安排"
    )
    # The service only accepts a deadline after today: a verified rectification gets its
    # real (past) deadline below.
    deadline = None
    if after:
        deadline = max(day + timedelta(days=20), today + timedelta(days=5))
    inspection = services.inspection_record(
        actor=pair[0],
        inspection=inspection,
        inspectors=pair,
        items=_items(wanting, found, operator),
        outcome=outcome,
        inspected_on=day,
        rectification_deadline=deadline,
        summary=SUMMARIES[outcome] + (f"主要问题：{found}。" if found else ""),
    )
    start = _at(day, 9, 30 + (n * 13) % 150)
    moments = {
        "open": opened,
        "start": start,
        "record": start + timedelta(minutes=85),
        "close": start + timedelta(minutes=86),
        "order_rectification": start + timedelta(minutes=86),
    }
    due = None
    if after == "verify":
        real_deadline = day + timedelta(days=15)
        services.inspection_verify(
            actor=pair[1], inspection=inspection, note="经复查，已按要求整改到位。"
        )
        Inspection.objects.filter(pk=inspection.pk).update(rectification_deadline=real_deadline)
        moments["verify"] = _at(workdays.subtract_working_days(real_deadline, 2), 10, 20)
        due = workdays.end_of_day(real_deadline)
    elif after == "open" and deadline is not None:
        due = workdays.end_of_day(deadline)
    _retime(inspection, moments, due=due)
    return inspection


def _sweep(staff: Staff, plan: SupervisionPlan, day: date, since: date, today: date) -> int:
    """The rest of the plan's work since the last round: operators whose planned date
    passed at least ``SWEEP_LAG`` days ago are inspected, all found 符合."""
    done = 0
    for k, entry in enumerate(_plan_due(plan, day, lag=SWEEP_LAG)[:SWEEP_CAP]):
        assert entry.next_due is not None
        # on the planned day; a backlog is worked off a day or two apart
        earliest = max(entry.next_due, since + timedelta(days=1 + 2 * k))
        inspected = min(workdays.roll_to_working_day(earliest), day)
        n = Inspection.objects.count()
        _inspect(staff, n, entry.operator, inspected, today)
        done += 1
    return done


# --------------------------------------------------------------------------- 抽


def _sample_target(day: date, where: tuple[str, ...]) -> SupervisedOperator | None:
    """The most recently licensed operator (ten days before ``day`` at least, not yet
    sampled) whose name contains one of ``where`` ("kind:<code>": of that licence kind)."""
    licensed = (
        SupervisedOperator.objects.filter(
            status=OperatorStatus.ACTIVE, licensed_at__lt=_at(day - timedelta(days=10), 0)
        )
        .exclude(pk__in=Sampling.objects.values("operator"))
        .order_by("-licensed_at", "-pk")
    )
    for word in where:
        if word.startswith("kind:"):
            operator = licensed.filter(kind=word.removeprefix("kind:")).first()
        else:
            operator = licensed.filter(holder_name__contains=word).first()
        if operator is not None:
            return operator
    return None


def _sample(staff: Staff, n: int, day: date) -> bool:
    where, sample, standard, items, after = SAMPLES[n]
    operator = _sample_target(day, where)
    if operator is None:
        return False
    entered = _at(workdays.add_working_days(day + timedelta(days=REPORT_DAYS - 1), 1), 15, 40)
    actor = staff.pair(n)[0]
    sampling = services.sampling_record(
        actor=actor,
        operator=operator,
        sample_name=sample,
        batch_number=f"{day:%Y%m%d}（生产日期）",
        sampled_on=day,
        laboratory=LAB,
        report_number=f"PDS-SP-{day:%Y}-{200 + n * 37:04d}",
        items=[
            services.SampleItemInput(
                item_tested=i, standard=f"{standard} {lim}", measured=m, result=r
            )
            for i, lim, m, r in items
        ],
    )
    Sampling.objects.filter(pk=sampling.pk).update(created_at=entered)
    followup = FollowUp.objects.filter(sampling=sampling).first()
    if followup is None:
        return True
    moments = {"open": entered}
    if after == "closed":
        investigating = _at(workdays.add_working_days(entered.date(), 1), 9, 30)
        services.followup_act(
            actor=actor,
            followup=followup,
            action="investigate",
            note="责令经营者暂停销售同批次产品，调取进货和加工记录。",
        )
        services.followup_act(
            actor=staff.supervisor,
            followup=followup,
            action="conclude",
            note="不合格原因为使用含铝膨松剂，已责令改正并立案调查；复检合格。",
        )
        moments["investigate"] = investigating
        moments["conclude"] = _at(workdays.add_working_days(investigating.date(), 8), 16, 10)
    _retime(followup, moments)
    return True


# --------------------------------------------------------------------------- the inbox


def _date_inbox() -> None:
    """Supervisors were told of each operator when it was licensed; the older notices
    have been read."""
    fortnight = timezone.now() - timedelta(days=14)
    for operator in SupervisedOperator.objects.exclude(licensed_at=None):
        notices = Notification.objects.filter(
            dedupe_key=f"supervision.granted:{operator.licence_number}"
        )
        read = (
            operator.licensed_at + timedelta(hours=2) if operator.licensed_at < fortnight else None
        )
        notices.filter(read_at__isnull=True).update(created_at=operator.licensed_at, read_at=read)
    OperatorEvent.objects.update(received_at=F("occurred_at"))
    SupervisedOperator.objects.exclude(licensed_at=None).update(created_at=F("licensed_at"))


# --------------------------------------------------------------------------- entry point


def _summary(unit: Unit, today: date) -> Summary:
    plan = SupervisionPlan.objects.filter(unit=unit, year=today.year).first()
    entries = list(plan.entries.all()) if plan else []
    return Summary(
        operators=SupervisedOperator.objects.filter(unit=unit).count(),
        plan_entries=len(entries),
        overdue=sum(1 for e in entries if e.is_overdue(today)),
        inspections=Inspection.objects.filter(unit=unit).count(),
        samplings=Sampling.objects.filter(unit=unit).count(),
        followups=FollowUp.objects.filter(unit=unit).count(),
    )


def seed_supervision() -> Summary:
    unit = Unit.objects.filter(code=conf.supervision_unit_code()).first()
    if unit is None:
        raise CommandError("请先运行 seed_demo（需要市场监督管理局高新区分局 scjg）。")
    staff = Staff()
    today = timezone.localdate()
    if Inspection.objects.exists() or Sampling.objects.exists():
        _deliver(timezone.now())
        with transaction.atomic():
            _grade_new(staff)
            services.plan_generate(actor=staff.supervisor, unit=unit, year=today.year)
            _date_inbox()
        return _summary(unit, today)
    with transaction.atomic():
        _replay_year(staff, unit, today)
    return _summary(unit, today)


def _replay_year(staff: Staff, unit: Unit, today: date) -> None:
    """The year in date order (see the module docstring)."""
    jan1 = date(today.year, 1, 1)
    plan = _arrive(staff, unit, jan1)
    SupervisionPlan.objects.filter(pk=plan.pk).update(
        created_at=_at(workdays.roll_to_working_day(jan1), 9)
    )
    # Supervision starts once a handful of this year's operators are in business.
    this_year = [d for d in _first_grants() if d >= jan1]
    start = max(jan1, (this_year[min(4, len(this_year) - 1)] if this_year else jan1))
    start += timedelta(days=14)
    yesterday = today - timedelta(days=1)
    events: list[tuple[date, str, int]] = []
    events += [
        (d, "inspection", n)
        for n, d in enumerate(_spread(workdays.working_days_in(start, yesterday), len(INSPECTIONS)))
    ]
    last_sample = today - timedelta(days=REPORT_DAYS + 4)
    events += [
        (d, "sampling", n)
        for n, d in enumerate(_spread(workdays.working_days_in(start, last_sample), len(SAMPLES)))
    ]
    since = start
    for day, kind, n in sorted(events):
        plan = _arrive(staff, unit, day)
        if kind == "sampling":
            _sample(staff, n, day)
            continue
        operator = _featured_target(plan, day)
        if operator is not None:
            _inspect(staff, n, operator, day, today, INSPECTIONS[n])
        _sweep(staff, plan, day, since, today)
        since = day
    _deliver(timezone.now())
    _grade_new(staff)
    services.plan_generate(actor=staff.supervisor, unit=unit, year=today.year, today=today)
    _date_inbox()
