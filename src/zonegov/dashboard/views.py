"""The dashboard page (统计分析) and its .xlsx export. Who sees what is decided by each
registered section (``core.kpis``): leaders and org admins zone-wide, the section's
roles for their unit, park officers for their park where the section allows it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zonegov.core import kpis
from zonegov.core.access import staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.xlsx import xlsx_response
from zonegov.dashboard.selectors import dashboard_results, export_xlsx, visible_sections


def _context(request: HttpRequest) -> dict:
    """What the filter form offers: only the dimensions some section the user sees can
    group by (a licensing officer is not offered 按单位, which only 好差评 has)."""
    offered = {d for s in visible_sections(request.user) for d in s.dimensions}
    typed = {
        "date_from": request.GET.get("date_from", "")[:40],
        "date_to": request.GET.get("date_to", "")[:40],
        "dimension": request.GET.get("dimension", "")[:40],
    }
    return {
        "typed": typed,
        "dimensions": [(k, str(v)) for k, v in kpis.DIMENSIONS.items() if k in offered],
    }


def _page(request: HttpRequest, context: dict, error: ApplicationError | None) -> HttpResponse:
    if error is not None:
        context.update(error=error.message, field_errors=error.field_errors, results=[])
    return render(request, "dashboard/index.html", context, status=400 if error else 200)


@staff_required()
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Figures of every section the user may see for a period (default: this year to
    today), grouped by kind, park or month: cards, a chart and a table."""
    sections = visible_sections(request.user)
    context = _context(request)
    try:
        period = kpis.parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
        dimension = kpis.parse_dimension(request.GET.get("dimension"))
    except ApplicationError as exc:
        context["sections"] = sections
        return _page(request, context, exc)
    results = dashboard_results(request.user, period, dimension)
    context.update(
        period=period,
        dimension=dimension,
        results=[
            {"data": r.as_dict(), "chart": r.chart(), "chart_id": f"chart-data-{r.section.key}"}
            for r in results
        ],
        export_query=f"date_from={period.date_from.isoformat()}&date_to={period.date_to.isoformat()}",
    )
    return _page(request, context, None)


@staff_required()
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The same figures as .xlsx, one sheet per section and dimension."""
    visible_sections(request.user)
    try:
        period = kpis.parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
    except ApplicationError as exc:
        context = _context(request)
        context["sections"] = visible_sections(request.user)
        return _page(request, context, exc)
    content = export_xlsx(request.user, period)
    filename = _("统计分析_%(f)s_%(t)s.xlsx") % {
        "f": period.date_from.strftime("%Y%m%d"),
        "t": period.date_to.strftime("%Y%m%d"),
    }
    return xlsx_response(content, filename)
