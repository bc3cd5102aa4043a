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

import re
import zipfile
from io import BytesIO
from typing import IO, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zonegov.core.downloads import content_disposition
from zonegov.core.errors import ApplicationError
from zonegov.core.validation import without_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Reading an uploaded .xlsx is bounded before any spreadsheet parser opens it (a 60 KB
# file can hold millions of rows, and openpyxl reads a whole sheet at load time when the
# sheet does not declare its size). What the zip members inflate to is bounded by their
# declared sizes (Python's zipfile never inflates a member beyond them: a larger member
# fails its CRC check); then each member is streamed once, counting its rows (by their
# numbers, empty ones included) and its markup, and reading stops at the first limit.
XLSX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_MARKUP_PER_PART = 1_000_000  # elements in one XML part (a 5,000-row sheet: ~250k)
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)")
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d{1,9})["']""")
_CHUNK = 1024 * 1024

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


def xlsx_row_limit_error(max_rows: int, row: int) -> ApplicationError:
    """The refusal of a sheet with more than ``max_rows`` rows, stopped at ``row``."""
    return ApplicationError(
        _(
            "表格超过 %(n)d 行（空行也计算在内），已在第 %(row)d 行停止读取。"
            "请删除多余的空行和不需要导入的工作表，或把文件拆分后分批导入。"
        )
        % {"n": max_rows, "row": row}
    )


def _too_large() -> ApplicationError:
    return ApplicationError(
        _(
            "该 .xlsx 文件解压后超过 %(mb)d MB（或包含的部件过多），无法导入。"
            "请删除多余的工作表、图片和空行后重新保存，或把数据拆分后分批导入。"
        )
        % {"mb": XLSX_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
    )


def _scan_part(stream: IO[bytes], *, max_rows: int) -> None:
    """Stream one XML part: refuse it at its first row beyond ``max_rows`` or once its
    markup exceeds ``XLSX_MAX_MARKUP_PER_PART``."""
    row = 0
    markup = 0
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer = tail + chunk
        if chunk:  # keep a tag cut by the chunk boundary for the next round
            cut = buffer.rfind(b"<")
            buffer, tail = (buffer[:cut], buffer[cut:]) if cut > 0 else (buffer, b"")
        markup += buffer.count(b"<") - buffer.count(b"</")
        if markup > XLSX_MAX_MARKUP_PER_PART:
            raise ApplicationError(
                _(
                    "表格内容过多（单个工作表超过 %(n)d 个单元格或行），无法导入。"
                    "请删除多余的行、列和工作表，或把数据拆分后分批导入。"
                )
                % {"n": XLSX_MAX_MARKUP_PER_PART}
            )
        for match in _ROW_TAG.finditer(buffer):
            number = _ROW_NUMBER.search(match.group(1))
            row = int(number.group(1)) if number else row + 1
            if row > max_rows:
                raise xlsx_row_limit_error(max_rows, row)
        if not chunk:
            return


def xlsx_check_archive(file: IO[bytes], *, max_rows: int) -> None:
    """Refuse, with a message, an uploaded .xlsx that would cost more to read than any
    sheet of ``max_rows`` rows: more than ``XLSX_MAX_MEMBERS`` parts, parts inflating
    beyond ``XLSX_MAX_UNCOMPRESSED_BYTES`` in all, a sheet with a row beyond ``max_rows``
    (empty rows count), or an XML part of more than ``XLSX_MAX_MARKUP_PER_PART`` elements.
    Leaves ``file`` at its start."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            inflated = sum(m.file_size for m in members)
            if len(members) > XLSX_MAX_MEMBERS or inflated > XLSX_MAX_UNCOMPRESSED_BYTES:
                raise _too_large()
            for member in members:  # every part, whatever its name: a sheet can be anywhere
                with archive.open(member) as stream:
                    _scan_part(stream, max_rows=max_rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ApplicationError(
            _("无法读取该文件：请上传 Excel .xlsx 文件（可下载导入模板填写）。")
        ) from exc
    finally:
        file.seek(0)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download; never cached (exports hold records of a user's scope)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition("attachment", filename, ".xlsx")
    response["Cache-Control"] = "private, no-store"
    return response
