"""Public announcement (公示) as JSON (``/api/public``) — no login, public fields only.

Same filters and validation messages as the page /gongshi/ (one form); errors use the
platform's one shape.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zonegov.core.api.base import PUBLIC_ERRORS
from zonegov.core.errors import ApplicationError
from zonegov.core.ratelimit import check_rate
from zonegov.licensing.public_forms import NoticeSearchForm
from zonegov.licensing.public_selectors import COUNT_CAP, MAX_PER_PAGE, PER_PAGE, public_notice_page

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
    check_rate(request, "notices")
    data = {"q": q, "event": event, "kind": kind, "date_from": date_from, "date_to": date_to}
    form = NoticeSearchForm(data)
    errors: dict[str, list[str]] = {k: [str(e) for e in v] for k, v in form.errors.items()}
    if page < 1:
        errors["page"] = [_("页码应为正整数。")]
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = [_("每页条数应在 1 到 %(n)d 之间。") % {"n": MAX_PER_PAGE}]
    if errors:
        raise ApplicationError(_("检索条件有误，请按提示修改。"), field_errors=errors)
    result = public_notice_page(form.filters(), page=min(page, 10**9), per_page=per_page)
    return {
        "count": result.count,
        "count_capped": result.capped,
        "page": result.number,
        "pages": result.num_pages,
        "per_page": result.per_page,
        "items": [
            {
                **{k: getattr(row, k) for k in NoticeOut.model_fields if k != "verify_url"},
                "verify_url": request.build_absolute_uri(row.verify_path)
                if row.verify_path
                else "",
            }
            for row in result.rows
        ],
    }
