"""Writes to the enterprise registry (市场主体库): register, edit, import from .xlsx.

Every write checks the actor's permission (``core.add_enterprise`` /
``core.change_enterprise``), validates the whole record (all problems at once, keyed by
field), runs in a transaction and appends an audit record with what changed.
"""

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from zonegov.core.errors import (
    ApplicationError,
    PermissionRefused,
    field_errors_from_validation_error,
)
from zonegov.core.identifiers import MOBILE_RE, normalize_uscc, validate_uscc
from zonegov.core.industry import parse_industry_code
from zonegov.core.models import Enterprise, IndustryCode, Unit, User
from zonegov.core.models.enterprise import EnterpriseSize, EnterpriseType
from zonegov.core.selectors.enterprises import (
    EDITABLE_FIELDS,
    PARK_KINDS,
    SHEET_COLUMNS,
    SHEET_TITLE,
    SheetColumn,
    park_choices,
)
from zonegov.core.services.audit import audit_append, diff, model_snapshot
from zonegov.core.xlsx import xlsx_check_archive, xlsx_row_limit_error

LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")

# GB 32100-2015: the first character is the registering authority (9 = 市场监管/工商) and
# the second the kind of entity it registered: 1 企业, 2 个体工商户, 3 农民专业合作社.
# Codes of other authorities (1 机构编制, 5 民政, …) are not checked against the type.
USCC_KIND_BY_PREFIX = {"92": EnterpriseType.INDIVIDUAL_BUSINESS, "93": EnterpriseType.COOPERATIVE}

REQUIRED_FIELDS = ("uscc", "name", "kind", "legal_representative", "registered_address")
TEXT_FIELDS = (
    "uscc",
    "name",
    "kind",
    "legal_representative",
    "registered_address",
    "size",
    "contact_name",
    "contact_phone",
)


def validate_contact_phone(value: str) -> str:
    """A mobile number, or a landline with its area code (0375-2345678, 037512345678)."""
    number = re.sub(r"[\s()（）]", "", value or "").replace("—", "-")
    if MOBILE_RE.match(number) or LANDLINE_RE.match(number):
        return number
    raise ValidationError(
        _("联系电话应为11位手机号，或带区号的固定电话（如 0375-2345678）。"), code="phone"
    )


