"""Licensing's public announcement (公示) as JSON at ``/api/public/notices`` — no login,
public fields only. Kept, with its typed schema, for clients written before the core
disclosure service: the same answer as ``/api/public/disclosures/permits`` (one form, one
search, ``core.disclosure.api.page_result``); errors use the platform's one shape.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema

from zonegov.core.api.base import PUBLIC_ERRORS
from zonegov.core.disclosure.api import page_result
from zonegov.core.disclosure.search import COUNT_CAP, PER_PAGE
from zonegov.licensing.disclosure import PERMITS

router = Router(tags=["public"])


class NoticeOut(Schema):
    event: str
    event_label: str
    occurred_at: datetime
    kind: str
    kind_label: str
    licence_number: str
    certificate_number: str
    verify_url: str
    operator_name: str
    holder_code: str
    subject_type_name: str
    item_names: str
    premises_address: str
    valid_from: date | None
    valid_until: date | None
    issuer_name: str
    note: str


class NoticePageOut(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    per_page: int
    items: list[NoticeOut]


@router.get(
    "/notices",
    auth=None,
    response={200: NoticePageOut, **PUBLIC_ERRORS},
    summary="Public announcement of licensing decisions (no login), newest first",
    description=(
        "q: licence-number prefix, or at least two characters of the operator's name or the "
        "premises address. event: granted, changed, renewed, replaced, cancelled, revoked. "
        "date_from/date_to: YYYY-MM-DD (announcement date, inclusive). "
        f"count is exact up to {COUNT_CAP} (count_capped says there are more); a page "
        "beyond the last answers the last page."
    ),
)
def list_notices(
    request: HttpRequest,
    q: str = "",
    event: str = "",
    kind: str = "",
    date_from: str = "",
    date_to: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
):
    params = {"q": q, "event": event, "kind": kind, "date_from": date_from, "date_to": date_to}
    return page_result(request, PERMITS, params, page=page, per_page=per_page)
