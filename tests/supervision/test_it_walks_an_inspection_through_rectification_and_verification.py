"""日常监督检查: checklist results, two inspectors, outcome, rectification deadline as the
case's due time, verification closes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.supervision.conftest import deliver, payload
from zonegov.core.errors import ApplicationError
from zonegov.core.models import TimelineEntry, WorkItem
from zonegov.supervision import services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import InspectionState, ItemResult, Outcome

pytestmark = pytest.mark.django_db


def _items(failing: str = "", note: str = "") -> list[services.ItemInput]:
    return [
        services.ItemInput(
            code=c,
            result=ItemResult.NONCOMPLIANT if c == failing else ItemResult.COMPLIANT,
            note=note if c == failing else "",
        )
        for c, _ in CHECKLIST
    ]


def test_it_orders_rectification_and_tracks_it_until_verified(sup, operator):
    today = timezone.localdate()
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=today
    )
    assert inspection.items.count() == len(CHECKLIST)
    deadline = today + timedelta(days=15)
    inspection = services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.inspector],
        items=_items(failing="7", note="消毒记录缺失"),
        outcome=Outcome.BASICALLY,
        rectification_deadline=deadline,
        summary="餐具消毒记录不全",
    )
    assert inspection.state == InspectionState.RECTIFYING
    assert timezone.localtime(inspection.due_at).date() == deadline
    work = WorkItem.objects.get(object_id=str(inspection.pk), case_type="supervision_inspection")
    assert work.is_open and timezone.localtime(work.due_at).date() == deadline
    assert set(inspection.inspectors.all()) == {sup.supervisor, sup.inspector}
    assert inspection.items.get(code="7").note == "消毒记录缺失"

    with pytest.raises(ApplicationError):
        services.inspection_verify(actor=sup.partner, inspection=inspection, note="  ")
    inspection = services.inspection_verify(
        actor=sup.partner, inspection=inspection, note="已补齐消毒记录"
    )
    assert inspection.state == InspectionState.VERIFIED
    assert not inspection.is_open and inspection.closed_at
    actions = list(
        TimelineEntry.objects.filter(object_id=str(inspection.pk))
        .filter(content_type__model="inspection")
        .values_list("action", flat=True)
    )
    assert actions == ["open", "start", "record", "order_rectification", "verify"]


def test_a_compliant_inspection_closes_at_once(sup, operator):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    inspection = services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=_items(),
        outcome=Outcome.COMPLIANT,
    )
    assert inspection.state == InspectionState.CLOSED


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"inspectors": "one"}, "inspectors"),
        ({"outcome": Outcome.NONCOMPLIANT}, "rectification_deadline"),
        ({"outcome": Outcome.COMPLIANT, "failing": "3"}, "outcome"),
        ({"missing": "2"}, "item_2"),
        ({"deadline_days": 400, "outcome": Outcome.NONCOMPLIANT}, "rectification_deadline"),
        ({"failing": "3", "note": "", "outcome": Outcome.NONCOMPLIANT}, "item_3"),
        ({"outcome": "bogus"}, "outcome"),
    ],
)
def test_it_refuses_an_incomplete_record_and_says_what_is_wrong(sup, operator, kwargs, field):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    items = _items(failing=kwargs.get("failing", ""), note=kwargs.get("note", "问题"))
    if "missing" in kwargs:
        items = [i for i in items if i.code != kwargs["missing"]]
    inspectors = (
        [sup.supervisor] if kwargs.get("inspectors") == "one" else [sup.supervisor, sup.partner]
    )
    deadline = None
    if "deadline_days" in kwargs:
        deadline = timezone.localdate() + timedelta(days=kwargs["deadline_days"])
    with pytest.raises(ApplicationError) as exc:
        services.inspection_record(
            actor=sup.supervisor,
            inspection=inspection,
            inspectors=inspectors,
            items=items,
            outcome=kwargs.get("outcome", Outcome.BASICALLY),
            rectification_deadline=deadline,
        )
    assert field in exc.value.field_errors
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PLANNED


def test_it_refuses_an_inspector_of_another_unit(sup, operator):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    with pytest.raises(ApplicationError) as exc:
        services.inspection_record(
            actor=sup.supervisor,
            inspection=inspection,
            inspectors=[sup.supervisor, sup.other_supervisor],
            items=_items(),
            outcome=Outcome.COMPLIANT,
        )
    assert "inspectors" in exc.value.field_errors


def test_it_schedules_no_inspection_of_a_cancelled_operator(sup, operator):
    deliver("cancelled", payload("cancelled"))
    operator.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.inspection_create(
            actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
        )
