"""/api/enterprises — the enterprise registry (市场主体库).

Read: any staff member. Write and import: registry editors (an editor below zone level
only for enterprises of their own park). Field errors use the payload's field names.
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.errors import ApplicationError
from zonegov.core.industry import parse_industry_code
from zonegov.core.models import Enterprise, IndustryCode
from zonegov.core.selectors.enterprises import (
    enterprise_export_xlsx,
    enterprise_get_for,
    enterprise_history,
    enterprise_search,
    park_choices,
)
from zonegov.core.services.enterprises import (
    enterprise_create,
    enterprise_import_xlsx,
    enterprise_update,
    parse_date_text,
)
from zonegov.core.xlsx import XLSX_CONTENT_TYPE, xlsx_response

MAX_LIMIT = 200


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    kind: str
    kind_label: str
    legal_representative: str
    registered_address: str
    park: int | None = Field(None, description="属地单位编号（园区、街道或镇）")
    park_name: str
    industry: str | None = Field(None, description="GB/T 4754-2017 门类或大类代码")
    industry_name: str
    size: str
    size_label: str
    established_on: date | None
    contact_name: str
    contact_phone: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_park(obj: Enterprise) -> int | None:
        return obj.park_id

    @staticmethod
    def resolve_industry(obj: Enterprise) -> str | None:
        return obj.industry_id

    @staticmethod
    def resolve_kind_label(obj: Enterprise) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_size_label(obj: Enterprise) -> str:
        return str(obj.get_size_display()) if obj.size else ""

    @staticmethod
    def resolve_park_name(obj: Enterprise) -> str:
        return obj.park.name if obj.park_id else ""

    @staticmethod
    def resolve_industry_name(obj: Enterprise) -> str:
        return obj.industry.name if obj.industry_id else ""


class EnterprisePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EnterpriseOut]


# Text fields default to "" so that a missing field gets the service's Chinese message
# ("请填写名称。") rather than a generic schema error.
class EnterpriseIn(Schema):
    uscc: str = Field("", description="统一社会信用代码（18位，GB 32100 校验位）")
    name: str = ""
    kind: str = Field(
        "", description="类型代码：llc、joint_stock、sole、partnership、individual、…"
    )
    legal_representative: str = ""
    registered_address: str = ""
    park: int | None = Field(None, description="属地单位编号")
    industry: str | None = Field(None, description="GB/T 4754-2017 大类代码（如 38）或门类字母")
    size: str = Field("", description="large、medium、small、micro 或空")
    established_on: str | None = Field(None, description="YYYY-MM-DD", examples=["2020-01-31"])
    contact_name: str = ""
    contact_phone: str = ""


class EnterprisePatch(Schema):
    uscc: str | None = None
    name: str | None = None
    kind: str | None = None
    legal_representative: str | None = None
    registered_address: str | None = None
    park: int | None = None
    industry: str | None = None
    size: str | None = None
    established_on: str | None = Field(None, description="YYYY-MM-DD", examples=["2020-01-31"])
    contact_name: str | None = None
    contact_phone: str | None = None


class FieldChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class HistoryEntryOut(Schema):
    id: int
    at: datetime
    actor_name: str
    action: str
    action_label: str
    changes: list[FieldChangeOut]


class ImportProblemOut(Schema):
    row: int
    column: str
    message: str
    value: str


class ImportReportOut(Schema):
    strict: bool
    written: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    bad_rows: list[int]
    ignored_columns: list[str]
    errors: list[ImportProblemOut]


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Turn payload values into service arguments: park id → Unit, industry code →
    IndustryCode, date text → date. Unknown references are field errors."""
    errors: dict[str, list[str]] = {}
    values = {
        k: ("" if v is None and k not in {"park", "industry", "established_on"} else v)
        for k, v in data.items()
    }
    if values.get("park") is not None:
        park = park_choices().filter(pk=values["park"]).first()
        if park is None:
            errors["park"] = [_("找不到该园区/属地（编号 %(id)s）。") % {"id": values["park"]}]
        values["park"] = park
    if values.get("industry"):
        code = parse_industry_code(values["industry"])
        industry = IndustryCode.objects.filter(code=code).first() if code else None
        if industry is None:
            errors["industry"] = [_("不是 GB/T 4754-2017 的门类或大类代码（如 C 或 38）。")]
        values["industry"] = industry
    elif "industry" in values:
        values["industry"] = None
    if values.get("established_on"):
        try:
            values["established_on"] = parse_date_text(values["established_on"])
        except ValueError:
            errors["established_on"] = [_("日期无法识别，请写成 2020-01-31 的格式。")]
    elif "established_on" in values:
        values["established_on"] = None
    if errors:
        raise ApplicationError(_("市场主体信息有误，请按提示修改。"), field_errors=errors)
    return values


