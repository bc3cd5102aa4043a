"""A 60 KB .xlsx holding 2,000,000 empty rows kept the import busy for 13 s before it
answered "no data" (penetration test). Import counts every row as it reads it, empty
ones included, and stops at a limit with a message; and what the file's zip members
inflate to is bounded before the spreadsheet parser opens it."""

import re
import zipfile
from io import BytesIO

import pytest

from tests.core.enterprise_fixtures import HEADERS, make_uscc, row, upload, xlsx
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Enterprise
from zonegov.core.services.enterprises import MAX_SHEET_ROWS, enterprise_import_xlsx
from zonegov.core.xlsx import XLSX_MAX_UNCOMPRESSED_BYTES

SHEET = "xl/worksheets/sheet1.xml"


def with_sheet_rows(
    rows_xml: bytes, *, dimension: str | None = "A1:L1", extra: dict[str, bytes] | None = None
) -> bytes:
    """A real workbook (header row) whose sheet XML is replaced: the header, then
    ``rows_xml``, the sheet's declared ``<dimension>`` (None: none); plus any ``extra``
    members."""
    source = zipfile.ZipFile(BytesIO(xlsx([])))
    declared = b"" if dimension is None else b'<dimension ref="%s"/>' % dimension.encode()
    sheet = re.sub(rb"<dimension [^>]*/>", declared, source.read(SHEET))
    head, _, tail = sheet.partition(b"</row>")
    body = head + b"</row>" + rows_xml + tail[tail.index(b"</sheetData>") :]
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, body if info.filename == SHEET else source.read(info))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def refusal(cast, content: bytes) -> str:
    with pytest.raises(ApplicationError) as refused:
        enterprise_import_xlsx(actor=cast.admin, file=content, strict=False)
    return refused.value.message


@pytest.mark.parametrize("dimension", ["A1:L2000001", None, "A1:L1"])
def test_it_stops_at_the_row_limit_in_two_million_empty_rows(cast, dimension):
    """Whatever size the sheet declares (the true one, none, a false small one)."""
    content = with_sheet_rows(b"<row/>" * 2_000_000, dimension=dimension)  # no "r": 2, 3, …
    assert len(content) < 60_000  # a small upload
    message = refusal(cast, content)
    assert f"表格超过 {MAX_SHEET_ROWS} 行（空行也计算在内）" in message
    assert f"已在第 {MAX_SHEET_ROWS + 1} 行停止读取" in message  # not at row 2,000,001
    assert "请删除多余的空行" in message


def test_it_stops_at_the_row_limit_when_one_cell_sits_far_below(cast):
    """A single cell at the sheet's last row: the reader yields every row above it."""
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    message = refusal(cast, with_sheet_rows(far, dimension="A1:L1048576"))
    assert f"表格超过 {MAX_SHEET_ROWS} 行（空行也计算在内），已在第 1048576 行停止读取" in message


def test_it_still_imports_data_followed_by_some_blank_rows(cast):
    blank = b"".join(b'<row r="%d"/>' % n for n in range(3, 3000))
    cells = b"".join(
        b'<c r="%s2" t="inlineStr"><is><t>%s</t></is></c>' % (col, v.encode())
        for col, v in zip((b"A", b"B", b"C", b"D", b"E"), row(1)[:5], strict=True)
    )
    content = with_sheet_rows(b'<row r="2">' + cells + b"</row>" + blank, dimension="A1:L2999")
    report = enterprise_import_xlsx(actor=cast.admin, file=content, strict=True)
    assert report.errors == [] and report.created == 1
    assert Enterprise.objects.filter(uscc=make_uscc(1)).exists()


def test_it_refuses_a_member_that_inflates_beyond_the_limit(cast):
    bomb = b"\0" * (XLSX_MAX_UNCOMPRESSED_BYTES + 1)
    content = with_sheet_rows(b"", extra={"xl/media/image1.png": bomb})
    assert len(content) < 200_000
    message = refusal(cast, content)
    assert "解压后超过 50 MB" in message


def test_it_refuses_an_archive_of_too_many_members(cast):
    extra = {f"xl/media/image{n}.png": b"" for n in range(1200)}
    assert "包含的部件过多" in refusal(cast, with_sheet_rows(b"", extra=extra))


def test_the_page_and_the_api_show_the_message(cast, login):
    content = with_sheet_rows(b"<row/>" * 30_000, dimension="A1:L30001")
    client = login(cast.officer)
    page = client.post("/enterprises/import/", {"file": upload(content)})
    assert page.status_code == 200
    assert "已在第" in page.content.decode() and "停止读取" in page.content.decode()
    api = client.post("/api/enterprises/import", {"file": upload(content)})
    assert api.status_code == 400
    assert "停止读取" in api.json()["message"]
    assert HEADERS[0] == "统一社会信用代码"


def test_it_refuses_a_row_of_a_million_cells(cast):
    wide = b'<row r="2">' + b"<c/>" * 1_200_000 + b"</row>"
    content = with_sheet_rows(wide, dimension="A1:L2")
    assert len(content) < 60_000
    assert "表格内容过多" in refusal(cast, content)
