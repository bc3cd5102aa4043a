"""Import from .xlsx: every row is checked, all problems are listed by row and column in
one pass, and either all valid rows go in or (strict) nothing does — never half a row."""

import pytest

from tests.conftest import make_unit
from tests.core.enterprise_fixtures import (
    HEADERS,
    make_uscc,
    register,
    row,
    wrong_check_character,
    xlsx,
)
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import AuditRecord, Enterprise
from zonegov.core.models.org import UnitKind
from zonegov.core.services.enterprises import enterprise_import_xlsx


def problems(report) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def mixed_file(cast) -> bytes:
    return xlsx(
        [
            row(1, park=cast.park),  # row 2: fine
            row(2, **{"统一社会信用代码": wrong_check_character(make_uscc(2)), "类型": "国企"}),
            row(3),  # row 4: fine
            row(4, **{"名称": "", "成立日期": "去年", "联系电话": "12345"}),
            row(5, **{"所属园区/属地": "月球园区", "行业代码": "99", "规模": "超大"}),
        ]
    )


def test_it_lists_every_bad_row_and_column_in_one_pass(cast):
    report = enterprise_import_xlsx(actor=cast.admin, file=mixed_file(cast), strict=True)
    assert problems(report) == {
        (3, "统一社会信用代码"),
        (3, "类型"),
        (5, "名称"),
        (5, "成立日期"),
        (5, "联系电话"),
        (6, "所属园区/属地"),
        (6, "行业代码"),
        (6, "规模"),
    }
    assert report.bad_rows == [3, 5, 6]
    by_cell = {(e.row, e.column): e for e in report.errors}
    assert by_cell[3, "统一社会信用代码"].message == (
        "统一社会信用代码校验位不正确（GB 32100），请核对最后一位。"
    )
    assert by_cell[3, "类型"].value == "国企"
    assert "有限责任公司" in by_cell[3, "类型"].message  # says what is allowed
    assert "电气装备产业园区" in by_cell[6, "所属园区/属地"].message
    assert by_cell[5, "名称"].message == "请填写名称。"


def test_strict_mode_writes_nothing_when_any_row_is_bad(cast):
    report = enterprise_import_xlsx(actor=cast.admin, file=mixed_file(cast), strict=True)
    assert not report.written
    assert (report.created, report.updated) == (0, 0)
    assert not Enterprise.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="enterprise.").exists()


def test_non_strict_mode_writes_only_the_valid_rows(cast):
    report = enterprise_import_xlsx(actor=cast.admin, file=mixed_file(cast), strict=False)
    assert report.written
    assert report.created == 2
    assert sorted(Enterprise.objects.values_list("uscc", flat=True)) == sorted(
        [make_uscc(1), make_uscc(3)]
    )
    first = Enterprise.objects.get(uscc=make_uscc(1))
    assert first.park == cast.park
    assert first.industry_id == "38"
    assert first.size == "small"
    assert str(first.established_on) == "2020-01-31"
    assert first.contact_phone == "0375-2345678"
    # each row is audited like an edit on the page, plus one summary of the import
    assert AuditRecord.objects.filter(action="enterprise.create").count() == 2
    summary = AuditRecord.objects.get(action="enterprise.import")
    assert summary.changes["created"] == 2 and summary.changes["rejected_rows"] == 3


def test_strict_mode_writes_everything_when_all_rows_are_good(cast):
    report = enterprise_import_xlsx(
        actor=cast.admin, file=xlsx([row(1), row(2), row(3)]), strict=True
    )
    assert report.written and report.created == 3 and not report.errors


def test_a_code_twice_in_the_file_is_reported_on_the_second_row(cast):
    report = enterprise_import_xlsx(
        actor=cast.admin, file=xlsx([row(1), row(2), row(1, 名称="重复的")]), strict=False
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "统一社会信用代码", "与第 2 行的统一社会信用代码重复。")
    ]
    assert report.created == 2


def test_an_existing_code_updates_that_enterprise(cast):
    enterprise = register(cast.admin, 1, name="旧名称有限公司", contact_phone="13912345678")
    report = enterprise_import_xlsx(
        actor=cast.admin, file=xlsx([row(1, 名称="新名称有限公司")]), strict=True
    )
    assert (report.created, report.updated) == (0, 1)
    enterprise.refresh_from_db()
    assert enterprise.name == "新名称有限公司"
    assert enterprise.contact_phone == "0375-2345678"
    update = AuditRecord.objects.get(action="enterprise.update")
    assert update.changes["name"] == {"before": "旧名称有限公司", "after": "新名称有限公司"}