def parse_date_text(value: str) -> date:
    """Dates as people write them: 2020-01-31, 2020/1/31, 2020.1.31, 2020年1月31日, 20200131."""
    text = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _validation_errors(
    enterprise: Enterprise, *, check_unique: bool = True
) -> dict[str, list[str]]:
    """Every problem of the record at once, keyed by field. Normalises the USCC in place."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in TEXT_FIELDS:
        setattr(enterprise, name, (getattr(enterprise, name) or "").strip())
    required_messages = {
        "uscc": _("请填写统一社会信用代码。"),
        "name": _("请填写名称。"),
        "kind": _("请选择类型。"),
        "legal_representative": _("请填写法定代表人/负责人。"),
        "registered_address": _("请填写住所。"),
    }
    for name in REQUIRED_FIELDS:
        if not getattr(enterprise, name):
            add(name, required_messages[name])

    if enterprise.uscc:
        try:
            enterprise.uscc = validate_uscc(enterprise.uscc)
        except ValidationError as exc:
            for message in exc.messages:
                add("uscc", message)
        else:
            if (
                check_unique
                and Enterprise.objects.filter(uscc=enterprise.uscc)
                .exclude(pk=enterprise.pk)
                .exists()
            ):
                other = Enterprise.objects.get(uscc=enterprise.uscc)
                add("uscc", _("该统一社会信用代码已登记为“%(name)s”。") % {"name": other.name})

    if enterprise.kind and enterprise.kind not in EnterpriseType.values:
        add("kind", _("类型不在可选范围内。"))
    elif enterprise.kind and "uscc" not in errors:
        expected = USCC_KIND_BY_PREFIX.get(enterprise.uscc[:2])
        if expected and enterprise.kind != expected:
            add(
                "kind",
                _("统一社会信用代码以%(p)s开头的是%(kind)s，请核对类型或代码。")
                % {"p": enterprise.uscc[:2], "kind": expected.label},
            )
        prefix = {k: p for p, k in USCC_KIND_BY_PREFIX.items()}.get(enterprise.kind)
        if not expected and prefix and enterprise.uscc[:1] == "9":
            add(
                "kind",
                _("%(kind)s的统一社会信用代码应以%(p)s开头，请核对类型或代码。")
                % {"kind": EnterpriseType(enterprise.kind).label, "p": prefix},
            )

    if enterprise.size and enterprise.size not in EnterpriseSize.values:
        add("size", _("规模不在可选范围内。"))
    if enterprise.park_id is not None and enterprise.park.kind not in PARK_KINDS:
        add("park", _("所属园区/属地只能是园区、街道或镇。"))
    if enterprise.established_on and enterprise.established_on > timezone.localdate():
        add("established_on", _("成立日期不能晚于今天。"))
    if enterprise.contact_phone:
        try:
            enterprise.contact_phone = validate_contact_phone(enterprise.contact_phone)
        except ValidationError as exc:
            add("contact_phone", exc.messages[0])

    # Lengths and anything else the model declares, for the fields not already refused.
    try:
        # park and industry are instances the caller resolved; skip their existence query.
        enterprise.full_clean(
            exclude=[*errors, "park", "industry", "created_at", "updated_at"],
            validate_unique=False,
        )
    except ValidationError as exc:
        for name, messages in field_errors_from_validation_error(exc).items():
            for message in messages:
                add(name, message)
    return errors


def _refuse_if_invalid(enterprise: Enterprise) -> None:
    errors = _validation_errors(enterprise)
    if errors:
        raise ApplicationError(_("市场主体信息有误，请按提示修改。"), field_errors=errors)


def _check_scope(actor: User, enterprise: Enterprise) -> None:
    if not actor.has_perm("core.change_enterprise", enterprise):
        message = _("您只能登记或修改本园区（属地）的市场主体。")
        raise PermissionRefused(message, field_errors={"park": [message]})


def _save(enterprise: Enterprise) -> None:
    """Save; a code registered by someone else a moment ago is a field error, not a 500."""
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as exc:
        message = _("该统一社会信用代码刚刚已被登记，请刷新后核对。")
        raise ApplicationError(message, field_errors={"uscc": [message]}) from exc


def _snapshot(enterprise: Enterprise) -> dict[str, Any]:
    return model_snapshot(enterprise, fields=list(EDITABLE_FIELDS))


@transaction.atomic
def enterprise_create(
    *,
    actor: User,
    uscc: str,
    name: str,
    kind: str,
    legal_representative: str,
    registered_address: str,
    park: Unit | None = None,
    industry: IndustryCode | None = None,
    size: str = "",
    established_on: date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Enterprise:
    """Register a market entity. Registry editors only; an editor below zone level only
    within their own park (属地)."""
    if not actor.has_perm("core.add_enterprise"):
        raise PermissionRefused(_("您的角色无权登记市场主体。"))
    enterprise = Enterprise(
        uscc=uscc,
        name=name,
        kind=kind,
        legal_representative=legal_representative,
        registered_address=registered_address,
        park=park,
        industry=industry,
        size=size,
        established_on=established_on,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    _refuse_if_invalid(enterprise)
    _check_scope(actor, enterprise)
    _save(enterprise)
    audit_append(
        actor=actor, action="enterprise.create", obj=enterprise, changes=_snapshot(enterprise)
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **fields: Any) -> Enterprise:
    """Change some fields of an enterprise (those named; ``park``/``industry`` are model
    instances or None). Returns the saved enterprise; no audit record when nothing changed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"enterprise_update() got unknown fields: {sorted(unknown)}")
    # Lock the row and start from what is stored, so two editors cannot overwrite each
    # other's changes without both appearing in the history.
    current = (
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("park")
        .get(pk=enterprise.pk)
    )
    if not actor.has_perm("core.change_enterprise", current):
        raise PermissionRefused(_("您无权修改该市场主体（仅限本园区/属地的市场主体）。"))
    before = _snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _refuse_if_invalid(current)
    _check_scope(actor, current)
    after = _snapshot(current)
    changes = diff(before, after)
    if not changes:
        return current
    _save(current)
    audit_append(actor=actor, action="enterprise.update", obj=current, changes=changes)
    return current


# --- import from .xlsx ----------------------------------------------------------------

MAX_IMPORT_ROWS = 5000
# Rows read from the sheet, empty ones included (openpyxl yields every row up to the last
# one the file names, however empty): reading stops here, whatever the file declares.
# Leaves room for the header and blank rows a spreadsheet program leaves behind.
MAX_SHEET_ROWS = 2 * MAX_IMPORT_ROWS
# Columns read per row: the sheet has a dozen; ledgers add a few (序号, 备注).
MAX_IMPORT_COLUMNS = 100


