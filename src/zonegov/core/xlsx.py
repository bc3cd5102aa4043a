"""What every .xlsx export of the platform shares: the content type, the download
response, and the rule for text cells."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from zonegov.core.validation import without_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_text(value: Any) -> str:
    """A value as the text of a cell. The .xlsx format cannot carry control characters
    (openpyxl refuses them), so any an older record holds are dropped."""
    return "" if value is None else without_control_characters(str(value))


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download; never cached (exports hold records of a user's scope)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