router = Router(tags=["enterprises"])


@router.get("", response={200: EnterprisePage, **ERRORS}, summary="Search the registry (staff)")
def list_enterprises(
    request,
    q: str = "",
    park: int | None = None,
    industry: str = "",
    kind: str = "",
    limit: int = 20,
    offset: int = 0,
):
    require_staff(request.auth)
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, min(offset, 10**9))
    results = enterprise_search(
        user=request.auth, query=q, park_id=park, industry=industry or None, kind=kind or None
    )
    return {
        "count": results.count(),
        "limit": limit,
        "offset": offset,
        "items": list(results[offset : offset + limit]),
    }


@router.get(
    "/export",
    response={200: None, **ERRORS},
    summary="The search as .xlsx (same columns as import)",
    openapi_extra={"responses": {200: {"content": {XLSX_CONTENT_TYPE: {}}}}},
)
def export_enterprises(
    request, q: str = "", park: int | None = None, industry: str = "", kind: str = ""
):
    require_staff(request.auth)
    results = enterprise_search(
        user=request.auth, query=q, park_id=park, industry=industry or None, kind=kind or None
    )
    return xlsx_response(
        enterprise_export_xlsx(results), f"市场主体_{timezone.localdate():%Y%m%d}.xlsx"
    )


@router.post(
    "/import",
    response={200: ImportReportOut, **ERRORS},
    summary="Import an .xlsx sheet (registry editors); returns every problem by row and column",
)
def import_enterprises(request, file: File[UploadedFile | None] = None, strict: Form[bool] = False):
    require_staff(request.auth)
    if file is None:
        message = _("请选择要导入的 .xlsx 文件。")
        raise ApplicationError(message, field_errors={"file": [message]})
    report = enterprise_import_xlsx(actor=request.auth, file=file, strict=strict)
    return {**report.__dict__, "bad_rows": report.bad_rows}


@router.post("", response={201: EnterpriseOut, **ERRORS}, summary="Register an enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    require_staff(request.auth)
    enterprise = enterprise_create(actor=request.auth, **_resolve(payload.dict()))
    return Status(201, enterprise)


@router.get("/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="One enterprise")
def get_enterprise(request, enterprise_id: int):
    require_staff(request.auth)
    return enterprise_get_for(request.auth, enterprise_id)


@router.patch(
    "/{enterprise_id}",
    response={200: EnterpriseOut, **ERRORS},
    summary="Change some fields (registry editors in scope)",
)
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    require_staff(request.auth)
    enterprise = enterprise_get_for(request.auth, enterprise_id)
    fields = _resolve(payload.dict(exclude_unset=True))
    return enterprise_update(actor=request.auth, enterprise=enterprise, **fields)


@router.get(
    "/{enterprise_id}/history",
    response={200: list[HistoryEntryOut], **ERRORS},
    summary="Edit history: who changed which field from what to what",
)
def enterprise_history_api(request, enterprise_id: int):
    require_staff(request.auth)
    return enterprise_history(enterprise_get_for(request.auth, enterprise_id))
