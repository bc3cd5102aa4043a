from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.models import Unit
from zonegov.core.models.org import ALLOWED_CHILD_KINDS, UnitKind
from zonegov.core.services.audit import audit_append, diff, model_snapshot


def _check_placement(kind: str, parent: Unit | None) -> None:
    if kind not in UnitKind.values:
        raise ApplicationError(
            _("单位类型无效。"), field_errors={"kind": [_("请选择有效的单位类型。")]}
        )
    if parent is None:
        if kind != UnitKind.ZONE:
            raise ApplicationError(
                _("只有“高新区”可以作为顶级单位，请选择上级单位。"),
                field_errors={"parent": [_("请选择上级单位。")]},
            )
        return
    if kind not in ALLOWED_CHILD_KINDS[parent.kind]:
        raise ApplicationError(
            _("“%(parent)s”（%(pkind)s）下不能设立%(kind)s。")
            % {
                "parent": parent.name,
                "pkind": UnitKind(parent.kind).label,
                "kind": UnitKind(kind).label,
            },
            field_errors={"kind": [_("该上级单位下不能设立此类型单位。")]},
        )


def _set_path(unit: Unit) -> None:
    prefix = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{prefix}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def unit_create(
    *, actor: Any, name: str, code: str, kind: str, parent: Unit | None, sort_order: int = 0
) -> Unit:
    _check_placement(kind, parent)
    if Unit.objects.filter(code=code).exists():
        raise ApplicationError(
            _("单位编码已存在。"), field_errors={"code": [_("单位编码已存在。")]}
        )
    unit = Unit(
        name=name.strip(), code=code.strip(), kind=kind, parent=parent, sort_order=sort_order
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit_append(actor=actor, action="unit.create", obj=unit, changes=model_snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    parent: Unit | None,
    sort_order: int,
    is_active: bool,
) -> Unit:
    """Rename, move or deactivate a unit; moving it moves its whole subtree."""
    before = model_snapshot(unit)
    if parent is not None and parent.path.startswith(unit.path):
        if parent.pk == unit.pk:
            message = _("不能把“%(unit)s”设为它自己的上级单位，请选择其他上级单位。") % {
                "unit": unit.name
            }
        else:
            message = _(
                "不能把“%(unit)s”移到它自己的下级单位“%(parent)s”之下：那样会形成循环。"
                "如需调整，请先把“%(parent)s”移到别处。"
            ) % {"unit": unit.name, "parent": parent.name}
        raise ApplicationError(message, field_errors={"parent": [message]})
    if (parent and parent.pk) != unit.parent_id:
        _check_placement(unit.kind, parent)
    if not is_active and unit.members.filter(is_active=True).exists():
        raise ApplicationError(
            _("该单位还有在岗人员，请先调整人员再停用。"),
            field_errors={"is_active": [_("单位仍有人员。")]},
        )
    old_path = unit.path
    unit.name = name.strip()
    unit.parent = parent
    unit.sort_order = sort_order
    unit.is_active = is_active
    unit.full_clean(exclude=["path"])
    _set_path(unit)
    unit.save()
    if old_path != unit.path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])
    audit_append(
        actor=actor, action="unit.update", obj=unit, changes=diff(before, model_snapshot(unit))
    )
    return unit
