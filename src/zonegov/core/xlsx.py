"""What every .xlsx export of the platform shares: the content type, the download
response, the workbook, and the rule for text cells.

Every export builds its workbook with :func:`xlsx_workbook` and turns it into bytes with
:func:`xlsx_bytes`; write-only workbooks (large exports) make their text cells with
:func:`xlsx_text_cell`. Text typed by people (a unit renamed ``=HYPERLINK(…)``, an
operator's name) must never become a live formula in the reader's spreadsheet
(OWASP "CSV injection"): text cells are written as strings (``t="inlineStr"``, never
``<f>``), and those starting with a character a spreadsheet would evaluate carry Excel's
``quotePrefix`` flag, so that editing the cell keeps it text too. The visible text is the
text as typed, and importing an exported sheet reads back exactly the same value.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zonegov.core.validation import without_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The leading characters a spreadsheet evaluates or treats as the start of a formula
# (OWASP CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def xlsx_text(value: Any) -> str:
    """A value as the text of a cell. The .xlsx format cannot carry control characters
    (openpyxl refuses them), so any an older record holds are dropped."""
    return "" if value is None else without_control_characters(str(value))


def xlsx_set_text(cell: Any, value: Any) -> None:
    """Make ``cell`` (a worksheet cell or a :class:`WriteOnlyCell`) hold ``value`` as text
    that cannot evaluate."""
    text = xlsx_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would store a str starting with "=" as a formula
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def xlsx_text_cell(ws: Any, value: Any) -> WriteOnlyCell:
    """A text cell for a write-only worksheet (``ws.append`` of a bare str would turn
    ``"=…"`` into a formula)."""
    cell = WriteOnlyCell(ws)
    xlsx_set_text(cell, value)
    return cell


def xlsx_workbook(*, write_only: bool = False) -> Workbook:
    """A new workbook for an export; save it with :func:`xlsx_bytes`."""
    return Workbook(write_only=write_only)


def xlsx_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes. Every str cell of a regular workbook is (re)written as
    text first, whichever way the export put it there; numbers and dates stay as they are.
    Write-only workbooks cannot be walked: their text cells come from
    :func:`xlsx_text_cell`."""
    if not wb.write_only:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        xlsx_set_text(cell, cell.value)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download; never cached (exports hold records of a user's scope)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
