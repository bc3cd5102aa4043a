"""Masking of personal data in public disclosures (双公示).

What the public may see of a natural person follows the certificate (research note §1.7):
the ID number with its birth month and day hidden, the name in full on a permit. For
decisions that concern a person rather than a business (penalties, later), the name is
shown as its first and last character (``mask_name``); a category says which it needs.

Masking is applied once, when the line is written (``core.disclosure.publish``), so no
read path can forget it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from zonegov.core.identifiers import mask_id_number as _mask_18
from zonegov.core.identifiers import validate_id_number, validate_uscc

MASK = "*"


def mask_id_number(value: str) -> str:
    """A personal ID number as the public may see it.

    18 characters (GB 11643-1999): digits 11–14 (birth month and day) hidden, as on the
    certificate (``1101051949****002X``). 15 characters (the pre-1999 number, YYMMDD at
    7–12): digits 9–12 hidden likewise. Anything else that is said to be a person's
    number (a passport, a permit of another kind): all but the first and last character
    hidden, so an unknown format never leaks in full."""
    text = (value or "").strip()
    if len(text) == 18:
        return _mask_18(text)
    if len(text) == 15:
        return text[:8] + MASK * 4 + text[12:]
    if len(text) <= 2:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 2) + text[-1]


def mask_name(value: str) -> str:
    """A natural person's name for a public line: first and last character kept
    (``王*明``); a two-character name keeps the first (``张*``)."""
    text = " ".join((value or "").split())
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + MASK
    return text[0] + MASK * (len(text) - 2) + text[-1]


def mask_mobile(value: str) -> str:
    """A mobile number with its middle four digits hidden (``138****5678``)."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) < 7:
        return MASK * 4 if digits else ""
    return digits[:3] + MASK * 4 + digits[-4:]


def looks_like_id_number(value: str) -> bool:
    """True when ``value`` is a valid personal ID number and not a valid 统一社会信用代码
    (an 18-digit code can in principle pass both checks: then it is a business's)."""
    text = (value or "").strip().upper()
    if len(text) not in (15, 18):
        return False
    if len(text) == 15:
        return text.isascii() and text.isdigit()
    try:
        validate_id_number(text)
    except ValidationError:
        return False
    try:
        validate_uscc(text)
    except ValidationError:
        return True
    return False


def mask_subject_code(value: str, *, natural_person: bool | None = None) -> str:
    """The subject's code (统一社会信用代码 or ID number) as the public may see it.

    ``natural_person``: True masks it as an ID number, False leaves a business's code as
    it is, None (unknown) masks it when it has the shape of a personal ID number."""
    text = (value or "").strip()
    if not text:
        return ""
    if natural_person is None:
        natural_person = looks_like_id_number(text)
    return mask_id_number(text) if natural_person else text
