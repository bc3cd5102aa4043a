"""The import page: upload, strict choice, error table by row and column, template."""

import re
from io import BytesIO

from openpyxl import load_workbook

from tests.core.enterprise_fixtures import HEADERS, make_uscc, row, upload, xlsx
from zonegov.core.models import Enterprise


def test_the_page_lists_the_errors_by_row_and_column_and_keeps_strict(cast, login):
    client = login(cast.officer)
    content = xlsx([row(1), row(2, 名称="", 联系电话="110")])
    response = client.post("/enterprises/import/", {"file": upload(content), "strict": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "请填写名称。" in html and "联系电话应为11位手机号" in html
    assert "严格模式" in html and "整个文件未导入" in html
    assert re.search(r'<input type="checkbox" name="strict"[^>]* checked', html)
    assert not Enterprise.objects.exists()


def test_without_strict_the_valid_rows_go_in(cast, login):
    client = login(cast.officer)
    content = xlsx([row(1), row(2, 名称="")])
    response = client.post("/enterprises/import/", {"file": upload(content)})
    html = response.content.decode()
    assert "新登记 1 家" in html
    assert "另有 1 行有错误" in html
    assert list(Enterprise.objects.values_list("uscc", flat=True)) == [make_uscc(1)]


def test_a_non_xlsx_upload_is_explained_on_the_form(cast, login):
    client = login(cast.officer)
    response = client.post(
        "/enterprises/import/", {"file": upload(b"name,uscc\n", "list.csv"), "strict": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "无法读取该文件：请上传 Excel .xlsx 文件" in html
    assert re.search(r'<input type="checkbox" name="strict"[^>]* checked', html)


def test_posting_without_a_file_is_explained(cast, login):
    response = login(cast.officer).post("/enterprises/import/", {})
    assert response.status_code == 200
    assert "请选择要导入的 .xlsx 文件。" in response.content.decode()


def test_the_page_explains_what_happens_to_existing_codes(cast, login):
    html = login(cast.officer).get("/enterprises/import/").content.decode()
    assert "已登记的，按表中内容更新该市场主体" in html


def test_the_template_has_the_export_columns(cast, login):
    response = login(cast.officer).get("/enterprises/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[0] == "市场主体"
    header = [c.value for c in next(workbook["市场主体"].iter_rows(max_row=1))]
    assert header == HEADERS
    assert "填写说明" in workbook.sheetnames and "行业代码" in workbook.sheetnames
