"""Public disclosures (公示) as JSON (``/api/public/disclosures``) — no login, public fields
only.

Same filters and validation messages as the page /gongshi/<category>/ (one form); errors
use the platform's one shape. Licensing keeps ``/api/public/notices`` (its typed schema)
on top of :func:`page_result`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zonegov.core.api.base import PUBLIC_ERRORS
from zonegov.core.disclosure.forms import DisclosureSearchForm
from zonegov.core.disclosure.registry import Category, categories, get_category
from zonegov.core.disclosure.search import COUNT_CAP, MAX_PER_PAGE, PER_PAGE, disclosure_page
from zonegov.core.errors import ApplicationError
from zonegov.core.ratelimit import check_rate

router = Router(tags=["public"])


def page_result(
    request: HttpRequest,
    category: Category,
    params: dict[str, str],
    *,
    page: int,
    per_page: int,
) -> dict[str, Any]:
    """Validate the filters like the page does and answer one page of lines (400 in the
    platform's shape when a filter is wrong)."""
    check_rate(request, "notices")
    form = DisclosureSearchForm(params, category=category)
    errors: dict[str, list[str]] = {k: [str(e) for e in v] for k, v in form.errors.items()}
    if page < 1:
        errors["page"] = [_("页码应为正整数。")]
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = [_("每页条数应在 1 到 %(n)d 之间。") % {"n": MAX_PER_PAGE}]
    if errors:
        raise ApplicationError(_("检索条件有误，请按提示修改。"), field_errors=errors)
    result = disclosure_page(category, form.filters(), page=min(page, 10**9), per_page=per_page)
    items = []
    for row in result.rows:
        item = row.api_item()
        item[category.link_name] = request.build_absolute_uri(row.link) if row.link else ""
        items.append(item)
    return {
        "count": result.count,
        "count_capped": result.capped,
        "page": result.number,
        "pages": result.num_pages,
        "per_page": result.per_page,
        "items": items,
    }


class ChoiceOut(Schema):
    value: str
    label: str


class FilterOut(Schema):
    name: str
    label: str
    choices: list[ChoiceOut]


class FieldOut(Schema):
    name: str
    label: str


class CategoryOut(Schema):
    key: str
    label: str
    title: str
    filters: list[FilterOut]
    fields: list[FieldOut]


class DisclosurePageOut(Schema):
    category: str
    label: str
    count: int
    count_capped: bool
    page: int
    pages: int
    per_page: int
    items: list[dict[str, Any]]


@router.get(
    "/disclosures",
    auth=None,
    response={200: list[CategoryOut], **PUBLIC_ERRORS},
    summary="Categories of public disclosure (双公示; no login)",
    description="Each category's key, its filters (query parameters with their values) "
    "and the public fields of its items, with labels.",
)
def list_categories(request: HttpRequest):
    check_rate(request, "notices")
    return [
        {
            "key": c.key,
            "label": str(c.label),
            "title": c.text(c.title),
            "filters": [
                {
                    "name": f.name,
                    "label": str(f.label),
                    "choices": [{"value": v, "label": str(lbl)} for v, lbl in f.options()],
                }
                for f in c.filters
            ],
            "fields": [
                {"name": f.name, "label": str(f.label)}
                for f in c.fields
                if f.api and f.compute is None
            ],
        }
        for c in categories()
    ]


@router.get(
    "/disclosures/{category}",
    auth=None,
    response={200: DisclosurePageOut, **PUBLIC_ERRORS},
    url_name="public_disclosures",
    summary="One category of public disclosure (no login), newest first",
    description=(
        "q: number prefix, or at least two characters of the name or the address. "
        "date_from/date_to: YYYY-MM-DD (announcement date, inclusive). The category's own "
        "filters (GET /api/public/disclosures) are further query parameters, e.g. "
        "event=granted for permits. "
        f"count is exact up to {COUNT_CAP} (count_capped says there are more); a page "
        "beyond the last answers the last page. 404 for an unknown category."
    ),
)
def list_disclosures(
    request: HttpRequest,
    category: str,
    q: str = "",
    date_from: str = "",
    date_to: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
):
    cat = get_category(category)
    if cat is None:
        raise Http404(_("没有这一类公示信息。"))
    params = {"q": q, "date_from": date_from, "date_to": date_to}
    params |= {f.name: request.GET.get(f.name, "") for f in cat.filters}
    return {
        "category": cat.key,
        "label": str(cat.label),
        **page_result(request, cat, params, page=page, per_page=per_page),
    }
