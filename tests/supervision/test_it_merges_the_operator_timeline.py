"""The operator's one record: application → approval → certificate versions →
inspections → samplings → follow-ups, in time order."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.supervision.conftest import deliver, payload
from zonegov.supervision import selectors, services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import Outcome, SampleResult

pytestmark = pytest.mark.django_db


# The licence events below are dated January and March 2026; the inspection follows them.
@time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_it_lists_licence_events_inspections_samplings_and_followups_in_order(sup):
    deliver("granted", payload(occurred_at="2026-01-05T10:00:00+08:00"))
    deliver("changed", payload("changed", version=2, occurred_at="2026-03-01T10:00:00+08:00"))
    from zonegov.supervision.models import SupervisedOperator

    op = SupervisedOperator.objects.get()
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=op, planned_date=timezone.localdate()
    )
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=[services.ItemInput(code=c, result="compliant") for c, _ in CHECKLIST],
        outcome=Outcome.COMPLIANT,
    )
    services.sampling_record(
        actor=sup.supervisor,
        operator=op,
        sample_name="凉拌菜",
        batch_number="B1",
        sampled_on=timezone.localdate(),
        laboratory="检验中心",
        items=[services.SampleItemInput(item_tested="大肠菌群", result=SampleResult.FAIL)],
    )
    rows = selectors.operator_timeline(sup.supervisor, op)
    assert [r.kind for r in rows] == ["licence", "licence", "inspection", "sampling", "followup"]
    assert "SQ-2026-000012" in rows[0].detail
    assert "证书版本 2" in rows[1].detail
    assert [r.at for r in rows] == sorted(r.at for r in rows)
