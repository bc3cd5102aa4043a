from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from zonegov.core.models import Unit, User
from zonegov.core.models.org import UnitKind


def units_visible_to(user: Any) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


_KIND_RANK = {kind: rank for rank, kind in enumerate(UnitKind.values)}


@dataclass
class UnitNode:
    """One unit of the tree with its children (for the nested, collapsible page)."""

    unit: Unit
    children: list["UnitNode"] = field(default_factory=list)


def _sibling_key(unit: Unit) -> tuple[int, int, str, int]:
    # Departments, then parks, then streets and towns …; then the admin's order, the name.
    return (_KIND_RANK.get(unit.kind, 99), unit.sort_order, unit.name, unit.pk)


def unit_forest(units: list[Unit]) -> list[UnitNode]:
    """``units`` as trees: the units whose parent is not among them are the roots;
    siblings by kind (UnitKind's order), sort order and name."""
    nodes = {u.pk: UnitNode(u) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.pk])

    def sort(level: list[UnitNode]) -> None:
        level.sort(key=lambda n: _sibling_key(n.unit))
        for node in level:
            sort(node.children)

    sort(roots)
    return roots


def tree_order(units: list[Unit]) -> list[Unit]:
    """``units`` in tree order (each unit followed by its subtree), depth-first."""
    ordered: list[Unit] = []

    def walk(level: list[UnitNode]) -> None:
        for node in level:
            ordered.append(node.unit)
            walk(node.children)

    walk(unit_forest(units))
    return ordered


def unit_tree(user: Any) -> list[Unit]:
    """Units in the user's scope, in tree order (not the ids' string order: "/1/10/"
    sorts before "/1/5/"), with member counts."""
    return tree_order(
        list(
            units_visible_to(user).annotate(
                member_count=Count("members", filter=Q(members__is_active=True))
            )
        )
    )


def unit_forest_for(user: Any) -> list[UnitNode]:
    """The nested tree of :func:`unit_tree` for the organisation page."""
    return unit_forest(unit_tree(user))


def staff_in_scope(user: Any, *, query: str = "") -> QuerySet[User]:
    users = User.objects.filter(unit__path__startswith=user.unit.path).select_related("unit")
    if query:
        users = users.filter(
            Q(full_name__icontains=query)
            | Q(username__icontains=query)
            | Q(mobile__icontains=query)
        )
    return users.prefetch_related("roles").order_by("unit__path", "username")
