"""Input rules every module shares, so that forms, API schemas and services refuse the
same things with the same words.

- Control characters: C0 controls other than tab, line feed and carriage return never
  belong in what a person types. PostgreSQL cannot store NUL in text, XML 1.0 (the RSS
  and Atom feeds) and .xlsx cannot carry any of them, so they are refused at the edge
  and, for what was stored before, dropped on the way out.
- Dates: a search or statistics period names days between EARLIEST_DATE and
  LATEST_DATE; beyond them date arithmetic overflows and nothing can match anyway.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def without_control_characters(value: str) -> str:
    """``value`` with every control character dropped (for output formats that cannot
    carry them: XML feeds, spreadsheets)."""
    return CONTROL_CHARACTERS.sub("", value)


def control_characters_message() -> str:
    return _("不能包含控制字符（如 \\x00、\\x0b），请删除后重新填写。")


def validate_no_control_characters(value: str) -> None:
    """Django validator: refuses text with control characters."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(control_characters_message(), code="control_characters")


def date_out_of_range_message() -> str:
    return _("日期应在 %(first)s 至 %(last)s 之间。") % {
        "first": EARLIEST_DATE.isoformat(),
        "last": LATEST_DATE.isoformat(),
    }


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def validate_date_in_range(value: date | None) -> None:
    """Django validator for search and statistics dates."""
    if value is not None and not date_in_range(value):
        raise ValidationError(date_out_of_range_message(), code="date_out_of_range")


#: Ids are BigAutoField: larger numbers cannot name a record.
MAX_RECORD_ID = 2**63 - 1


def record_id(value: object) -> int | None:
    """A record id as typed in a URL or form field ("12"), or None when it cannot be one.
    ASCII digits only: "²".isdigit() is true, but int("²") fails."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_ID else None


def search_text(value: object, max_length: int = 100) -> str:
    """What a search box sent, ready for a query: trimmed, cut to ``max_length``, control
    characters dropped (a NUL would make PostgreSQL refuse the query)."""
    return without_control_characters(str(value or "")).strip()[:max_length]


# A person's name as typed: no markup (it is shown in pages, PDFs and pushed to other
# systems), no leading formula character (a spreadsheet would run it: CSV/XLSX injection),
# and not made only of invisible characters (an account nobody can tell apart).
NAME_MARKUP = re.compile(r"[<>]")
FORMULA_LEADERS = ("=", "+", "-", "@")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def person_name_problem(value: str) -> str:
    """Why ``value`` cannot be a person's name, or "" when it can."""
    text = (value or "").strip()
    if not text.strip(INVISIBLE).strip():
        return _("请填写姓名（不能只有空格或不可见字符）。")
    if NAME_MARKUP.search(text):
        return _("姓名不能包含尖括号“<”或“>”。")
    if text.lstrip(INVISIBLE).startswith(FORMULA_LEADERS):
        return _("姓名不能以“=”“+”“-”“@”开头。")
    return ""
