"""The five kinds of permission as data (one system, not five copies of code).

Everything a kind decides is here: its number format, validity, certificate fields, the
application types it supports, which cases need an on-site (or remote) check, and the
renewal window. This is THE one configurable place for the rules of
research/food_license.md; every rule the note tags [M] or [?] carries
``# UNCONFIRMED`` and should be checked against the primary texts before production:

* 《食品经营许可和备案管理办法》(市场监管总局令第78号, effective 2023-12-01) – 许可证, 备案;
* 《河南省食品小作坊、小经营店和小摊点管理条例》 and 《河南省食品小经营店登记管理办法(试行)》
  – the three Henan documents (validity, number formats and fields are [?]).

Deployments may override the Henan number formats with the setting
``ZONEGOV_LICENSING_HENAN_NUMBER_FORMATS`` (``{kind_code: format}``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zonegov.core import legal_remedies
from zonegov.licensing.conf import setting

if TYPE_CHECKING:
    from zonegov.licensing.models import Application


class AppType(models.TextChoices):
    NEW = "new", _("新办")
    CHANGE = "change", _("变更")
    RENEW = "renew", _("延续")
    CANCEL = "cancel", _("注销")
    REPLACE = "replace", _("补证")


class HolderKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("市场主体（有营业执照）")
    PERSON = "person", _("自然人（无营业执照）")


# Statutory limits in working days (research note §1.5/§1.6).
ACCEPTANCE_LIMIT = 5  # UNCONFIRMED [M]: 补正 notice / 受理 within 5 working days (行政许可法)
DECISION_LIMIT = 10  # UNCONFIRMED [M]: decision 10 wd after acceptance; CaseType row holds it
DECISION_EXTENSION = 5  # UNCONFIRMED [M]: extendable once by 5 wd with the head's approval
RENEWAL_WINDOW = (90, 15)  # [C] file between 90 and 15 working days before expiry (第23/32条)
CHANGE_REPORT_LIMIT = 10  # UNCONFIRMED [M]: apply for 变更 within 10 wd after the change
# UNCONFIRMED [?]: 行政许可法 fixes no time for the applicant to correct; the 补正 notice
# asks for it within this many working days (stated in the notice, not enforced).
CORRECTION_LIMIT = 20
MIN_ONSITE_INSPECTORS = 2  # UNCONFIRMED [M]: 现场核查 by at least two inspectors

# The fields a certificate can show (research note §1.7). Keys -> printed labels.
CERT_FIELD_LABELS: dict[str, str] = {
    "operator_name": "经营者名称",
    "holder_code": "统一社会信用代码（身份证号码）",
    "legal_rep": "法定代表人（负责人）",
    "address": "住所",
    "premises_address": "经营场所",
    "subject_type": "主体业态",
    "items": "经营项目",
    "warehouse_address": "仓库地址",
    "number": "许可证编号",
    "valid_until": "有效期至",
    "issued_on": "发证日期",
    "complaints_phone": "投诉举报电话",
    "issuer": "发证机关",
    "signer": "签发人",
    "identifier": "电子证照标识",
}


def _licensed_matters_changed(app: Application) -> bool:
    """许可事项 = 经营场所, 主体业态, 经营项目 (research note §1.7 [M])."""
    return bool(app.changed_matters())


def _renewal_needs_check(app: Application) -> bool:
    # [C] for 2015, UNCONFIRMED [M] for 2023: no re-check when the applicant declares
    # 经营条件未发生变化.
    return not app.conditions_unchanged


ALL_FACTS = (
    "area",
    "tenure",
    "water",
    "changing_room",
    "pest_control",
    "disinfection",
    "cold_storage",
    "warehouse",
)

# Notice of the right to review or sue printed with every refusal (research note §1.6 [M]).
# The periods (60 days / 6 months) are UNCONFIRMED and kept in one place,
# core/legal_remedies.py, which also words the 不予许可决定书's remedies block.
REVIEW_NOTICE = (
    f"申请人如对本决定不服，可以自收到本决定之日起{legal_remedies.REVIEW_PERIOD}内依法申请"
    f"行政复议，或者在{legal_remedies.LITIGATION_PERIOD}内依法向人民法院提起行政诉讼。"
)

ALWAYS: Callable[[Any], bool] = lambda app: True  # noqa: E731
NEVER: Callable[[Any], bool] = lambda app: False  # noqa: E731


@dataclass(frozen=True)
class PermitKind:
    code: str
    name: str  # 证照名称
    document_title: str
    subject_table: str
    item_table: str
    holder_kinds: tuple[str, ...]
    app_types: tuple[str, ...]
    number_format: str  # see identifiers.format_permit_number
    validity_years: int | None
    cert_fields: tuple[str, ...]
    # Which application types need a site check (remote video review or a visit).
    site_check: dict[str, Callable[[Any], bool]] = field(default_factory=dict)
    renewable: bool = True
    type_code: str = ""  # GB/T 36904 证照类型代码 (definer USCC + 3 digits)
    app_type_labels: dict[str, str] = field(default_factory=dict)
    number_label: str = "许可证编号"
    # Premises facts (codes.PREMISES_FACTS) the applicant must answer.
    required_facts: tuple[str, ...] = ALL_FACTS
    max_area: str = ""  # e.g. "le60": 小经营店 use at most 60 m² ([C])
    confirmed: bool = False
    note: str = ""
    # Whether the certificate prints a 签发人 line: the officer who approved (their full
    # name), never the seal's name; left out when no official signed (即申即审). A kind
    # that prints it lists "signer" in cert_fields (its place on the face).
    prints_signer: bool = False

    def __post_init__(self) -> None:
        if self.prints_signer != ("signer" in self.cert_fields):
            raise ValueError(f"{self.code}: prints_signer and cert_fields disagree on signer")

    def app_type_label(self, app_type: str) -> str:
        return self.app_type_labels.get(app_type) or str(AppType(app_type).label)

    def needs_site_check(self, app: Application) -> bool:
        rule = self.site_check.get(app.app_type, NEVER)
        return bool(rule(app))

    def supports(self, app_type: str) -> bool:
        return app_type in self.app_types


_LICENCE_FIELDS = (
    "operator_name",
    "holder_code",
    "legal_rep",
    "address",
    "premises_address",
    "subject_type",
    "items",
    "warehouse_address",
    "number",
    "valid_until",
    "issued_on",
    "complaints_phone",
    "issuer",
    "signer",
    "identifier",
)
_SMALL_FIELDS = (
    "operator_name",
    "holder_code",
    "legal_rep",
    "premises_address",
    "subject_type",
    "items",
    "number",
    "valid_until",
    "issued_on",
    "complaints_phone",
    "issuer",
    "identifier",
)

# UNCONFIRMED [?]: the official 证照类型代码 of each document in the national 证照目录 is
# not known (research note §6.6). These use an 18-character placeholder definer code
# followed by a 3-digit sequence; replace them with the catalogue's codes.
_DEFINER_SAMR = "11100000MB0000001X"
_DEFINER_HENAN = "11410000MB0000002X"

KINDS: dict[str, PermitKind] = {
    k.code: k
    for k in [
        PermitKind(
            code="licence",
            name="食品经营许可证",
            document_title="食品经营许可证",
            subject_table="licence",
            item_table="licence",
            holder_kinds=(HolderKind.ENTERPRISE,),
            app_types=(
                AppType.NEW,
                AppType.CHANGE,
                AppType.RENEW,
                AppType.CANCEL,
                AppType.REPLACE,
            ),
            number_format="JY",  # [C] JY + 1 subject + 6 region + 6 sequence + 1 check
            validity_years=5,  # [C] 5 years
            cert_fields=_LICENCE_FIELDS,
            site_check={
                # UNCONFIRMED [M]: a new licence is checked on site "when the substance of
                # the materials must be verified"; we check every new licence remotely.
                AppType.NEW: ALWAYS,
                AppType.CHANGE: _licensed_matters_changed,
                AppType.RENEW: _renewal_needs_check,
                AppType.CANCEL: NEVER,
                AppType.REPLACE: NEVER,
            },
            type_code=_DEFINER_SAMR + "001",
            confirmed=True,
            # UNCONFIRMED [M]: the 2023 model certificate has a 签发人 line; the approving
            # officer signs it.
            prints_signer=True,
        ),
        PermitKind(
            code="filing",
            name="仅销售预包装食品备案",
            document_title="仅销售预包装食品备案凭证",
            subject_table="filing",
            item_table="filing",
            holder_kinds=(HolderKind.ENTERPRISE,),
            # A filing has no validity, so no renewal; no replacement either (the filing
            # record itself is public) – UNCONFIRMED [M].
            app_types=(AppType.NEW, AppType.CHANGE, AppType.CANCEL),
            number_format="YB",  # UNCONFIRMED [M]: YB + 1 (批发/零售) + 6 + 6 + 1
            validity_years=None,
            cert_fields=(
                "operator_name",
                "holder_code",
                "legal_rep",
                "premises_address",
                "subject_type",
                "items",
                "number",
                "issuer",
                "identifier",
            ),
            site_check={},  # [C] 备案 is not checked before filing
            renewable=False,
            type_code=_DEFINER_SAMR + "002",
            number_label="备案编号",
            required_facts=("area", "tenure", "cold_storage", "warehouse"),
            app_type_labels={"new": "备案", "change": "备案变更", "cancel": "备案注销"},
        ),
        PermitKind(
            code="small_shop",
            name="食品小经营店登记证",
            document_title="河南省食品小经营店登记证",
            subject_table="small_shop",
            item_table="small",
            holder_kinds=(HolderKind.ENTERPRISE,),  # [C] a 个体工商户 with fixed premises
            app_types=(
                AppType.NEW,
                AppType.CHANGE,
                AppType.RENEW,
                AppType.CANCEL,
                AppType.REPLACE,
            ),
            number_format="HN_SHOP",
            number_label="登记证编号",
            max_area="le60",  # [C] 小经营店: 使用面积 ≤ 60 m²
            validity_years=3,  # UNCONFIRMED [?]: the 条例's validity was not reachable
            cert_fields=_SMALL_FIELDS,
            site_check={
                AppType.NEW: ALWAYS,  # UNCONFIRMED [?]
                AppType.CHANGE: _licensed_matters_changed,
                AppType.RENEW: _renewal_needs_check,
            },
            type_code=_DEFINER_HENAN + "001",
            app_type_labels={"new": "新办登记", "change": "变更登记", "renew": "延续登记"},
        ),
        PermitKind(
            code="small_workshop",
            name="食品小作坊登记证",
            document_title="河南省食品小作坊登记证",
            subject_table="workshop",
            item_table="workshop",
            holder_kinds=(HolderKind.ENTERPRISE,),
            app_types=(
                AppType.NEW,
                AppType.CHANGE,
                AppType.RENEW,
                AppType.CANCEL,
                AppType.REPLACE,
            ),
            number_format="HN_WORKSHOP",
            number_label="登记证编号",
            validity_years=3,  # UNCONFIRMED [?]
            cert_fields=_SMALL_FIELDS,
            site_check={
                AppType.NEW: ALWAYS,
                AppType.CHANGE: _licensed_matters_changed,
                AppType.RENEW: _renewal_needs_check,
            },
            type_code=_DEFINER_HENAN + "002",
            app_type_labels={"new": "新办登记", "change": "变更登记", "renew": "延续登记"},
        ),
        PermitKind(
            code="small_stall",
            name="食品小摊点备案卡",
            document_title="河南省食品小摊点备案卡",
            subject_table="stall",
            item_table="small",
            holder_kinds=(HolderKind.PERSON, HolderKind.ENTERPRISE),  # no fixed shop
            app_types=(AppType.NEW, AppType.CHANGE, AppType.RENEW, AppType.CANCEL, AppType.REPLACE),
            number_format="HN_STALL",
            number_label="备案卡编号",
            required_facts=("pest_control",),
            validity_years=1,  # UNCONFIRMED [?]
            cert_fields=_SMALL_FIELDS,
            site_check={},  # UNCONFIRMED [?]: 备案 – no check before the card is issued
            type_code=_DEFINER_HENAN + "003",
            app_type_labels={"new": "备案", "change": "备案变更", "renew": "备案延续"},
        ),
    ]
}

# UNCONFIRMED [?]: number formats of the Henan documents (the province sets the 式样; we
# could not read it). Placeholders in identifiers.format_permit_number: {region} (6-digit
# GB/T 2260), {year}, {seq} (int). Keep them to letters, digits, "-", "." and "_": the
# number is also the certificate's document number on the public verification page.
HENAN_NUMBER_FORMATS_DEFAULT = {
    "HN_SHOP": "XJY{region}{year}{seq:05d}",  # 小经营店
    "HN_WORKSHOP": "XZF{region}{year}{seq:05d}",  # 小作坊
    "HN_STALL": "XTD{region}{year}{seq:05d}",  # 小摊点
}


def henan_number_formats() -> dict[str, str]:
    return {
        **HENAN_NUMBER_FORMATS_DEFAULT,
        **setting("ZONEGOV_LICENSING_HENAN_NUMBER_FORMATS", {}),
    }


def kind(code: str) -> PermitKind:
    return KINDS[code]


KIND_CHOICES = [(k.code, k.name) for k in KINDS.values()]
