from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import Assignment, AuditRecord, WorkItem
from zonegov.core.selectors.workflow import timeline_for, with_days_left, work_items_for
from zonegov.core.services.assignments import assignment_act, assignment_create
from zonegov.core.services.workflow import case_extend, case_open

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def task(cast):
    return assignment_create(
        actor=cast.leader,
        title="清理楼道杂物",
        description="三日内清理完毕",
        unit=cast.dept,
        time_limit=3,
    )


def test_opening_sets_the_due_time_in_working_days_and_indexes_the_case(task):
    item = WorkItem.objects.get(reference=task.reference)
    assert item.is_open and item.state == "assigned" and item.state_label == "待办理"
    assert item.due_at == task.due_at
    assert task.due_at.astimezone(SH).hour == 23


def test_a_case_opened_before_spring_festival_is_due_after_it(cast):
    case = Assignment(
        reference="JB-T-1",
        title="节前交办",
        description="x",
        unit=cast.dept,
        created_by=cast.leader,
    )
    case_open(
        case=case, actor=cast.leader, opened_at=datetime(2026, 2, 12, 9, tzinfo=SH), time_limit=10
    )
    assert case.due_at.astimezone(SH).date().isoformat() == "2026-03-04"


def test_the_unit_signs_and_reports_and_the_issuer_closes(cast, task):
    assignment_act(actor=cast.officer, assignment=task, action="accept")
    assignment_act(actor=cast.officer, assignment=task, action="report", note="已清理")
    task = assignment_act(actor=cast.leader, assignment=task, action="close")
    assert task.state == "done" and task.closed_at is not None
    assert [e.action for e in timeline_for(task)] == ["open", "accept", "report", "close"]
    assert not WorkItem.objects.get(reference=task.reference).is_open
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {
        "assignment.open",
        "assignment.accept",
        "assignment.report",
        "assignment.close",
    } <= actions


def test_another_unit_cannot_sign_for_the_task(cast, task):
    with pytest.raises(PermissionRefused, match="无权"):
        assignment_act(actor=cast.park_officer, assignment=task, action="accept")
    task.refresh_from_db()
    assert task.state == "assigned"


def test_a_transition_from_the_wrong_state_is_refused_with_the_state_named(cast, task):
    with pytest.raises(ApplicationError, match="待办理"):
        assignment_act(actor=cast.leader, assignment=task, action="close")


def test_reporting_needs_a_note(cast, task):
    assignment_act(actor=cast.officer, assignment=task, action="accept")
    with pytest.raises(ApplicationError) as exc:
        assignment_act(actor=cast.officer, assignment=task, action="report", note="  ")
    assert "note" in exc.value.field_errors


def test_an_unknown_action_is_refused(cast, task):
    with pytest.raises(ApplicationError):
        assignment_act(actor=cast.officer, assignment=task, action="delete")


def test_the_time_limit_can_be_extended_once_with_a_reason(cast, task):
    due = task.due_at
    with pytest.raises(ApplicationError):
        case_extend(case=task, actor=cast.leader, days=3, reason="")
    with pytest.raises(ApplicationError):
        case_extend(case=task, actor=cast.leader, days=6, reason="材料多")
    task = case_extend(case=task, actor=cast.leader, days=5, reason="材料多")
    assert task.due_at > due and task.extension_reason == "材料多"
    with pytest.raises(ApplicationError, match="已经延长过"):
        case_extend(case=task, actor=cast.leader, days=1, reason="再延")


def test_only_leaders_and_admins_hand_out_tasks_and_only_within_their_scope(cast):
    with pytest.raises(Exception, match="角色"):
        assignment_create(
            actor=cast.officer, title="x", description="y", unit=cast.dept, time_limit=3
        )


def test_work_lists_show_overdue_first_and_stay_in_scope(cast):
    old = Assignment(
        reference="JB-T-2",
        title="超期事项",
        description="x",
        unit=cast.dept,
        created_by=cast.leader,
    )
    case_open(
        case=old, actor=cast.leader, opened_at=datetime.now(SH) - timedelta(days=30), time_limit=3
    )
    fresh = assignment_create(
        actor=cast.leader, title="新事项", description="y", unit=cast.dept, time_limit=10
    )
    other = assignment_create(
        actor=cast.leader, title="园区事项", description="z", unit=cast.park, time_limit=1
    )
    officer_items = list(work_items_for(cast.officer))
    assert [i.reference for i in officer_items] == [old.reference, fresh.reference]
    rows = with_days_left(officer_items)
    assert rows[0].overdue and rows[0].overdue_days > 0
    assert not rows[1].overdue
    assert other.reference not in {i.reference for i in officer_items}
    assert {i.reference for i in work_items_for(cast.leader)} == {
        old.reference,
        fresh.reference,
        other.reference,
    }
    assert list(work_items_for(cast.applicant)) == []
