"""年度计划: every active operator scheduled by risk level; overdue when a planned date
passed without an inspection; idempotent; cancelled operators stop."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.supervision.conftest import deliver, payload
from zonegov.core.errors import ApplicationError
from zonegov.supervision import conf, selectors, services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import Outcome, PlanEntry, SupervisedOperator

pytestmark = pytest.mark.django_db


def _operators(sup):
    for n, level in enumerate("ABCD"):
        deliver("granted", payload(licence_number=f"JY2410401000{n:04d}", holder_name=f"店{level}"))
        op = SupervisedOperator.objects.get(licence_number=f"JY2410401000{n:04d}")
        services.operator_set_risk_level(actor=sup.supervisor, operator=op, risk_level=level)
    return {o.risk_level: o for o in SupervisedOperator.objects.all()}


def test_it_schedules_each_operator_by_its_risk_level(sup):
    ops = _operators(sup)
    plan = services.plan_generate(
        actor=sup.supervisor, unit=sup.scjg, year=2026, today=date(2026, 1, 1)
    )
    entries = {e.operator.risk_level: e for e in plan.entries.select_related("operator")}
    for level in "ABCD":
        assert entries[level].planned_count == conf.RISK_FREQUENCY[level]["max"]
        assert len(entries[level].planned_dates) == entries[level].planned_count
        assert all(d.startswith("2026-") for d in entries[level].planned_dates)
    assert entries["D"].planned_count > entries["A"].planned_count
    # Idempotent: generating again adds nobody and keeps the schedule.
    again = services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=2026)
    assert again.pk == plan.pk and again.entries.count() == len(ops)
    assert PlanEntry.objects.get(operator=ops["A"]).planned_dates == entries["A"].planned_dates


@time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_it_shows_who_is_overdue_and_an_inspection_clears_it(sup):
    ops = _operators(sup)
    plan = services.plan_generate(
        actor=sup.supervisor, unit=sup.scjg, year=2026, today=date(2026, 1, 1)
    )
    rows = selectors.plan_rows(sup.supervisor, plan, today=date(2026, 12, 31))
    assert all(r.overdue for r in rows)
    rows = selectors.plan_rows(sup.supervisor, plan, today=date(2026, 1, 2))
    assert not any(r.overdue for r in rows)

    a = ops["A"]
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=a, planned_date=timezone.localdate()
    )
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=[services.ItemInput(code=c, result="compliant") for c, _ in CHECKLIST],
        outcome=Outcome.COMPLIANT,
        inspected_on=date(2026, 11, 26),
    )
    entry = PlanEntry.objects.get(operator=a)
    assert entry.done_count == 1 and entry.next_due is None
    overdue = selectors.plan_rows(sup.supervisor, plan, today=date(2026, 12, 31))
    assert {r.entry.operator for r in overdue if r.overdue} == {ops["B"], ops["C"], ops["D"]}


def test_a_cancelled_operator_stops_being_scheduled(sup):
    ops = _operators(sup)
    plan = services.plan_generate(
        actor=sup.supervisor, unit=sup.scjg, year=2026, today=date(2026, 1, 1)
    )
    deliver("cancelled", payload("cancelled", licence_number=ops["C"].licence_number))
    entry = PlanEntry.objects.get(operator=ops["C"])
    assert entry.stopped and entry.next_due is None
    assert not entry.is_overdue(date(2026, 12, 31))
    plan2 = services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=2027)
    assert ops["C"].pk not in set(plan2.entries.values_list("operator_id", flat=True))
    assert plan.entries.count() == 4


def test_only_supervisors_and_leaders_of_the_unit_generate_plans(sup, cast):
    with pytest.raises(ApplicationError):
        services.plan_generate(actor=sup.other_supervisor, unit=sup.scjg, year=2026)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied for the wrong role
        services.plan_generate(actor=cast.officer, unit=sup.scjg, year=2026)
    assert services.plan_generate(actor=cast.leader, unit=sup.scjg, year=2026).pk
    with pytest.raises(ApplicationError):
        services.plan_generate(actor=cast.leader, unit=sup.scjg, year=1999)


def test_grading_the_risk_level_reschedules_this_years_entry(sup, operator):
    year = timezone.localdate().year
    services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=year)
    entry = PlanEntry.objects.get(operator=operator)
    assert entry.planned_count == conf.planned_inspections(conf.DEFAULT_RISK_LEVEL)
    services.operator_set_risk_level(actor=sup.supervisor, operator=operator, risk_level="D")
    entry.refresh_from_db()
    assert entry.risk_level == "D" and entry.planned_count == 4
    assert len(entry.planned_dates) == 4
    with pytest.raises(ApplicationError):
        services.operator_set_risk_level(actor=sup.supervisor, operator=operator, risk_level="E")
    with pytest.raises(ApplicationError):
        services.operator_set_risk_level(
            actor=sup.other_supervisor, operator=operator, risk_level="A"
        )
