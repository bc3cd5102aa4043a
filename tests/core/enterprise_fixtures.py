"""Helpers for the enterprise registry tests: valid codes, field sets, .xlsx files."""

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from stdnum.cn import uscc

from zonegov.core.models import Enterprise, Unit, User
from zonegov.core.selectors.enterprises import SHEET_COLUMNS
from zonegov.core.services.enterprises import enterprise_create

HEADERS = [c.header for c in SHEET_COLUMNS]


def make_uscc(n: int, *, entity: str = "1") -> str:
    """A valid code (GB 32100 check character) numbered ``n``; entity 1 企业, 2 个体工商户."""
    body = f"9{entity}410400MA5T{n:05d}"
    code = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(code)
    return code


def wrong_check_character(code: str) -> str:
    last = "0" if code[-1] != "0" else "1"
    bad = code[:-1] + last
    assert not uscc.is_valid(bad)
    return bad


def fields(n: int = 1, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uscc": make_uscc(n),
        "name": f"平顶山测试电气有限公司{n}",
        "kind": "llc",
        "legal_representative": "王测试",
        "registered_address": "平顶山市高新区测试路1号",
        "contact_name": "李联系",
        "contact_phone": "13912345678",
    }
    data.update(overrides)
    return data


def register(actor: User, n: int = 1, **overrides: Any) -> Enterprise:
    return enterprise_create(actor=actor, **fields(n, **overrides))


def row(n: int = 1, park: Unit | None = None, **overrides: Any) -> list[Any]:
    """One sheet row in the export's column order."""
    values = {
        "统一社会信用代码": make_uscc(n),
        "名称": f"导入测试有限公司{n}",
        "类型": "有限责任公司",
        "法定代表人/负责人": "赵导入",
        "住所": "平顶山市高新区导入路8号",
        "所属园区/属地": park.name if park else "",
        "行业代码": "38",
        "行业名称": "",
        "规模": "小型",
        "成立日期": "2020-01-31",
        "联系人": "钱联系",
        "联系电话": "0375-2345678",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "市场主体"
    ws.append(header if header is not None else HEADERS)
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "enterprises.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
