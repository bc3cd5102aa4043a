"""The time limit and its extension are counted in the case type's units; a calendar-day
deadline on a holiday rolls to the next working day only where the case type says so,
and the rule a case was opened with stays with the case."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zonegov.core import workdays
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Assignment, CaseType
from zonegov.core.services.workflow import case_extend, case_open

SH = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def _open(cast, opened: datetime, limit: int) -> Assignment:
    case = Assignment(
        reference=f"JB-U-{opened:%m%d}-{limit}",
        title="期限测试",
        description="x",
        unit=cast.dept,
        created_by=cast.leader,
    )
    return case_open(case=case, actor=cast.leader, opened_at=opened, time_limit=limit)


def _set_type(**values) -> None:
    CaseType.objects.filter(code="assignment").update(**values)


def _day(moment: datetime) -> date:
    return moment.astimezone(SH).date()


@time_machine.travel(datetime(2026, 9, 21, 9, 0, tzinfo=SH), tick=False)
def test_it_extends_a_working_days_case_by_working_days(cast):
    case = _open(cast, datetime(2026, 9, 21, 9, 0, tzinfo=SH), 3)
    assert _day(case.due_at) == date(2026, 9, 24)
    with pytest.raises(ApplicationError) as refused:
        case_extend(case=case, actor=cast.leader, days=6, reason="材料多")
    assert refused.value.message == "延长时限应在1到5个工作日之间。"
    case = case_extend(case=case, actor=cast.leader, days=2, reason="材料多")
    # 25 September is the Mid-Autumn Festival, 26-27 a weekend: 28 and 29 September.
    assert _day(case.due_at) == date(2026, 9, 29)
    assert case.extension_unit == "working_days"


@time_machine.travel(datetime(2026, 9, 21, 9, 0, tzinfo=SH), tick=False)
def test_a_calendar_deadline_on_national_day_rolls_when_the_type_says_so(cast):
    _set_type(limit_unit="calendar_days", rolls_to_working_day=True)
    case = _open(cast, datetime(2026, 9, 21, 9, 0, tzinfo=SH), 10)
    assert _day(case.due_at) == date(2026, 10, 8)
    assert (case.limit_unit, case.limit_rolls) == ("calendar_days", True)


@time_machine.travel(datetime(2026, 9, 21, 9, 0, tzinfo=SH), tick=False)
def test_a_calendar_deadline_on_national_day_stays_when_the_type_does_not_roll(cast):
    _set_type(limit_unit="calendar_days", rolls_to_working_day=False)
    case = _open(cast, datetime(2026, 9, 21, 9, 0, tzinfo=SH), 10)
    assert _day(case.due_at) == date(2026, 10, 1)


@time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=SH), tick=False)
def test_an_extension_follows_the_roll_rule_the_case_was_opened_with(cast):
    _set_type(
        limit_unit="calendar_days",
        extension_unit="calendar_days",
        extension_limit=30,
        rolls_to_working_day=True,
    )
    case = _open(cast, datetime(2026, 9, 1, 9, 0, tzinfo=SH), 10)  # 11 September
    _set_type(rolls_to_working_day=False)  # a later edit of the type
    case = case_extend(case=case, actor=cast.leader, days=20, reason="等待鉴定")
    assert _day(case.due_at) == date(2026, 10, 8)  # 1 October rolled, as opened


@time_machine.travel(datetime(2026, 1, 31, 9, 0, tzinfo=SH), tick=False)
def test_a_months_case_ends_on_the_last_day_of_a_shorter_month(cast):
    _set_type(limit_unit="months", extension_unit="months", extension_limit=1)
    case = _open(cast, datetime(2026, 1, 31, 9, 0, tzinfo=SH), 1)
    assert _day(case.due_at) == date(2026, 2, 28)
    with pytest.raises(ApplicationError) as refused:
        case_extend(case=case, actor=cast.leader, days=2, reason="x")
    assert refused.value.message == "延长时限应在1到1个月之间。"
    case = case_extend(case=case, actor=cast.leader, days=1, reason="x")
    assert _day(case.due_at) == date(2026, 3, 28)
    assert workdays.deadline(date(2026, 1, 31), 1, "months") == date(2026, 2, 28)
