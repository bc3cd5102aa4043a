"""Supervision figures: inspections by outcome and their pass rate, samplings and items
with their pass rate, follow-ups opened and concluded — created through the real
supervision services, grouped by kind, park and month, and scoped."""

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from tests.conftest import VALID_USCC
from zonegov.core import kpis
from zonegov.core.kpis import Period
from zonegov.core.models import Enterprise
from zonegov.supervision import services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import ItemResult, Outcome, SampleResult

pytestmark = pytest.mark.django_db


def _items(failing: str = "") -> list[services.ItemInput]:
    return [
        services.ItemInput(
            code=c,
            result=ItemResult.NONCOMPLIANT if c == failing else ItemResult.COMPLIANT,
            note="问题" if c == failing else "",
        )
        for c, _ in CHECKLIST
    ]


def _inspect(sup, operator, outcome: str) -> None:
    today = timezone.localdate()
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=today
    )
    failing = CHECKLIST[0][0] if outcome != Outcome.COMPLIANT else ""
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=_items(failing),
        outcome=outcome,
        rectification_deadline=None if outcome == Outcome.COMPLIANT else today + timedelta(7),
    )


def _sample(sup, operator, *results: str):
    return services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="2026-11-20",
        sampled_on=timezone.localdate(),
        laboratory="平顶山市食品检验检测中心",
        items=[
            services.SampleItemInput(item_tested=f"项目{n}", result=r)
            for n, r in enumerate(results)
        ],
    )


@pytest.fixture
def supervised(cast, sup, operator):
    Enterprise.objects.create(
        uscc=VALID_USCC,
        name="平顶山某某餐饮有限公司",
        kind="llc",
        legal_representative="张三",
        registered_address="高新区建设路1号",
        park=cast.park,
    )
    _inspect(sup, operator, Outcome.COMPLIANT)
    _inspect(sup, operator, Outcome.BASICALLY)
    _inspect(sup, operator, Outcome.NONCOMPLIANT)
    _sample(sup, operator, SampleResult.PASS, SampleResult.PASS)
    failed = _sample(sup, operator, SampleResult.PASS, SampleResult.FAIL, SampleResult.FAIL)
    followup = failed.followup
    services.followup_act(actor=sup.inspector, followup=followup, action="investigate")
    services.followup_act(
        actor=sup.inspector, followup=followup, action="conclude", note="已下架并立案"
    )
    return operator


def this_year() -> Period:
    today = timezone.localdate()
    return Period(date(today.year, 1, 1), today)


def figures(user, dimension="month"):
    section = kpis.section_for(user, "supervision")
    return kpis.compute(section, user, this_year(), dimension).figures


def test_inspection_and_sampling_pass_rates(cast, supervised):
    total = figures(cast.leader).total.values
    assert total["inspections"] == 3
    assert (total["compliant"], total["basically"], total["noncompliant"]) == (1, 1, 1)
    assert total["inspection_pass_rate"] == pytest.approx(2 / 3)  # 符合 + 基本符合
    assert total["samplings"] == 2
    assert total["samplings_failed"] == 1
    assert total["sampling_pass_rate"] == 0.5
    assert total["items_tested"] == 5
    assert total["items_failed"] == 2
    assert total["followups_opened"] == 1
    assert total["followups_closed"] == 1


def test_grouped_by_month_kind_and_park(cast, supervised):
    month = timezone.localdate().strftime("%Y-%m")
    months = {r.key: r.values for r in figures(cast.leader, "month").rows}
    assert months[month]["inspections"] == 3
    assert months[month]["samplings"] == 2
    kinds = {r.label: r.values for r in figures(cast.leader, "kind").rows}
    assert kinds["食品经营许可证"]["inspections"] == 3
    parks = {r.key: r.values for r in figures(cast.leader, "park").rows}
    assert parks[str(cast.park.pk)]["sampling_pass_rate"] == 0.5


def test_a_supervisor_sees_their_unit_and_another_branch_sees_nothing(cast, sup, supervised):
    assert figures(sup.supervisor).total.values["inspections"] == 3
    assert figures(sup.other_supervisor).total.values["inspections"] == 0


def test_a_park_officer_sees_the_operators_of_their_park(cast, supervised):
    assert figures(cast.park_officer).total.values["samplings"] == 2
    Enterprise.objects.filter(uscc=VALID_USCC).update(park=cast.street)
    assert figures(cast.park_officer).total.values["samplings"] == 0


def test_a_licensing_officer_does_not_see_supervision(cast, supervised):
    with pytest.raises(Http404):
        kpis.section_for(cast.officer, "supervision")
    assert [s.key for s in kpis.sections_for(cast.officer)] == ["licensing"]
