"""National identifiers, validated by their standards (never by a lookup table of places).

- 统一社会信用代码: GB 32100-2015 (and its amendments), 18 characters from
  ``0-9A-HJ-NPQRTUWXY``: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6),
  主体标识码 (9), check character MOD 31 (1). The GB 11714 check character inside the
  主体标识码 is deliberately not checked (not confirmed for every code issued).
- 公民身份号码: GB 11643-1999, 17 digits + check digit (ISO 7064 MOD 11-2, 10 written X):
  address code (6), birth date YYYYMMDD (8), sequence (3), check (1).

Only what the standards define is checked. The county part of an address code is not
looked up in any table: counties are created, merged and renamed (419001 济源 exists from
1997, people born in 1990 carry it; a development zone's own statistical code such as
410471 is on real cards), so a list can only wrongly refuse real people. Every function
here raises only ``ValidationError`` with a message saying which part is wrong.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")

# Province-level codes of GB/T 2260 (71 台湾, 81 香港, 82 澳门).
PROVINCE_CODES = frozenset(
    f"{n}"
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
    )
)
# 港澳台居民居住证 numbers begin with 810000 / 820000 / 830000 (GB 11643 layout, the
# address code replaced by these six digits).
RESIDENCE_PERMIT_PREFIXES = ("810000", "820000", "830000")
# Central registrations (e.g. 中央编办: 11100000000013338W) carry 100000 as region.
CENTRAL_REGION = "100000"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

# 登记管理部门代码 -> (name, {机构类别代码: name}).
# GB 32100-2015 table plus later amendments (A 中央军委改革和编制办公室, N 农业, Y 其他).
# UNCONFIRMED: the type lists of the letter authorities (A, N, Y) and of 2/4/6 come from
# secondary sources, not from the amendment texts; correct them here if a real code is
# refused.
USCC_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {
            "1": "组级集体经济组织",
            "2": "村级集体经济组织",
            "3": "乡镇级集体经济组织",
            "9": "其他",
        },
    ),
    "Y": ("其他", {"1": "其他"}),
}


def _compact(value: object, strip: str) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(strip, "", text).upper()


def normalize_uscc(value: str) -> str:
    """The code without spaces or dashes, upper case (full-width characters folded)."""
    return _compact(value, r"[\s\-]")


def uscc_check_character(body: str) -> str:
    """GB 32100 check character of the first 17 characters (MOD 31, 31 → 0)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def id_check_digit(body: str) -> str:
    """GB 11643 check digit of the first 17 digits (ISO 7064 MOD 11-2, 10 → X)."""
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def validate_uscc(value: str) -> str:
    """Return the compact code or raise ValidationError saying which part is wrong
    (GB 32100-2015: authority, type, region, check character)."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，您输入了%(n)d位。") % {"n": len(code)}, code="length"
        )
    if any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            _("统一社会信用代码格式不正确：只能包含数字和除 I、O、Z、S、V 以外的大写字母。"),
            code="format",
        )
    authority = USCC_AUTHORITIES.get(code[0])
    if authority is None:
        raise ValidationError(
            _("统一社会信用代码第1位（登记管理部门代码）不能是“%(c)s”，应为 1–9、A、N 或 Y 之一。")
            % {"c": code[0]},
            code="authority",
        )
    authority_name, types = authority
    if code[1] not in types:
        raise ValidationError(
            _(
                "统一社会信用代码第2位（机构类别代码）“%(c)s”不适用于登记管理部门“%(a)s”，"
                "应为 %(allowed)s 之一。"
            )
            % {"c": code[1], "a": authority_name, "allowed": "、".join(types)},
            code="type",
        )
    region = code[2:8]
    if not region.isdigit() or (region[:2] not in PROVINCE_CODES and region != CENTRAL_REGION):
        raise ValidationError(
            _(
                "统一社会信用代码第3–8位（登记管理机关行政区划码）“%(r)s”不正确，"
                "应为以省级行政区划代码开头的6位数字。"
            )
            % {"r": region},
            code="region",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确（GB 32100），请核对最后一位。"), code="checksum"
        )
    return code


def validate_id_number(value: str) -> str:
    """18-character 公民身份号码 (GB 11643-1999): format, province-level address code (or
    a 港澳台居民居住证 prefix), a real birth date from 1900-01-01 to today, check digit."""
    code = _compact(value, r"\s")
    if len(code) != 18:
        raise ValidationError(
            _("身份证号应为18位，您输入了%(n)d位。") % {"n": len(code)}, code="length"
        )
    if not re.fullmatch(r"[0-9]{17}[0-9X]", code, flags=re.ASCII):
        raise ValidationError(
            _("身份证号格式不正确：前17位应为数字，最后一位为数字或X。"), code="format"
        )
    if code[:2] in ("81", "82", "83"):
        if code[:6] not in RESIDENCE_PERMIT_PREFIXES:
            raise ValidationError(
                _("港澳台居民居住证号码的前6位应为810000、820000或830000。"), code="province"
            )
    elif code[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号前两位“%(p)s”不是省级行政区划代码，请核对。") % {"p": code[:2]},
            code="province",
        )
    digits = code[6:14]
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise ValidationError(
            _("身份证号第7–14位的出生日期“%(d)s”不存在，请核对。") % {"d": digits},
            code="birth_date",
        ) from exc
    if birth < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("身份证号中的出生日期（%(d)s）早于1900年，请核对。") % {"d": birth.isoformat()},
            code="birth_date_early",
        )
    if birth > timezone.localdate():
        raise ValidationError(
            _("身份证号中的出生日期（%(d)s）晚于今天，请核对。") % {"d": birth.isoformat()},
            code="birth_date_future",
        )
    if id_check_digit(code[:17]) != code[17]:
        raise ValidationError(
            _("身份证号校验位不正确（GB 11643），请核对最后一位。"), code="checksum"
        )
    return code


def validate_mobile(value: str) -> str:
    number = (value or "").strip().replace(" ", "")
    if not MOBILE_RE.match(number):
        raise ValidationError(_("手机号应为以1开头的11位数字。"), code="mobile")
    return number


def mask_id_number(value: str) -> str:
    """Show an ID number with birth-date digits 11–14 masked, as on public certificates."""
    if len(value) != 18:
        return value
    return value[:10] + "****" + value[14:]
