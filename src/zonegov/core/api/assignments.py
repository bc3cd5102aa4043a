from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from zonegov.core.access import check_perm, require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.models import Assignment, User
from zonegov.core.selectors.assignments import assignments_for
from zonegov.core.selectors.org import units_visible_to
from zonegov.core.selectors.workflow import timeline_for
from zonegov.core.services.assignments import assignment_act, assignment_create
from zonegov.core.services.workflow import available_transitions


class AssignmentTimelineOut(Schema):
    at: datetime
    actor_name: str
    action: str
    action_label: str
    from_state: str
    to_state: str
    note: str


class AssignmentOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    state: str
    unit_id: int
    assignee_id: int | None
    created_by_id: int
    opened_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None


class AssignmentDetailOut(AssignmentOut):
    timeline: list[AssignmentTimelineOut]
    actions: list[str]


class AssignmentIn(Schema):
    title: str
    description: str
    unit_id: int
    time_limit: int = 5
    assignee_id: int | None = None


class ActIn(Schema):
    action: str
    note: str = ""


router = Router(tags=["assignments"])


@router.get("", response={200: list[AssignmentOut], **ERRORS}, summary="Assignments in my scope")
def list_assignments(request, state: str = ""):
    require_staff(request.auth)
    return list(assignments_for(request.auth, state=state)[:500])


@router.post(
    "", response={201: AssignmentOut, **ERRORS}, summary="Hand a task to a unit (leader, org admin)"
)
def create_assignment(request, payload: AssignmentIn):
    require_staff(request.auth)
    unit = get_object_or_404(units_visible_to(request.auth), pk=payload.unit_id)
    assignee = get_object_or_404(User, pk=payload.assignee_id) if payload.assignee_id else None
    assignment = assignment_create(
        actor=request.auth,
        title=payload.title,
        description=payload.description,
        unit=unit,
        assignee=assignee,
        time_limit=payload.time_limit,
    )
    return Status(201, assignment)


def _detail(assignment: Assignment, user) -> dict:
    data = AssignmentOut.from_orm(assignment).dict()
    data["timeline"] = list(timeline_for(assignment))
    data["actions"] = [t.name for t in available_transitions(assignment, user)]
    return data


@router.get(
    "/{assignment_id}",
    response={200: AssignmentDetailOut, **ERRORS},
    summary="One assignment (staff in scope)",
)
def get_assignment(request, assignment_id: int):
    require_staff(request.auth)
    assignment = get_object_or_404(Assignment, pk=assignment_id)
    check_perm(request.auth, "core.view_assignment", assignment)
    return _detail(assignment, request.auth)


@router.post(
    "/{assignment_id}/actions",
    response={200: AssignmentDetailOut, **ERRORS},
    summary="Fire a transition",
)
def act(request, assignment_id: int, payload: ActIn):
    require_staff(request.auth)
    assignment = get_object_or_404(Assignment, pk=assignment_id)
    check_perm(request.auth, "core.view_assignment", assignment)
    assignment = assignment_act(
        actor=request.auth, assignment=assignment, action=payload.action, note=payload.note
    )
    return _detail(assignment, request.auth)
