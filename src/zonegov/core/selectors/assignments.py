from typing import Any

from django.db.models import Q, QuerySet

from zonegov.core.models import Assignment


def assignments_for(user: Any, *, state: str = "") -> QuerySet[Assignment]:
    """Assignments the user may see: in their unit scope, assigned to them, or issued by them."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return Assignment.objects.none()
    qs = Assignment.objects.filter(
        Q(unit__path__startswith=user.unit.path) | Q(assignee=user) | Q(created_by=user)
    )
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit", "assignee", "created_by").order_by("due_at")
