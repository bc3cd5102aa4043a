from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    ZONE = "zone", _("高新区")
    DEPARTMENT = "department", _("部门")
    PARK = "park", _("园区")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    GRID = "grid", _("网格")


# Which kinds may sit under which: 高新区 → 部门/园区/街道·镇 → 社区·村 → 网格.
ALLOWED_CHILD_KINDS: dict[str, set[str]] = {
    UnitKind.ZONE: {UnitKind.DEPARTMENT, UnitKind.PARK, UnitKind.STREET, UnitKind.TOWN},
    UnitKind.DEPARTMENT: {UnitKind.DEPARTMENT},
    UnitKind.PARK: {UnitKind.GRID},
    UnitKind.STREET: {UnitKind.COMMUNITY, UnitKind.GRID},
    UnitKind.TOWN: {UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.GRID},
    UnitKind.COMMUNITY: {UnitKind.GRID},
    UnitKind.VILLAGE: {UnitKind.GRID},
    UnitKind.GRID: set(),
}


class Unit(models.Model):
    """One node of the organisation tree.

    ``path`` is the materialised chain of ids ("/1/4/9/") so that "this unit and every
    unit below it" is one indexed prefix query on SQLite and PostgreSQL alike.
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("编码"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def subtree_filter(self, prefix: str = "unit") -> models.Q:
        """A Q matching rows whose ``prefix`` unit is this unit or any unit below it."""
        return models.Q(**{f"{prefix}__path__startswith": self.path})

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    def ancestors(self) -> list["Unit"]:
        ids = [int(x) for x in self.path.strip("/").split("/") if x][:-1]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]