@dataclass
class ImportProblem:
    """One problem of an imported sheet: Excel row number (the header is row 1), column
    header, what is wrong, and what the cell held."""

    row: int
    column: str
    message: str
    value: str = ""


@dataclass
class ImportReport:
    strict: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row > 1})

    @property
    def header_errors(self) -> bool:
        return any(e.row == 1 for e in self.errors)

    @property
    def valid_rows(self) -> int:
        return self.rows - len(self.bad_rows)


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    existing: Enterprise | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    failed_columns: set[str] = field(default_factory=set)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _sniff(head: bytes) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _(
            "这是旧版 Excel（.xls）或加密的文件。"
            "请在 Excel 中“另存为” .xlsx 格式（不设密码）后再上传。"
        )
    return _("无法读取该文件：请上传 Excel .xlsx 文件（可下载导入模板填写）。")


def _read_rows(file: Any) -> tuple[list[str], list[tuple[int, tuple]]]:
    """The header texts and the non-empty data rows (with their sheet row numbers)."""
    if isinstance(file, bytes | bytearray):
        from io import BytesIO

        file = BytesIO(file)
    try:
        file.seek(0)
        head = file.read(8)
        file.seek(0)
    except (AttributeError, OSError) as exc:
        raise ApplicationError(_("没有收到文件，请选择要导入的 .xlsx 文件。")) from exc
    if not head:
        raise ApplicationError(_("上传的文件是空的，请选择要导入的 .xlsx 文件。"))
    if not zipfile.is_zipfile(file):
        raise ApplicationError(_sniff(head))
    xlsx_check_archive(file, max_rows=MAX_SHEET_ROWS)
    workbook = None
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = (
            workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        )
        # Explicit bounds: without them openpyxl reads as far as the file's own
        # <dimension> claims (or, without one, to its last row).
        rows = sheet.iter_rows(
            max_row=MAX_SHEET_ROWS + 1, max_col=MAX_IMPORT_COLUMNS, values_only=True
        )
        header_row = next(rows, None) or ()
        header = [_cell_text(v) for v in header_row]
        data: list[tuple[int, tuple]] = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_SHEET_ROWS:
                raise xlsx_row_limit_error(MAX_SHEET_ROWS, number)
            if all(_cell_text(v) == "" for v in values):
                continue
            data.append((number, values))
            if len(data) > MAX_IMPORT_ROWS:
                raise ApplicationError(
                    _("一次最多导入 %(n)d 行，请把文件拆分后分批导入。") % {"n": MAX_IMPORT_ROWS}
                )
    except ApplicationError:
        raise
    except Exception as exc:  # a damaged or foreign file must not become a 500
        raise ApplicationError(_sniff(head)) from exc
    finally:
        if workbook is not None:
            workbook.close()
    return header, data


def _match_header(header: list[str], report: ImportReport) -> dict[int, SheetColumn]:
    """Column index → sheet column. Problems go into the report as row-1 errors."""
    by_header = {c.header: c for c in SHEET_COLUMNS}
    found: dict[int, SheetColumn] = {}
    seen: dict[str, int] = {}
    for index, text in enumerate(header):
        name = text.strip().rstrip("*＊").strip()
        if not name:
            continue
        column = by_header.get(name)
        if column is None:
            # Ledgers often carry 序号 or 备注 columns: ignore them, but say so on the
            # report so that a misspelt column name does not go unnoticed.
            report.ignored_columns.append(text)
            continue
        if name in seen:
            report.errors.append(
                ImportProblem(
                    1, text, _("列名重复（第 %(n)d 列已有此列）。") % {"n": seen[name] + 1}
                )
            )
            continue
        seen[name] = index
        found[index] = column
    for column in SHEET_COLUMNS:
        if column.required and column.header not in seen:
            report.errors.append(
                ImportProblem(1, column.header, _("缺少必填列，请使用导入模板中的列名。"))
            )
    return found


class _Lookups:
    def __init__(self) -> None:
        with translation.override("zh-hans"):
            self.kinds = {str(label): value for value, label in EnterpriseType.choices}
            self.sizes = {str(label): value for value, label in EnterpriseSize.choices}
        self.sizes.update({label.rstrip("型"): value for label, value in list(self.sizes.items())})
        self.parks: dict[str, list[Unit]] = {}
        for unit in park_choices():
            self.parks.setdefault(unit.name, []).append(unit)
        self.industries = IndustryCode.objects.in_bulk()


