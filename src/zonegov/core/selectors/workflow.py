from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from zonegov.core import workdays
from zonegov.core.models import TimelineEntry, WorkflowCase, WorkItem

#: Work a module hands to staff outside the case's own unit (licensing: a case waiting for
#: inspection, for the inspectors of the inspection unit). Each function takes the user
#: and returns a ``Q`` over ``WorkItem`` or None; registered in the app's ``ready()``.
WorkScope = Callable[[Any], Q | None]
_work_scopes: list[WorkScope] = []


def register_work_scope(scope: WorkScope) -> WorkScope:
    """Add ``scope`` to what ``work_items_for`` shows (我的工作, ``/api/work``)."""
    if scope not in _work_scopes:
        _work_scopes.append(scope)
    return scope


def work_items_for(user: Any, *, include_closed: bool = False) -> QuerySet[WorkItem]:
    """The work a user should see: assigned to them, in their unit or below (staff), their
    own applications (applicants), or handed to them by a module's registered work scope.
    Overdue and soonest-due first."""
    if not getattr(user, "is_authenticated", False):
        return WorkItem.objects.none()
    scope = Q(assignee=user) | Q(applicant=user)
    if user.is_staff_member:
        scope |= Q(unit__path__startswith=user.unit.path)
    for extra in _work_scopes:
        q = extra(user)
        if q is not None:
            scope |= q
    items = WorkItem.objects.filter(scope)
    if not include_closed:
        items = items.filter(is_open=True)
    # Cases without a deadline (drafts, cases waiting for acceptance) go last on every
    # database (SQLite would otherwise put NULLs first).
    return items.select_related("unit", "assignee", "case_type").order_by(
        F("due_at").asc(nulls_last=True), "opened_at"
    )


@dataclass
class WorkRow:
    item: WorkItem
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0


def with_days_left(items: list[WorkItem], now: datetime | None = None) -> list[WorkRow]:
    now = now or timezone.now()
    return [
        WorkRow(item, workdays.working_days_left(item.due_at, now) if item.due_at else None)
        for item in items
    ]


def overdue_count(user: Any) -> int:
    return work_items_for(user).filter(due_at__lt=timezone.now()).count()


def timeline_for(case: WorkflowCase) -> QuerySet[TimelineEntry]:
    return (
        TimelineEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk)
        )
        .select_related("actor")
        .prefetch_related("attachments")
    )


# --- what a user may do on a case, read from the state machine ---------------------------


@dataclass(frozen=True)
class Action:
    """One action a page offers on a case: ``name`` is the page's (and URL's) name for it,
    ``transition`` the state-machine transition it fires, ``label`` and ``note_required``
    come from that transition's declaration (``custom=``)."""

    name: str
    label: str
    transition: str = ""
    note_required: bool = False


def available_actions(
    case: WorkflowCase,
    user: Any,
    actions: Mapping[str, Sequence[str]],
    *,
    labels: Mapping[str, str] | None = None,
) -> list[Action]:
    """The actions of ``actions`` (page action → the transitions that carry it, first
    match wins) that ``user`` may take on ``case`` now: a transition counts when the case
    is in one of its source states, its conditions hold and its ``permission=`` admits the
    user (django-fsm's ``get_available_user_state_transitions``). In the order of
    ``actions``; ``labels`` overrides a transition's label where the page words it
    differently. A page renders this list instead of keeping its own flags, so a button
    shows exactly when the transition would be allowed."""
    transitions_now = case.get_available_user_state_transitions(user)  # type: ignore[attr-defined]
    available = {t.name: t for t in transitions_now}
    out = []
    for name, transitions in actions.items():
        hit = next((available[t] for t in transitions if t in available), None)
        if hit is None:
            continue
        custom = hit.custom or {}
        out.append(
            Action(
                name=name,
                label=str((labels or {}).get(name) or custom.get("label", hit.name)),
                transition=hit.name,
                note_required=bool(custom.get("note_required")),
            )
        )
    return out
