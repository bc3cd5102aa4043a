"""Export to .xlsx: the current search, in the columns import reads, so that an export
can be edited and imported again."""

from io import BytesIO

from openpyxl import load_workbook

from tests.core.enterprise_fixtures import HEADERS, make_uscc, register
from zonegov.core.models import AuditRecord, Enterprise, IndustryCode
from zonegov.core.selectors.enterprises import enterprise_export_xlsx
from zonegov.core.services.enterprises import enterprise_import_xlsx


def sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(BytesIO(content))["市场主体"]
    return [[c.value for c in r] for r in ws.iter_rows()]


def test_the_export_has_a_header_and_one_row_per_enterprise(cast):
    register(
        cast.admin, 1, park=cast.park, industry=IndustryCode.objects.get(code="38"), size="small"
    )
    rows = sheet_rows(enterprise_export_xlsx(Enterprise.objects.all()))
    assert rows[0] == HEADERS
    assert rows[1][:7] == [
        make_uscc(1),
        "平顶山测试电气有限公司1",
        "有限责任公司",
        "王测试",
        "平顶山市高新区测试路1号",
        "电气装备产业园区",
        "38",
    ]
    assert rows[1][7:9] == ["电气机械和器材制造业", "小型"]


def test_export_then_import_changes_nothing(cast):
    register(cast.admin, 1, park=cast.park, industry=IndustryCode.objects.get(code="C"))
    register(cast.admin, 2, size="micro", contact_phone="0375-2345678")
    register(cast.admin, 3, kind="individual", uscc=make_uscc(3, entity="2"), name="张记面馆")
    content = enterprise_export_xlsx(Enterprise.objects.all())
    before = AuditRecord.objects.count()
    report = enterprise_import_xlsx(actor=cast.admin, file=content, strict=True)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert AuditRecord.objects.count() == before


def test_an_edited_export_imports_as_updates_and_new_rows(cast):
    register(cast.admin, 1)
    wb = load_workbook(BytesIO(enterprise_export_xlsx(Enterprise.objects.all())))
    ws = wb["市场主体"]
    ws["B2"] = "改过名的电气有限公司"
    ws.append([make_uscc(5), "新增物流有限公司", "有限责任公司", "钱五", "临港路5号"])
    out = BytesIO()
    wb.save(out)
    report = enterprise_import_xlsx(actor=cast.admin, file=out.getvalue(), strict=True)
    assert (report.created, report.updated) == (1, 1), report.errors
    assert Enterprise.objects.get(uscc=make_uscc(1)).name == "改过名的电气有限公司"


def test_text_that_looks_like_a_formula_stays_text(cast):
    register(cast.admin, 1, name='=HYPERLINK("http://example.com","点我")')
    ws = load_workbook(BytesIO(enterprise_export_xlsx(Enterprise.objects.all())))["市场主体"]
    assert ws["B2"].data_type == "s"
    assert ws["B2"].value.startswith("=HYPERLINK")


def test_the_export_button_downloads_the_current_search(cast, login):
    register(cast.admin, 1, name="甲电气有限公司")
    register(cast.admin, 2, name="乙物流有限公司")
    response = login(cast.grid_worker).get("/enterprises/export.xlsx", {"q": "物流"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert [r[1] for r in rows[1:]] == ["乙物流有限公司"]


def test_a_control_character_in_a_stored_address_does_not_break_the_export(cast, login):
    """.xlsx cannot carry control characters: they are dropped, the rest exported."""
    enterprise = register(cast.admin, 1, name="甲电气有限公司")
    Enterprise.objects.filter(pk=enterprise.pk).update(registered_address="高新区\x0b测试路1号")
    response = login(cast.grid_worker).get("/enterprises/export.xlsx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert sheet_rows(response.content)[1][4] == "高新区测试路1号"