def _parse_row(row: _Row, lookups: _Lookups, report: ImportReport) -> None:
    """Turn the cells of one row into field values, reporting what cannot be read."""

    def fail(column: str, message: str, value: str) -> None:
        report.errors.append(ImportProblem(row.number, column, message, value))
        row.failed_columns.add(column)

    for name, (column, raw) in row.cells.items():
        text = _cell_text(raw)
        if name == "uscc" and isinstance(raw, float):
            fail(
                column.header,
                _("代码被 Excel 当成了数字，末几位可能已丢失。请把该列设为“文本”格式后重新填写。"),
                text,
            )
        elif name in ("uscc", "name", "legal_representative", "registered_address", "contact_name"):
            row.values[name] = text
        elif name == "contact_phone":
            row.values[name] = text
        elif name == "kind":
            if not text:
                row.values[name] = ""
            elif text in lookups.kinds or text in lookups.kinds.values():
                row.values[name] = lookups.kinds.get(text, text)
            else:
                fail(
                    column.header,
                    _("类型不在可选范围内，可填：%(opts)s。") % {"opts": "、".join(lookups.kinds)},
                    text,
                )
        elif name == "size":
            if not text:
                row.values[name] = ""
            elif text in lookups.sizes or text in lookups.sizes.values():
                row.values[name] = lookups.sizes.get(text, text)
            else:
                fail(column.header, _("规模应为大型、中型、小型或微型，也可留空。"), text)
        elif name == "park":
            if not text:
                row.values[name] = None
            elif len(lookups.parks.get(text, [])) == 1:
                row.values[name] = lookups.parks[text][0]
            elif text in lookups.parks:
                fail(column.header, _("有多个同名单位，无法确定是哪一个，请联系管理员。"), text)
            else:
                fail(
                    column.header,
                    _("找不到名为“%(name)s”的园区/属地。可填：%(opts)s；也可留空。")
                    % {"name": text, "opts": "、".join(lookups.parks) or "—"},
                    text,
                )
        elif name == "industry":
            code = parse_industry_code(text)
            if not text:
                row.values[name] = None
            elif code in lookups.industries:
                row.values[name] = lookups.industries[code]
            else:
                fail(
                    column.header,
                    _("不是 GB/T 4754-2017 的门类或大类代码（如 C 或 38，见“行业代码”表）。"),
                    text,
                )
        elif name == "established_on":
            row.values[name] = None
            if isinstance(raw, datetime | date):
                row.values[name] = raw.date() if isinstance(raw, datetime) else raw
            elif text:  # text, or a number such as 20200131 (Excel serials are not guessed)
                try:
                    row.values[name] = parse_date_text(text)
                except ValueError:
                    fail(column.header, _("日期无法识别，请写成 2020-01-31 的格式。"), text)


def _clone(enterprise: Enterprise) -> Enterprise:
    """An unsaved-looking copy to try the row's values on without touching the original."""
    copy = Enterprise(
        **{f.attname: getattr(enterprise, f.attname) for f in Enterprise._meta.concrete_fields}
    )
    copy._state.adding = False
    if enterprise.park_id is not None:
        copy.park = enterprise.park
    return copy


def _check_row(
    row: _Row,
    *,
    actor: User,
    seen: dict[str, int],
    existing: dict[str, Enterprise],
    report: ImportReport,
) -> None:
    """Validate one parsed row exactly as the services will, and work out whether it
    creates an enterprise or changes (which fields of) an existing one."""
    headers = {c.field: c.header for c in SHEET_COLUMNS}
    unreadable = set(row.failed_columns)

    def fail(name: str, message: str) -> None:
        value = _cell_text(row.cells[name][1]) if name in row.cells else ""
        column = headers.get(name, name)
        report.errors.append(ImportProblem(row.number, column, message, value))
        row.failed_columns.add(column)

    row.existing = existing.get(normalize_uscc(row.values.get("uscc", "")))
    candidate = _clone(row.existing) if row.existing is not None else Enterprise()
    for name, value in row.values.items():
        setattr(candidate, name, value)

    errors = _validation_errors(candidate, check_unique=False)
    for name, messages in errors.items():
        if headers.get(name) not in unreadable:  # else already reported as unreadable
            for message in messages:
                fail(name, message)
    if "uscc" in errors or headers["uscc"] in unreadable:
        return
    if candidate.uscc in seen:
        fail("uscc", _("与第 %(n)d 行的统一社会信用代码重复。") % {"n": seen[candidate.uscc]})
        return
    seen[candidate.uscc] = row.number

    if row.existing is not None and not actor.has_perm("core.change_enterprise", row.existing):
        fail(
            "uscc",
            _("该代码已登记为“%(name)s”，您无权修改该市场主体。") % {"name": row.existing.name},
        )
        return
    if row.failed_columns:
        return
    if not actor.has_perm("core.change_enterprise", candidate):
        fail("park", _("您只能登记或修改本园区（属地）的市场主体。"))
        return
    row.values["uscc"] = candidate.uscc
    if row.existing is not None:
        changed = diff(_snapshot(row.existing), _snapshot(candidate))
        row.changes = {name: getattr(candidate, name) for name in changed if name in row.values}


