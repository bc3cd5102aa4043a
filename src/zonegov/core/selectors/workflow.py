from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from zonegov.core import workdays
from zonegov.core.models import TimelineEntry, WorkflowCase, WorkItem


def work_items_for(user: Any, *, include_closed: bool = False) -> QuerySet[WorkItem]:
    """The work a user should see: assigned to them, in their unit or below (staff), or
    their own applications (applicants). Overdue and soonest-due first."""
    if not getattr(user, "is_authenticated", False):
        return WorkItem.objects.none()
    scope = Q(assignee=user) | Q(applicant=user)
    if user.is_staff_member:
        scope |= Q(unit__path__startswith=user.unit.path)
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
