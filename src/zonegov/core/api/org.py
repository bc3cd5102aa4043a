from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.models.org import UnitKind
from zonegov.core.roles import ORG_ADMIN
from zonegov.core.selectors.org import unit_tree, units_visible_to
from zonegov.core.services.org import unit_create, unit_update


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None
    depth: int
    is_active: bool


class UnitIn(Schema):
    name: str
    code: str
    kind: UnitKind
    parent_id: int
    sort_order: int = 0


class UnitPatch(Schema):
    name: str | None = None
    parent_id: int | None = None
    sort_order: int | None = None
    is_active: bool | None = None


router = Router(tags=["organisation"])


@router.get("", response={200: list[UnitOut], **ERRORS}, summary="Units in my scope (staff)")
def list_units(request):
    require_staff(request.auth)
    return unit_tree(request.auth)


@router.post("", response={201: UnitOut, **ERRORS}, summary="Create a unit (org admin)")
def create_unit(request, payload: UnitIn):
    require_staff(request.auth, ORG_ADMIN)
    parent = get_object_or_404(units_visible_to(request.auth), pk=payload.parent_id)
    unit = unit_create(
        actor=request.auth,
        name=payload.name,
        code=payload.code,
        kind=payload.kind,
        parent=parent,
        sort_order=payload.sort_order,
    )
    return Status(201, unit)


@router.patch(
    "/{unit_id}", response={200: UnitOut, **ERRORS}, summary="Rename/move a unit (org admin)"
)
def patch_unit(request, unit_id: int, payload: UnitPatch):
    require_staff(request.auth, ORG_ADMIN)
    scope = units_visible_to(request.auth)
    unit = get_object_or_404(scope, pk=unit_id)
    parent = (
        get_object_or_404(scope, pk=payload.parent_id)
        if payload.parent_id is not None
        else unit.parent
    )
    return unit_update(
        actor=request.auth,
        unit=unit,
        name=payload.name if payload.name is not None else unit.name,
        parent=parent,
        sort_order=payload.sort_order if payload.sort_order is not None else unit.sort_order,
        is_active=payload.is_active if payload.is_active is not None else unit.is_active,
    )