@transaction.atomic
def _write(rows: list[_Row], *, actor: User, strict: bool, report: ImportReport) -> None:
    for row in rows:
        try:
            with transaction.atomic():  # a savepoint: never half a row
                if row.existing is None:
                    enterprise_create(actor=actor, **row.values)
                    report.created += 1
                elif row.changes:
                    enterprise_update(actor=actor, enterprise=row.existing, **row.changes)
                    report.updated += 1
                else:
                    report.unchanged += 1
        except ApplicationError as exc:
            # Something changed between checking and writing (another user registered the
            # same code meanwhile): report it like any other error of that row.
            headers = {c.field: c.header for c in SHEET_COLUMNS}
            for name, messages in (exc.field_errors or {"uscc": [exc.message]}).items():
                for message in messages:
                    report.errors.append(
                        ImportProblem(row.number, headers.get(name, name), message)
                    )
            if strict:
                raise


def enterprise_import_xlsx(*, actor: User, file: IO[bytes] | bytes, strict: bool) -> ImportReport:
    """Import enterprises from an .xlsx sheet laid out like the export.

    Every row is checked first and every problem reported at once as (row, column,
    message). A row whose USCC is already registered updates that enterprise — only the
    columns present in the sheet, and only if the actor may change it. Then, in one
    transaction: all valid rows are written (or, with ``strict``, nothing at all if any
    row is wrong). Each row goes through enterprise_create/enterprise_update, so each is
    audited like an edit on the page.
    """
    if not actor.has_perm("core.add_enterprise"):
        raise PermissionRefused(_("您的角色无权导入市场主体。"))
    header, data = _read_rows(file)
    report = ImportReport(strict=strict)
    columns = _match_header(header, report)
    if not data:
        raise ApplicationError(_("表格中没有数据：请从第2行起每行填写一家市场主体。"))
    report.rows = len(data)
    if report.header_errors:
        return report  # with wrong columns no row can be read reliably

    lookups = _Lookups()
    rows: list[_Row] = []
    for number, values in data:
        cells = {
            column.field: (column, values[index] if index < len(values) else None)
            for index, column in columns.items()
            if not column.informational
        }
        row = _Row(number=number, cells=cells)
        _parse_row(row, lookups, report)
        rows.append(row)

    codes = {normalize_uscc(r.values.get("uscc", "")) for r in rows}
    existing = {e.uscc: e for e in Enterprise.objects.select_related("park").filter(uscc__in=codes)}
    seen: dict[str, int] = {}
    for row in rows:
        _check_row(row, actor=actor, seen=seen, existing=existing, report=report)

    bad = set(report.bad_rows)
    valid = [r for r in rows if r.number not in bad]
    if (strict and bad) or not valid:
        return _sorted(report)
    try:
        _write(valid, actor=actor, strict=strict, report=report)
    except ApplicationError:
        report.created = report.updated = report.unchanged = 0
        return _sorted(report)
    report.written = True
    if report.created or report.updated:
        audit_append(
            actor=actor,
            action="enterprise.import",
            object_type="core.enterprise",
            object_repr=str(getattr(file, "name", "") or "xlsx")[:200],
            changes={
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected_rows": len(report.bad_rows),
                "strict": strict,
            },
        )
    return _sorted(report)


def _sorted(report: ImportReport) -> ImportReport:
    order = {c.header: i for i, c in enumerate(SHEET_COLUMNS)}
    report.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    return report
