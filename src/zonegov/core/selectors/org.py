from typing import Any

from django.db.models import Count, Q, QuerySet

from zonegov.core.models import Unit, User


def units_visible_to(user: Any) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


def unit_tree(user: Any) -> list[Unit]:
    """Units in the user's scope, in tree order, with member counts."""
    return list(
        units_visible_to(user)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("path")
    )


def staff_in_scope(user: Any, *, query: str = "") -> QuerySet[User]:
    users = User.objects.filter(unit__path__startswith=user.unit.path).select_related("unit")
    if query:
        users = users.filter(
            Q(full_name__icontains=query)
            | Q(username__icontains=query)
            | Q(mobile__icontains=query)
        )
    return users.prefetch_related("roles").order_by("unit__path", "username")
