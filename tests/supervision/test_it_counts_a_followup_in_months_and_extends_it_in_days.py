"""核查处置 (supervision_followup): 3 months counted in months, not as 90 days; its
extension is 30 calendar days (not working days), and a last day on a holiday rolls to
the next working day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.supervision.conftest import deliver, payload
from zonegov.core.errors import ApplicationError
from zonegov.core.models import CaseType, TimelineEntry
from zonegov.core.services.workflow import case_extend
from zonegov.supervision import services
from zonegov.supervision.models import FollowUp, SampleResult, SupervisedOperator

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def operator(sup) -> SupervisedOperator:
    """An operator licensed in March 2026, so a sample can be taken in June."""
    deliver(
        "granted",
        payload(occurred_at="2026-03-02T10:00:00+08:00", valid_from="2026-03-02"),
    )
    return SupervisedOperator.objects.get(licence_number="JY24104010000127")


def _failed_sample(sup, operator) -> FollowUp:
    sampling = services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="2026-05-30",
        sampled_on=timezone.localdate(),
        laboratory="平顶山市食品药品检验检测中心",
        report_number="BG-002",
        items=[
            services.SampleItemInput(
                item_tested="大肠菌群",
                standard="GB 2726-2016",
                measured="超标",
                result=SampleResult.FAIL,
            )
        ],
    )
    return FollowUp.objects.get(sampling=sampling)


def _day(moment: datetime) -> date:
    return moment.astimezone(SH).date()


@time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=SH), tick=False)
def test_it_counts_the_followup_limit_in_months(sup, operator):
    followup = _failed_sample(sup, operator)
    # 3 months from 1 June end on 1 September (90 days would be 30 August).
    assert _day(followup.due_at) == date(2026, 9, 1)
    assert (followup.limit_unit, followup.limit_rolls) == ("months", True)
    assert str(CaseType.objects.get(code="supervision_followup")) == "抽检不合格核查处置（3个月）"


@time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=SH), tick=False)
def test_it_extends_a_followup_by_calendar_days_and_rolls_off_national_day(sup, operator):
    followup = _failed_sample(sup, operator)
    with pytest.raises(ApplicationError) as refused:
        case_extend(case=followup, actor=sup.supervisor, days=31, reason="需补充检验")
    assert refused.value.message == "延长时限应在1到30天之间。"

    followup = case_extend(case=followup, actor=sup.supervisor, days=30, reason="需补充检验")
    # 1 September + 30 days = 1 October (National Day): the last day is 8 October, the
    # first working day after the holiday (not 30 working days, mid-October).
    assert _day(followup.due_at) == date(2026, 10, 8)
    assert (followup.extended_days, followup.extension_unit) == (30, "calendar_days")
    note = TimelineEntry.objects.get(object_id=str(followup.pk), action="extend").note
    assert note == "延长30天，至2026-10-08。理由：需补充检验"
