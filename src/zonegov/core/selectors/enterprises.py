"""Reads of the enterprise registry (市场主体库): search, one enterprise, its edit history,
and the .xlsx sheet layout shared by export and import (an export can be re-imported)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from zonegov.core.models import AuditRecord, Enterprise, IndustryCode, Unit
from zonegov.core.models.enterprise import EnterpriseSize, EnterpriseType
from zonegov.core.models.org import UnitKind
from zonegov.core.selectors.audit import history_of
from zonegov.core.xlsx import xlsx_bytes, xlsx_set_text, xlsx_workbook

# An enterprise's 属地 is a park, a street or a town (the units that own territory).
PARK_KINDS: tuple[str, ...] = (UnitKind.PARK, UnitKind.STREET, UnitKind.TOWN)

# Fields a registry editor may set; the order is the order of the form and the history.
EDITABLE_FIELDS: tuple[str, ...] = (
    "uscc",
    "name",
    "kind",
    "legal_representative",
    "registered_address",
    "park",
    "industry",
    "size",
    "established_on",
    "contact_name",
    "contact_phone",
)


@dataclass(frozen=True)
class SheetColumn:
    """One column of the registry spreadsheet. ``header`` is fixed Chinese text, not
    translated: a file exported with the English UI must still import."""

    field: str
    header: str
    required: bool = False
    width: int = 16
    note: str = ""
    informational: bool = False  # written on export, ignored on import


SHEET_TITLE = "市场主体"
SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("uscc", "统一社会信用代码", True, 22, "18位，数字和大写字母（不含 I、O、Z、S、V）"),
    SheetColumn("name", "名称", True, 34),
    SheetColumn("kind", "类型", True, 14, "填写中文名称，见“可选值”表"),
    SheetColumn("legal_representative", "法定代表人/负责人", True, 16),
    SheetColumn("registered_address", "住所", True, 40),
    SheetColumn("park", "所属园区/属地", False, 20, "园区、街道或镇的名称，可留空"),
    SheetColumn("industry", "行业代码", False, 10, "GB/T 4754-2017 大类代码，如 38；或门类字母"),
    SheetColumn(
        "industry_name", "行业名称", False, 28, "导出时附带，导入时忽略", informational=True
    ),
    SheetColumn("size", "规模", False, 8, "大型、中型、小型、微型，可留空"),
    SheetColumn("established_on", "成立日期", False, 12, "如 2020-01-31，可留空"),
    SheetColumn("contact_name", "联系人", False, 12),
    SheetColumn("contact_phone", "联系电话", False, 16, "手机号或带区号的固定电话"),
)


def park_choices() -> QuerySet[Unit]:
    """Units an enterprise may belong to: active parks, streets and towns."""
    return Unit.objects.filter(kind__in=PARK_KINDS, is_active=True).order_by("path")


def industry_table() -> QuerySet[IndustryCode]:
    """Sections and divisions of GB/T 4754-2017, sections before their divisions."""
    return IndustryCode.objects.select_related("parent").order_by("code")


def enterprise_search(
    *,
    user: Any,
    query: str = "",
    park_id: int | None = None,
    industry: str | None = None,
    kind: str | None = None,
) -> QuerySet[Enterprise]:
    """Enterprises a staff member may see (all of them: the registry is shared by the
    zone), by name (contains) or USCC (prefix), 属地 (with the units below it), industry
    (a division, or a section with all its divisions) and type."""
    if not user.has_perm("core.view_enterprise"):
        return Enterprise.objects.none()
    qs = Enterprise.objects.select_related("park", "industry")
    query = (query or "").strip()
    if query:
        compact = query.replace(" ", "").replace("-", "").upper()
        qs = qs.filter(Q(name__icontains=query) | Q(uscc__startswith=compact))
    if park_id:
        park = Unit.objects.filter(pk=park_id).first()
        qs = qs.filter(park__path__startswith=park.path) if park else qs.none()
    if industry:
        code = industry.strip().upper()
        qs = qs.filter(Q(industry_id=code) | Q(industry__parent_id=code))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name", "pk")


def enterprise_get_for(user: Any, pk: int) -> Enterprise:
    """One enterprise for a staff member; PermissionDenied for anyone else, Http404 when
    there is no such enterprise."""
    if not user.has_perm("core.view_enterprise"):
        raise PermissionDenied(_("市场主体库仅供工作人员查看。"))
    enterprise = Enterprise.objects.select_related("park", "industry").filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


# --- edit history ---------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    id: int
    at: datetime
    actor_name: str
    action: str
    action_label: str
    changes: list[FieldChange] = field(default_factory=list)


ACTION_LABELS = {
    "enterprise.create": gettext_lazy("登记"),
    "enterprise.update": gettext_lazy("修改"),
}


def _field_label(name: str) -> str:
    try:
        return str(Enterprise._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _display(name: str, value: Any, units: dict[int, Unit], codes: dict[str, IndustryCode]) -> str:
    if value in (None, ""):
        return ""
    if name == "kind":
        return str(dict(EnterpriseType.choices).get(value, value))
    if name == "size":
        return str(dict(EnterpriseSize.choices).get(value, value))
    if name == "park":
        unit = units.get(value) if isinstance(value, int) else None
        return unit.name if unit else f"#{value}"
    if name == "industry":
        code = codes.get(str(value))
        return str(code) if code else str(value)
    return str(value)


def _pairs(record: AuditRecord) -> list[tuple[str, Any, Any]]:
    """(field, before, after) from a create snapshot or an update diff."""
    out = []
    for name, value in (record.changes or {}).items():
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            out.append((name, value["before"], value["after"]))
        else:
            out.append((name, None, value))
    order = {name: i for i, name in enumerate(EDITABLE_FIELDS)}
    return sorted(out, key=lambda p: order.get(p[0], len(order)))


def enterprise_history(enterprise: Enterprise) -> list[HistoryEntry]:
    """Who changed what, when, from what to what — newest first, in the user's words
    (field verbose names, choice labels, unit and industry names)."""
    records = list(history_of(enterprise))
    pairs = {r.pk: _pairs(r) for r in records}
    unit_ids = {v for ps in pairs.values() for n, b, a in ps if n == "park" for v in (b, a) if v}
    units = Unit.objects.in_bulk([i for i in unit_ids if isinstance(i, int)])
    codes = IndustryCode.objects.in_bulk()
    entries = []
    for record in records:
        changes = [
            FieldChange(
                field=name,
                label=_field_label(name),
                before=_display(name, before, units, codes),
                after=_display(name, after, units, codes),
            )
            for name, before, after in pairs[record.pk]
            if name in EDITABLE_FIELDS and (before not in (None, "") or after not in (None, ""))
        ]
        entries.append(
            HistoryEntry(
                id=record.pk,
                at=record.at,
                actor_name=record.actor_name,
                action=record.action,
                action_label=str(ACTION_LABELS.get(record.action, record.action)),
                changes=changes,
            )
        )
    return entries


# --- spreadsheet ----------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)


def cell_text(enterprise: Enterprise, column: SheetColumn) -> str:
    """The text of one cell, as import reads it back."""
    if column.field == "kind":
        return str(EnterpriseType(enterprise.kind).label) if enterprise.kind else ""
    if column.field == "size":
        return str(EnterpriseSize(enterprise.size).label) if enterprise.size else ""
    if column.field == "park":
        return enterprise.park.name if enterprise.park_id else ""
    if column.field == "industry":
        return enterprise.industry_id or ""
    if column.field == "industry_name":
        return enterprise.industry.name if enterprise.industry_id else ""
    if column.field == "established_on":
        value: date | None = enterprise.established_on
        return value.isoformat() if value else ""
    return str(getattr(enterprise, column.field) or "")


def _text_cell(ws: Any, row: int, col: int, value: str) -> None:
    cell = ws.cell(row=row, column=col)
    # Always text: a name starting with "=" must not become a formula in the reader's
    # Excel (core.xlsx), and a long code must not become a number in scientific notation.
    xlsx_set_text(cell, value)
    cell.number_format = "@"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _workbook(enterprises: Any) -> bytes:
    with translation.override("zh-hans"):
        wb = xlsx_workbook()
        ws = wb.active
        ws.title = SHEET_TITLE
        for i, column in enumerate(SHEET_COLUMNS, start=1):
            cell = ws.cell(row=1, column=i, value=column.header)
            cell.font = REQUIRED_FONT if column.required else HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            letter = _column_letter(i)
            ws.column_dimensions[letter].width = column.width
            ws.column_dimensions[letter].number_format = "@"
        ws.freeze_panes = "A2"
        row = 1
        for row, enterprise in enumerate(enterprises, start=2):
            for i, column in enumerate(SHEET_COLUMNS, start=1):
                _text_cell(ws, row, i, cell_text(enterprise, column))

        _options_sheet(wb, ws, last_row=max(row, 1) + 1000)
        _help_sheet(wb)
        return xlsx_bytes(wb)


def _options_sheet(wb: Workbook, ws: Any, *, last_row: int) -> None:
    """Allowed values on their own sheet, and drop-down lists on the data columns."""
    opts = wb.create_sheet("可选值")
    lists = {
        "kind": [str(label) for _v, label in EnterpriseType.choices],
        "size": [str(label) for _v, label in EnterpriseSize.choices],
        "park": list(park_choices().values_list("name", flat=True)),
    }
    headers = {"kind": "类型", "size": "规模", "park": "所属园区/属地"}
    for col, (key, values) in enumerate(lists.items(), start=1):
        opts.cell(row=1, column=col, value=headers[key]).font = HEADER_FONT
        for r, value in enumerate(values, start=2):
            _text_cell(opts, r, col, value)
        opts.column_dimensions[_column_letter(col)].width = 22
        if not values:
            continue
        target = next(i for i, c in enumerate(SHEET_COLUMNS, start=1) if c.field == key)
        letter = _column_letter(col)
        dv = DataValidation(
            type="list",
            formula1=f"'可选值'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="不在可选范围内",
            error="请从下拉列表中选择。",
        )
        ws.add_data_validation(dv)
        dv.add(f"{_column_letter(target)}2:{_column_letter(target)}{last_row}")

    codes = wb.create_sheet("行业代码")
    for c, title in enumerate(("代码", "名称", "层级"), start=1):
        codes.cell(row=1, column=c, value=title).font = HEADER_FONT
    for r, code in enumerate(industry_table(), start=2):
        _text_cell(codes, r, 1, code.code)
        _text_cell(codes, r, 2, code.name)
        _text_cell(codes, r, 3, "门类" if code.level == IndustryCode.Level.SECTION else "大类")
    codes.column_dimensions["B"].width = 40


def _help_sheet(wb: Workbook) -> None:
    sheet = wb.create_sheet("填写说明")
    lines = [
        "市场主体导入说明",
        "1. 在“市场主体”表中从第2行起每行填写一家市场主体，不要修改第1行的列名。",
        "2. 红色列名为必填项；其余可留空。",
        "3. 统一社会信用代码已在系统中登记的，导入时按表中内容更新该市场主体（仅限您有权修改的）；"
        "表中没有的列不会改动，有该列但单元格为空的，会清空该项。",
        "4. 导入前会逐行检查全部内容，并一次列出所有错误（行号、列名、原因）。"
        "选择“严格模式”时，只要有一行出错就不导入任何数据；否则只导入无误的行。",
        "5. “行业名称”列仅供阅读，导入时以“行业代码”为准。",
        "",
        "列名\t必填\t说明",
    ]
    lines += [f"{c.header}\t{'是' if c.required else '否'}\t{c.note}" for c in SHEET_COLUMNS]
    for r, line in enumerate(lines, start=1):
        for c, part in enumerate(line.split("\t"), start=1):
            _text_cell(sheet, r, c, part)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["C"].width = 50


def enterprise_export_xlsx(queryset: QuerySet[Enterprise]) -> bytes:
    """The enterprises as an .xlsx workbook with the same columns import reads."""
    return _workbook(queryset.select_related("park", "industry").iterator(chunk_size=1000))


def enterprise_template_xlsx() -> bytes:
    """An empty import template: the header row, drop-down lists and instructions."""
    return _workbook([])
