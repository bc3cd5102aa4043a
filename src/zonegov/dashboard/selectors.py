"""Reads of the dashboard: the registered sections (``core.kpis``) the user may see,
computed for a period, and the same figures as an .xlsx workbook."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zonegov.core import kpis
from zonegov.core.access import require_staff
from zonegov.core.kpis import MeasureKind, Period, Result, Section
from zonegov.core.xlsx import xlsx_bytes, xlsx_text, xlsx_workbook

NUMBER_FORMATS = {
    MeasureKind.COUNT: "0",
    MeasureKind.SHARE: "0.0%",
    MeasureKind.DAYS: "0.0",
    MeasureKind.HOURS: "0.0",
}


def visible_sections(user: Any) -> list[Section]:
    """The sections ``user`` may see; staff without any, applicants and the public are
    refused (403)."""
    require_staff(user)
    sections = kpis.sections_for(user)
    if not sections:
        raise PermissionDenied(_("您的角色无权查看统计分析。"))
    return sections


def dashboard_results(user: Any, period: Period, dimension: str) -> list[Result]:
    return [
        kpis.compute(section, user, period, dimension)
        for section in visible_sections(user)
        if dimension in section.dimensions
    ]


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(section: Section, dimension: str) -> str:
    title = f"{section.short_title}-{kpis.DIMENSIONS[dimension]}"
    return _SHEET_FORBIDDEN.sub("", title)[:31]


def _bold_row(ws: Any, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def export_xlsx(user: Any, period: Period) -> bytes:
    """Every section the user sees, one sheet per dimension (by kind, park, month), the
    same figures as the page; a first sheet names the period, scope and definitions."""
    sections = visible_sections(user)
    wb = xlsx_workbook()
    about = wb.active
    about.title = _("说明")
    about.append([_("统计分析")])
    about.append([_("统计期间"), period.date_from.isoformat(), period.date_to.isoformat()])
    about.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    about.append([])
    about.append([_("板块"), _("统计范围"), _("指标"), _("口径")])
    _bold_row(about, 5)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for section in sections:
        scope = section.scope_for(user)
        for m in section.measures:
            about.append(
                [
                    str(section.title),
                    xlsx_text(scope.label if scope else ""),
                    str(m.label),
                    str(m.help),
                ]
            )
        for dimension in section.dimensions:
            result = kpis.compute(section, user, period, dimension)
            ws = wb.create_sheet(_sheet_title(section, dimension))
            ws.append([f"{section.title} · {kpis.DIMENSIONS[dimension]}"])
            ws["A1"].font = Font(bold=True, size=13)
            ws.append(
                [_("统计期间"), period.label, _("统计范围"), xlsx_text(result.query.scope.label)]
            )
            header = [str(kpis.DIMENSION_COLUMNS[dimension])] + [
                str(m.label) for m in section.measures
            ]
            ws.append(header)
            for cell in ws[3]:
                cell.font = Font(bold=True)
                cell.fill = header_fill
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            rows = [*result.figures.rows, result.figures.total]
            for r in rows:
                ws.append([xlsx_text(r.label)] + [r.values.get(m.key) for m in section.measures])
                for col, m in enumerate(section.measures, start=2):
                    ws.cell(row=ws.max_row, column=col).number_format = NUMBER_FORMATS[m.kind]
            _bold_row(ws, ws.max_row)
            ws.freeze_panes = "B4"
            ws.column_dimensions["A"].width = 22
            for col in range(2, len(header) + 1):
                ws.column_dimensions[get_column_letter(col)].width = 14
    for col, width in zip("ABCD", (22, 26, 26, 70), strict=True):
        about.column_dimensions[col].width = width
    return xlsx_bytes(wb)
