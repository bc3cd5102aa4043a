from datetime import datetime

from ninja import Router, Schema

from zonegov.core.api.base import ERRORS
from zonegov.core.selectors.workflow import with_days_left, work_items_for


class WorkItemOut(Schema):
    reference: str
    title: str
    case_type: str
    state: str
    state_label: str
    unit: str
    assignee: str | None
    url: str
    due_at: datetime | None
    working_days_left: int | None
    overdue: bool


router = Router(tags=["work"])


@router.get("", response={200: list[WorkItemOut], **ERRORS}, summary="My open work, overdue first")
def my_work(request, limit: int = 100):
    items = list(work_items_for(request.auth)[: max(1, min(limit, 500))])
    return [
        WorkItemOut(
            reference=row.item.reference,
            title=row.item.title,
            case_type=row.item.case_type_id,
            state=row.item.state,
            state_label=row.item.state_label,
            unit=row.item.unit.name,
            assignee=row.item.assignee.display_name if row.item.assignee else None,
            url=row.item.url,
            due_at=row.item.due_at,
            working_days_left=row.days_left,
            overdue=row.overdue,
        )
        for row in with_days_left(items)
    ]
