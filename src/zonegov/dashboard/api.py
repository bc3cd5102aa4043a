"""Dashboard API (``/api/dashboard``): the sections the user may see and their figures.

``GET /sections`` lists them; ``GET /sections/{key}?date_from&date_to&dimension`` gives
the figures (cards), one row per kind, park or month, and the total. Bad period or
dimension answers 400 with a message in Chinese; a section the user may not see, 404.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from zonegov.core import kpis
from zonegov.core.api.base import ERRORS
from zonegov.dashboard.selectors import visible_sections

router = Router(tags=["dashboard"])


class DimensionOut(Schema):
    key: str
    label: str


class MeasureOut(Schema):
    key: str
    label: str
    kind: str
    help: str


class ScopeOut(Schema):
    kind: str
    label: str


class SectionOut(Schema):
    key: str
    title: str
    description: str
    scope: ScopeOut
    dimensions: list[DimensionOut]
    measures: list[MeasureOut]


class FigureOut(Schema):
    key: str
    label: str
    kind: str
    value: float | None
    display: str


class RowOut(Schema):
    key: str
    label: str
    values: dict[str, float | None]
    display: dict[str, str]


class FiguresOut(Schema):
    key: str
    title: str
    date_from: date
    date_to: date
    dimension: str
    dimension_label: str
    dimension_column: str
    scope: ScopeOut
    measures: list[MeasureOut]
    figures: list[FigureOut]
    rows: list[RowOut]
    total: RowOut


@router.get("/sections", response={200: list[SectionOut], **ERRORS})
def sections_list(request: HttpRequest):
    """The sections of figures the user may see, with their dimensions and measures."""
    out = []
    for section in visible_sections(request.user):
        scope = section.scope_for(request.user)
        assert scope is not None
        out.append(
            {
                "key": section.key,
                "title": str(section.title),
                "description": str(section.description),
                "scope": {"kind": str(scope.kind), "label": scope.label},
                "dimensions": [
                    {"key": d, "label": str(kpis.DIMENSIONS[d])} for d in section.dimensions
                ],
                "measures": [kpis.measure_dict(m) for m in section.measures],
            }
        )
    return out


@router.get("/sections/{key}", response={200: FiguresOut, **ERRORS})
def section_figures(
    request: HttpRequest, key: str, date_from: str = "", date_to: str = "", dimension: str = ""
):
    """Figures of one section for ``date_from``..``date_to`` (YYYY-MM-DD, inclusive;
    default this year to today) grouped by ``dimension`` (kind, park or month)."""
    visible_sections(request.user)
    section = kpis.section_for(request.user, key)
    period = kpis.parse_period(date_from, date_to)
    dimension = kpis.parse_dimension(dimension, section.dimensions)
    return kpis.compute(section, request.user, period, dimension).as_dict()
