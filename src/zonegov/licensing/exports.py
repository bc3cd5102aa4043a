"""Spreadsheet exports of the licensing app (电子证照库, 到期证照): the rows come from the
selectors; every cell is written as text through ``core.xlsx``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from zonegov.core.xlsx import xlsx_bytes, xlsx_text_cell, xlsx_workbook
from zonegov.licensing.models import Licence
from zonegov.licensing.selectors import ExpiringMonth, library_rows


def _xlsx(title: str, headers: list[str], rows: Any) -> bytes:
    """A one-sheet workbook; every cell is text that cannot evaluate (a name starting with
    "=" never becomes a formula, a long code never a number), through ``core.xlsx``."""
    from openpyxl.styles import Font, PatternFill

    wb = xlsx_workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    head = []
    for text in headers:
        cell = xlsx_text_cell(ws, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        head.append(cell)
    ws.append(head)
    for values in rows:
        out = []
        for value in values:
            cell = xlsx_text_cell(ws, value)
            cell.number_format = "@"
            out.append(cell)
        ws.append(out)
    return xlsx_bytes(wb)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def library_export_xlsx(licences: QuerySet[Licence], *, today: date | None = None) -> bytes:
    """The search result as an .xlsx sheet, one row per licence."""
    with translation.override("zh-hans"):
        headers = [
            _("证照编号"),
            _("证照种类"),
            _("状态"),
            _("经营者名称"),
            _("统一社会信用代码（身份证号码）"),
            _("法定代表人（负责人）"),
            _("住所"),
            _("经营场所"),
            _("主体业态"),
            _("经营项目"),
            _("所属园区"),
            _("有效期自"),
            _("有效期至"),
            _("版本"),
            _("当前证书编号"),
            _("发证单位"),
        ]

        def rows() -> Any:
            chunk: list[Licence] = []
            for lic in licences.iterator(chunk_size=500):
                chunk.append(lic)
                if len(chunk) == 500:
                    yield from _library_cells(chunk, today)
                    chunk = []
            yield from _library_cells(chunk, today)

        return _xlsx(_("电子证照库"), headers, rows())


def _library_cells(chunk: list[Licence], today: date | None) -> Any:
    for row in library_rows(chunk, today=today):
        lic = row.licence
        yield [
            lic.number,
            lic.permit_kind.name,
            row.status_label,
            lic.operator_name,
            lic.holder_code,
            lic.legal_rep,
            lic.address,
            lic.premises_address,
            row.subject_type_name,
            "；".join(row.item_names),
            row.park_name,
            _iso(lic.valid_from),
            _iso(lic.valid_until),
            lic.version,
            row.certificate_number,
            row.unit_name,
        ]


def expiring_export_xlsx(groups: list[ExpiringMonth]) -> bytes:
    with translation.override("zh-hans"):
        headers = [
            _("到期月份"),
            _("证照编号"),
            _("证照种类"),
            _("经营者名称"),
            _("统一社会信用代码（身份证号码）"),
            _("经营场所"),
            _("有效期至"),
            _("延续申请期"),
            _("延续办理情况"),
        ]
        rows = [
            [
                g.month_label,
                r.licence.number,
                r.licence.permit_kind.name,
                r.licence.operator_name,
                r.licence.holder_code,
                r.licence.premises_address,
                _iso(r.licence.valid_until),
                f"{_iso(r.renewal_opens)} — {_iso(r.renewal_closes)}" if r.renewal_opens else "",
                r.renewal_label,
            ]
            for g in groups
            for r in g.rows
        ]
        return _xlsx(_("到期证照"), headers, rows)