def test_columns_missing_from_the_file_are_left_alone(cast):
    enterprise = register(cast.admin, 1, contact_name="原联系人")
    header = ["统一社会信用代码", "名称", "类型", "法定代表人/负责人", "住所"]
    report = enterprise_import_xlsx(
        actor=cast.admin,
        file=xlsx([[make_uscc(1), "改名有限公司", "有限责任公司", "王测试", "新地址"]], header),
        strict=True,
    )
    assert report.updated == 1
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.contact_name) == ("改名有限公司", "原联系人")


def test_an_unchanged_row_is_counted_but_not_written(cast):
    register(cast.admin, 1, **{"name": "导入测试有限公司1"})
    first = enterprise_import_xlsx(actor=cast.admin, file=xlsx([row(1)]), strict=True)
    assert first.updated == 1
    again = enterprise_import_xlsx(actor=cast.admin, file=xlsx([row(1)]), strict=True)
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_park_officer_cannot_import_into_another_park(cast):
    other = make_unit("临港物流产业园区", "lgwl", UnitKind.PARK, cast.zone)
    theirs = register(cast.admin, 9, park=other)
    report = enterprise_import_xlsx(
        actor=cast.park_officer,
        file=xlsx([row(1, park=cast.park), row(2, park=other), row(9, park=cast.park)]),
        strict=False,
    )
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "所属园区/属地"),
        (4, "统一社会信用代码"),
    }
    assert report.created == 1
    theirs.refresh_from_db()
    assert theirs.park == other


def test_roles_that_may_not_register_cannot_import(cast):
    with pytest.raises(PermissionRefused):
        enterprise_import_xlsx(actor=cast.grid_worker, file=xlsx([row(1)]), strict=False)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"uscc,name\n91410400MA9F8U6X33,x\n", "请上传 Excel .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
        (b"PK\x03\x04 this is not really a zip", "请上传 Excel .xlsx 文件"),
        (b"", "空的"),
    ],
    ids=["csv", "old-xls", "broken-zip", "empty"],
)
def test_a_file_that_is_not_xlsx_gets_a_clear_message(cast, content, expected):
    with pytest.raises(ApplicationError) as exc:
        enterprise_import_xlsx(actor=cast.admin, file=content, strict=False)
    assert expected in exc.value.message


def test_a_zip_that_is_not_a_workbook_gets_a_clear_message(cast):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ApplicationError) as exc:
        enterprise_import_xlsx(actor=cast.admin, file=buffer.getvalue(), strict=False)
    assert "请上传 Excel .xlsx 文件" in exc.value.message


def test_a_sheet_without_data_rows_is_explained(cast):
    with pytest.raises(ApplicationError) as exc:
        enterprise_import_xlsx(actor=cast.admin, file=xlsx([]), strict=False)
    assert "没有数据" in exc.value.message


def test_wrong_column_names_stop_the_import_and_are_listed(cast):
    header = ["统一社会信用代码", "企业名称", "类型", "法定代表人/负责人", "住所", "序号"]
    report = enterprise_import_xlsx(
        actor=cast.admin,
        file=xlsx([[make_uscc(1), "x", "有限责任公司", "a", "b", 1]], header),
        strict=False,
    )
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(1, "名称")]
    assert report.ignored_columns == ["企业名称", "序号"]
    assert not Enterprise.objects.exists()


def test_cells_typed_as_numbers_and_dates_are_read(cast):
    from datetime import datetime

    report = enterprise_import_xlsx(
        actor=cast.admin,
        file=xlsx([row(1, 行业代码=38, 成立日期=datetime(2019, 5, 4), 联系电话=13912345678)]),
        strict=True,
    )
    assert report.created == 1, report.errors
    enterprise = Enterprise.objects.get()
    assert (enterprise.industry_id, str(enterprise.established_on)) == ("38", "2019-05-04")
    assert enterprise.contact_phone == "13912345678"


def test_a_code_that_excel_turned_into_a_number_is_explained(cast):
    report = enterprise_import_xlsx(
        actor=cast.admin, file=xlsx([row(1, 统一社会信用代码=9.14104001234568e17)]), strict=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "统一社会信用代码")]
    assert "文本" in report.errors[0].message


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(cast):
    blank = [None] * len(HEADERS)
    report = enterprise_import_xlsx(
        actor=cast.admin, file=xlsx([row(1), blank, row(2, 名称="")]), strict=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(4, "名称")]
    assert report.rows == 2
