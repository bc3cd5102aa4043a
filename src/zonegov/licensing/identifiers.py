"""Licence numbers and e-licence identifiers.

* 食品经营许可证编号 ``JY`` + 主体业态 (1) + region (6, GB/T 2260) + sequence (6) + check (1)
  (research note §1.2 [C] for the layout). The check-digit algorithm is NOT published
  (§1.2 [?]): it is pluggable here, ISO 7064 MOD 11,10 by default – UNCONFIRMED.
* 备案编号 ``YB`` + 业态 (1 = 批发, 2 = 零售) + region (6) + sequence (6) + check (1)
  (§1.3 [M] – UNCONFIRMED).
* Henan documents: configurable formats (kinds.henan_number_formats) – UNCONFIRMED.
* 电子证照标识 (GB/T 36904-2018 §3.2 of the note):
  ``1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>``, the check
  character ISO 7064 MOD 37,36 over type+issuer+serial+version without dots ([C] as
  implemented by the Hubei e-licence library; [M] that the standard says exactly this).
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.iso7064 import mod_11_10, mod_37_36

from zonegov.core.errors import ApplicationError
from zonegov.licensing import conf, kinds
from zonegov.licensing.conf import setting

logger = logging.getLogger(__name__)

ELICENCE_ROOT = "1.2.156.3005.2"

# name -> (compute check character from the 13 digits, description)
CHECK_DIGIT_ALGORITHMS: dict[str, Callable[[str], str]] = {
    # UNCONFIRMED default; it does reproduce the check digit of the one real number in
    # the note (JY34202220183637 -> 7), which is encouraging but not proof.
    "iso7064_mod_11_10": mod_11_10.calc_check_digit,
}


def check_digit_algorithm() -> Callable[[str], str]:
    name = setting("ZONEGOV_LICENSING_CHECK_DIGIT", "iso7064_mod_11_10")
    return CHECK_DIGIT_ALGORITHMS[name]


NUMBER_RE = {
    "JY": re.compile(r"^JY[1-3]\d{13}$"),
    "YB": re.compile(r"^YB[12]\d{13}$"),
}


# Width of the 顺序码 in JY/YB numbers (research note §1.2).
JY_YB_SEQUENCE_DIGITS = 6


def _sequence_digits(fmt: str) -> int | None:
    """Width of the ``{seq:0Nd}`` field of a configurable format (None: unbounded)."""
    for _literal, field, spec, _conv in string.Formatter().parse(fmt):
        if field == "seq":
            match = re.fullmatch(r"0?(\d+)d", spec or "")
            return int(match.group(1)) if match else None
    return None


def _refuse_exhausted_series(kind: kinds.PermitKind, series: str, digits: int) -> None:
    """A series whose sequence field is full is refused, never widened or wrapped: a
    longer number would not be a valid number, a wrapped one would repeat an issued one.
    There is no published roll-over rule, so the administrator has to obtain one
    (docs/licensing.md, "Numbers")."""
    logger.error("licence number series %s exhausted (%d-digit sequence)", series, digits)
    raise ApplicationError(
        _(
            "%(kind)s编号的%(digits)d位顺序码已全部用完（编号系列 %(series)s），不能再发放新编号。"
            "请联系系统管理员按省级市场监督管理部门的规定启用新的编号系列后再办理。"
        )
        % {"kind": kind.name, "digits": digits, "series": series.removeprefix("licensing:")}
    )


def format_permit_number(*, kind: kinds.PermitKind, subject_code: str, seq: int) -> str:
    """The number of a new permit of ``kind``; ``seq`` comes from a gap-free series.
    Raises ApplicationError when ``seq`` no longer fits the sequence field."""
    region = conf.region_code()
    if kind.number_format in ("JY", "YB"):
        if seq >= 10**JY_YB_SEQUENCE_DIGITS:
            _refuse_exhausted_series(
                kind, number_series(kind=kind, subject_code=subject_code), JY_YB_SEQUENCE_DIGITS
            )
        body = f"{subject_code}{region}{seq:06d}"
        return f"{kind.number_format}{body}{check_digit_algorithm()(body)}"
    fmt = kinds.henan_number_formats()[kind.number_format]
    digits = _sequence_digits(fmt)
    if digits is not None and seq >= 10**digits:
        _refuse_exhausted_series(kind, number_series(kind=kind, subject_code=subject_code), digits)
    return fmt.format(region=region, year=timezone.localdate().year, seq=seq)


def number_series(*, kind: kinds.PermitKind, subject_code: str) -> str:
    """Name of the counter a new number is drawn from (per prefix, subject digit, region)."""
    region = conf.region_code()
    if kind.number_format in ("JY", "YB"):
        return f"licensing:{kind.number_format}{subject_code}{region}"
    return f"licensing:{kind.number_format}:{region}:{timezone.localdate().year}"


def validate_permit_number(value: str, *, prefix: str | None = None) -> str:
    """Check a JY/YB number someone typed (e.g. when asking for 补证): layout and check
    digit. Raises ValidationError with a message in Chinese saying what is wrong."""
    number = (value or "").strip().upper().replace(" ", "")
    head = number[:2]
    if prefix and head != prefix:
        raise ValidationError(_("编号应以 %(prefix)s 开头。") % {"prefix": prefix}, code="prefix")
    pattern = NUMBER_RE.get(head)
    if pattern is None:
        raise ValidationError(_("编号应以 JY（许可证）或 YB（备案）开头。"), code="prefix")
    if len(number) != 16:
        raise ValidationError(
            _("编号应为16位（2位字母加14位数字），您输入了%(n)d位。") % {"n": len(number)},
            code="length",
        )
    if not pattern.match(number):
        raise ValidationError(
            _("编号格式不正确：%(prefix)s 后应为14位数字，第3位为主体业态代码。")
            % {"prefix": head},
            code="format",
        )
    if check_digit_algorithm()(number[2:15]) != number[15]:
        raise ValidationError(
            _("编号校验位不正确，请核对最后一位（可能有数字输错）。"), code="checksum"
        )
    return number


# --- GB/T 36904 -----------------------------------------------------------------------


def elicence_check(type_code: str, issuer_code: str, serial: str, version: str) -> str:
    return mod_37_36.calc_check_digit(f"{type_code}{issuer_code}{serial}{version}".upper())


def elicence_identifier(*, type_code: str, issuer_code: str, serial: str, version: int) -> str:
    """``1.2.156.3005.2.<type>.<issuer>.<serial>.<version:03d>.<check>``."""
    ver = f"{version:03d}"
    check = elicence_check(type_code, issuer_code, serial, ver)
    return f"{ELICENCE_ROOT}.{type_code}.{issuer_code}.{serial}.{ver}.{check}"


def validate_elicence_identifier(value: str) -> str:
    text = (value or "").strip().upper()
    prefix = ELICENCE_ROOT + "."
    if not text.startswith(prefix):
        raise ValidationError(_("电子证照标识应以 1.2.156.3005.2. 开头。"), code="root")
    parts = text[len(prefix) :].split(".")
    if len(parts) != 5:
        raise ValidationError(
            _("电子证照标识应由类型代码、颁发机构代码、流水号、版本号、校验位五段组成。"),
            code="format",
        )
    type_code, issuer, serial, version, check = parts
    if len(type_code) != 21 or len(issuer) != 18 or not re.fullmatch(r"\d{3}", version):
        raise ValidationError(
            _("电子证照标识格式不正确：类型代码21位、颁发机构代码18位、版本号3位。"),
            code="format",
        )
    if not serial.isalnum() or len(check) != 1:
        raise ValidationError(_("电子证照标识的流水号或校验位格式不正确。"), code="format")
    if elicence_check(type_code, issuer, serial, version) != check:
        raise ValidationError(_("电子证照标识校验位不正确。"), code="checksum")
    return text
