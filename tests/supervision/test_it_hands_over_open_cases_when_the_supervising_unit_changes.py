"""A changed licence naming another supervising unit (the premises moved to another
branch's area): the operator's open inspections and 核查处置 are handed over (移交) to that
unit, whose supervisors are told and can finish them; the old branch no longer sees them
and its plan stops scheduling the operator."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.conftest import make_user
from tests.supervision.conftest import deliver, payload
from zonegov.core.models import Notification, TimelineEntry, WorkItem
from zonegov.supervision import services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import PlanEntry
from zonegov.supervision.roles import SUPERVISOR

pytestmark = pytest.mark.django_db


def test_open_cases_follow_the_operator_to_its_new_unit(sup, operator, login):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    sampling = services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="B1",
        sampled_on=timezone.localdate(),
        laboratory="检验中心",
        items=[services.SampleItemInput(item_tested="大肠菌群", result="fail")],
    )
    followup = sampling.followup
    plan = services.plan_generate(
        actor=sup.supervisor, unit=sup.scjg, year=timezone.localdate().year
    )

    deliver("changed", payload("changed", version=2, supervision_unit_code="scjg2"))

    inspection.refresh_from_db()
    followup.refresh_from_db()
    for case in (inspection, followup):
        assert case.unit == sup.other_branch and case.assignee is None
        assert case.is_open
        entry = TimelineEntry.objects.get(
            content_type=ContentType.objects.get_for_model(case),
            object_id=str(case.pk),
            action="transfer",
        )
        assert "由市场监督管理局高新区分局移交市场监督管理局其他分局" in entry.note
        item = WorkItem.objects.get(
            content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk)
        )
        assert item.unit_id == sup.other_branch.pk
    assert PlanEntry.objects.get(plan=plan).stopped
    assert Notification.objects.filter(
        recipient=sup.other_supervisor, title="经营者移交本单位监管"
    ).exists()

    assert login(sup.supervisor).get(inspection.get_absolute_url()).status_code == 404
    partner = make_user("sup9b", sup.other_branch, SUPERVISOR, full_name="外分局监管员乙")
    services.inspection_record(
        actor=sup.other_supervisor,
        inspection=inspection,
        inspectors=[sup.other_supervisor, partner],
        items=[services.ItemInput(code=c, result="compliant") for c, _t in CHECKLIST],
        outcome="compliant",
    )
    inspection.refresh_from_db()
    assert not inspection.is_open


def test_a_replayed_change_hands_over_nothing_twice(sup, operator):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    message = payload("changed", version=2, supervision_unit_code="scjg2")
    deliver("changed", message)
    deliver("changed", message)
    transfers = TimelineEntry.objects.filter(object_id=str(inspection.pk), action="transfer")
    assert transfers.count() == 1
