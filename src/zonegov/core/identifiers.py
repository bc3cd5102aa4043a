"""Checksummed national identifiers, verified with python-stdnum.

- 统一社会信用代码: GB 32100-2015, 18 characters, check character mod 31 (stdnum.cn.uscc).
- 公民身份号码: GB 11643-1999, 18 characters, check digit ISO 7064 MOD 11-2 (stdnum.cn.ric).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_uscc(value: str) -> str:
    return uscc.compact(value or "").upper()


def validate_uscc(value: str) -> str:
    """Return the compact code or raise ValidationError with a message saying what is wrong."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，您输入了%(n)d位。") % {"n": len(code)}, code="length"
        )
    try:
        return uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("统一社会信用代码校验位不正确（GB 32100），请核对最后一位。"), code="checksum"
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("统一社会信用代码格式不正确：只能包含数字和除 I、O、Z、S、V 以外的大写字母。"),
            code="format",
        ) from exc


def validate_id_number(value: str) -> str:
    """18-digit 身份证号 with GB 11643 check digit and a real birth date."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValidationError(
            _("身份证号应为18位，您输入了%(n)d位。") % {"n": len(code)}, code="length"
        )
    try:
        return ric.validate(code)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("身份证号校验位不正确（GB 11643），请核对最后一位。"), code="checksum"
        ) from exc
    except stdnum_exceptions.InvalidComponent as exc:
        raise ValidationError(_("身份证号中的出生日期或地区码无效。"), code="component") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("身份证号格式不正确：前17位应为数字，最后一位为数字或X。"), code="format"
        ) from exc


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
