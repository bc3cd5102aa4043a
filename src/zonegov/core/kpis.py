"""The registry of dashboard figures (统计分析).

Each app contributes *sections* from its own ``kpis.py`` (auto-discovered, like
``outbox_consumers.py``): a title, the measures it computes, the dimensions it can group
by, the roles that may see it, and a ``compute(query)`` function that reads only that
app's models and returns plain data (no model instances). The ``dashboard`` app shows
and exports whatever is registered, so it never reaches into another app's models.

Who sees what (:meth:`Section.scope_for`): leaders and org admins see zone-wide figures;
staff holding one of the section's roles see the records of their unit and the units
below it; park officers, when the section allows it, see the figures of the
enterprises of their own park; everyone else sees nothing.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonegov.core import workdays
from zonegov.core.errors import ApplicationError
from zonegov.core.roles import LEADER, ORG_ADMIN, PARK_OFFICER
from zonegov.core.validation import date_in_range, date_out_of_range_message

Value = int | float | None

DIMENSIONS: dict[str, Any] = {
    "kind": gettext_lazy("按种类"),
    "park": gettext_lazy("按园区"),
    "month": gettext_lazy("按月份"),
}
# The heading of the dimension's column in tables and sheets.
DIMENSION_COLUMNS: dict[str, Any] = {
    "kind": gettext_lazy("种类"),
    "park": gettext_lazy("园区"),
    "month": gettext_lazy("月份"),
}
DEFAULT_DIMENSION = "month"
NONE_KEY = "none"  # the row of records without a park (persons, unassigned enterprises)
MAX_PERIOD_DAYS = 366 * 10
ZONE_ROLES = frozenset({LEADER, ORG_ADMIN})


# --------------------------------------------------------------------------- scope


class ScopeKind(StrEnum):
    ZONE = "zone"  # everything
    UNIT = "unit"  # records handled by the user's unit or a unit below it
    PARK = "park"  # records of enterprises whose park is the user's unit (or below)


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    path: str = ""
    unit_name: str = ""

    @property
    def label(self) -> str:
        if self.kind == ScopeKind.ZONE:
            return _("全区")
        if self.kind == ScopeKind.PARK:
            return _("%(unit)s（本园区企业）") % {"unit": self.unit_name}
        return _("%(unit)s及下级单位") % {"unit": self.unit_name}

    def units(self, prefix: str) -> Q:
        """Rows whose ``prefix`` unit lies in the scope (ZONE: every row)."""
        if self.kind == ScopeKind.ZONE:
            return Q()
        return Q(**{f"{prefix}__path__startswith": self.path})


# --------------------------------------------------------------------------- period


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=workdays.SHANGHAI)

    @property
    def end(self) -> datetime:
        """Exclusive end: midnight after ``date_to`` (Asia/Shanghai)."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, workdays.SHANGHAI)

    @property
    def label(self) -> str:
        return f"{self.date_from.isoformat()} — {self.date_to.isoformat()}"

    def months(self) -> list[tuple[str, str]]:
        """(key ``YYYY-MM``, label) of every month the period touches."""
        year, month = self.date_from.year, self.date_from.month
        out = []
        while (year, month) <= (self.date_to.year, self.date_to.month):
            out.append((f"{year:04d}-{month:02d}", _("%(y)d年%(m)d月") % {"y": year, "m": month}))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def default_period(today: date | None = None) -> Period:
    """This year up to today."""
    today = today or timezone.localdate()
    return Period(date(today.year, 1, 1), today)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(value: str, field_name: str, label: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            _("%(label)s“%(value)s”不是有效日期，请按 年-月-日（如 2026-01-31）填写。")
            % {"label": label, "value": value[:40]},
            field_errors={field_name: [_("日期格式应为 年-月-日，如 2026-01-31。")]},
        ) from None
    if not date_in_range(parsed):
        raise ApplicationError(
            _("%(label)s：%(rule)s") % {"label": label, "rule": date_out_of_range_message()},
            field_errors={field_name: [date_out_of_range_message()]},
        )
    return parsed


def parse_period(
    date_from: str | None, date_to: str | None, *, today: date | None = None
) -> Period:
    """The period of ``date_from``/``date_to`` (``YYYY-MM-DD``, both inclusive); a missing
    end defaults to this year (from 1 January, to today). Raises ApplicationError with a
    message in Chinese on bad input."""
    default = default_period(today)
    text_from = (date_from or "").strip()
    text_to = (date_to or "").strip()
    start = _parse_date(text_from, "date_from", _("开始日期")) if text_from else None
    end = _parse_date(text_to, "date_to", _("结束日期")) if text_to else None
    if start is None and end is None:
        return default
    if start is None:
        assert end is not None
        start = date(end.year, 1, 1)
    if end is None:
        today = default.date_to
        end = today if start.year == today.year and start <= today else date(start.year, 12, 31)
    if start > end:
        raise ApplicationError(
            _("开始日期（%(f)s）不能晚于结束日期（%(t)s）。")
            % {"f": start.isoformat(), "t": end.isoformat()},
            field_errors={"date_from": [_("开始日期不能晚于结束日期。")]},
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ApplicationError(
            _("统计期间不能超过十年，请缩短期间。"),
            field_errors={"date_to": [_("统计期间不能超过十年。")]},
        )
    return Period(start, end)


def parse_dimension(value: str | None, allowed: Iterable[str] = DIMENSIONS) -> str:
    value = (value or "").strip() or DEFAULT_DIMENSION
    allowed = list(allowed)
    if value not in allowed:
        names = "、".join(str(DIMENSIONS[d]) for d in allowed)
        raise ApplicationError(
            _("没有“%(value)s”这个统计维度，可选：%(names)s。")
            % {"value": value[:40], "names": names},
            field_errors={"dimension": [_("请选择按种类、按园区或按月份。")]},
        )
    return value


# --------------------------------------------------------------------------- measures


class MeasureKind(StrEnum):
    COUNT = "count"  # a number of records
    SHARE = "share"  # a ratio 0..1, shown as a percentage
    DAYS = "days"  # working days
    HOURS = "hours"


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    kind: MeasureKind = MeasureKind.COUNT
    help: Any = ""  # how it is computed (shown under the table and in the export)
    card: bool = True  # a figure card above the chart
    chart: bool = True  # a series in the chart (counts as bars, shares as lines)

    def display(self, value: Value) -> str:
        if value is None:
            return "—"
        if self.kind == MeasureKind.SHARE:
            return f"{value * 100:.1f}%"
        if self.kind == MeasureKind.DAYS:
            return _("%(n)s 个工作日") % {"n": _number(value)}
        if self.kind == MeasureKind.HOURS:
            return _("%(n)s 小时") % {"n": _number(value)}
        return str(int(value))


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: Mapping[str, Value]


@dataclass(frozen=True)
class Figures:
    """What a section's ``compute`` returns: one row per group and the total."""

    rows: list[Row]
    total: Row


@dataclass(frozen=True)
class Query:
    period: Period
    dimension: str
    scope: Scope


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    short_title: Any  # for sheet names (≤ 20 characters)
    measures: tuple[Measure, ...]
    compute: Callable[[Query], Figures]
    roles: frozenset[str]  # besides leaders and org admins, who see figures of their unit
    park_officers: bool = False  # park officers see the figures of their park's enterprises
    dimensions: tuple[str, ...] = ("kind", "park", "month")
    order: int = 100
    description: Any = ""

    def scope_for(self, user: Any) -> Scope | None:
        if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
            return None
        unit = user.unit
        if user.has_role(*ZONE_ROLES):
            return Scope(ScopeKind.ZONE, unit.path, unit.name)
        if self.roles and user.has_role(*self.roles):
            return Scope(ScopeKind.UNIT, unit.path, unit.name)
        if self.park_officers and user.has_role(PARK_OFFICER):
            return Scope(ScopeKind.PARK, unit.path, unit.name)
        return None

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


@dataclass(frozen=True)
class Result:
    section: Section
    query: Query
    figures: Figures = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (the API, the chart) and templates."""
        measures = self.section.measures

        def row(r: Row) -> dict[str, Any]:
            return {
                "key": r.key,
                "label": r.label,
                "values": {m.key: r.values.get(m.key) for m in measures},
                "display": {m.key: m.display(r.values.get(m.key)) for m in measures},
                "cells": [m.display(r.values.get(m.key)) for m in measures],
            }

        return {
            "key": self.section.key,
            "title": str(self.section.title),
            "description": str(self.section.description),
            "date_from": self.query.period.date_from,
            "date_to": self.query.period.date_to,
            "dimension": self.query.dimension,
            "dimension_label": str(DIMENSIONS[self.query.dimension]),
            "dimension_column": str(DIMENSION_COLUMNS[self.query.dimension]),
            "scope": {"kind": str(self.query.scope.kind), "label": self.query.scope.label},
            "measures": [measure_dict(m) for m in measures],
            "figures": [
                {
                    "key": m.key,
                    "label": str(m.label),
                    "kind": str(m.kind),
                    "value": self.figures.total.values.get(m.key),
                    "display": m.display(self.figures.total.values.get(m.key)),
                }
                for m in measures
                if m.card
            ],
            "rows": [row(r) for r in self.figures.rows],
            "total": row(self.figures.total),
        }

    def chart(self) -> dict[str, Any]:
        """ECharts-ready data: categories, bar series of counts, line series of shares (%)."""
        series = []
        for m in self.section.measures:
            if not m.chart or m.kind not in (MeasureKind.COUNT, MeasureKind.SHARE):
                continue
            share = m.kind == MeasureKind.SHARE
            data = []
            for r in self.figures.rows:
                v = r.values.get(m.key)
                data.append(None if v is None else round(v * 100, 1) if share else v)
            series.append({"name": str(m.label), "kind": str(m.kind), "data": data})
        return {
            "title": str(self.section.title),
            "categories": [r.label for r in self.figures.rows],
            "series": series,
        }


def measure_dict(m: Measure) -> dict[str, Any]:
    return {"key": m.key, "label": str(m.label), "kind": str(m.kind), "help": str(m.help)}


# --------------------------------------------------------------------------- registry

_REGISTRY: dict[str, Section] = {}
_discovered = False


def register(section: Section) -> Section:
    """Add (or replace) a section. Call at import time of an app's ``kpis.py``."""
    _REGISTRY[section.key] = section
    return section


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def _discover() -> None:
    """Import every installed app's ``kpis`` module (once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("kpis")
        _discovered = True


def sections() -> list[Section]:
    _discover()
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key))


def sections_for(user: Any) -> list[Section]:
    return [s for s in sections() if s.scope_for(user) is not None]


def section_for(user: Any, key: str) -> Section:
    """The section, or 404 when it does not exist or the user may not see it."""
    _discover()
    section = _REGISTRY.get(key)
    if section is None or section.scope_for(user) is None:
        raise Http404
    return section


def compute(section: Section, user: Any, period: Period, dimension: str) -> Result:
    scope = section.scope_for(user)
    if scope is None:
        raise Http404
    dimension = parse_dimension(dimension, section.dimensions)
    query = Query(period=period, dimension=dimension, scope=scope)
    return Result(section=section, query=query, figures=section.compute(query))


# --------------------------------------------------------------------------- helpers
# for the apps' compute functions. An app describes where its records keep what the
# dashboard filters and groups by (a ``Source``); ``records`` applies the query's period,
# scope and dimension to a queryset, ``tally`` aggregates it by row and in total,
# ``row_labels`` lists the rows and ``assemble`` builds the Figures. The app keeps only its
# measures and what it counts.


@dataclass(frozen=True)
class ParkOf:
    """How a record reaches the park (园区) of its enterprise: through a foreign key to
    the park's Unit (``unit="enterprise__park"``), or through an enterprise's 统一社会信用代码
    matched in the core registry (``uscc="operator__enterprise_uscc"``), for apps that keep
    only the code."""

    unit: str = ""
    uscc: str = ""

    def in_scope(self, scope: Scope) -> Any:
        """A filter: the record's park lies in the (park) scope."""
        if self.unit:
            return scope.units(self.unit)
        from zonegov.core.models import Enterprise

        return Exists(
            Enterprise.objects.filter(uscc=OuterRef(self.uscc), park__path__startswith=scope.path)
        )

    def key(self) -> Any:
        """An expression: the pk of the record's park (NULL without one)."""
        if self.unit:
            return F(self.unit)
        from zonegov.core.models import Enterprise

        return Subquery(Enterprise.objects.filter(uscc=OuterRef(self.uscc)).values("park_id")[:1])


@dataclass(frozen=True)
class Source:
    """Where one kind of record keeps what the dashboard needs."""

    day: str  # the date or date-time field the period selects on and months group by
    units: tuple[str, ...]  # lookups to Units: in a unit scope when any lies in its subtree
    park: ParkOf  # for the park scope and the 按园区 rows
    kind: str  # the lookup of the 按种类 value


def _is_datetime(model: Any, lookup: str) -> bool:
    """Whether ``lookup`` (``"sampling__sampled_on"``) ends at a DateTimeField."""
    from django.db import models

    field = None
    for part in lookup.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return isinstance(field, models.DateTimeField)


def in_period(qs: QuerySet, day: str, period: Period) -> QuerySet:
    """The records whose ``day`` falls in the period: a date from ``date_from`` to
    ``date_to``, a date-time in Asia/Shanghai days (``start`` inclusive, ``end`` not)."""
    if _is_datetime(qs.model, day):
        return qs.filter(**{f"{day}__gte": period.start, f"{day}__lt": period.end})
    return qs.filter(**{f"{day}__gte": period.date_from, f"{day}__lte": period.date_to})


def in_scope(qs: QuerySet, source: Source, scope: Scope) -> QuerySet:
    if scope.kind == ScopeKind.UNIT:
        condition = Q()
        for lookup in source.units:
            condition |= scope.units(lookup)
        return qs.filter(condition)
    if scope.kind == ScopeKind.PARK:
        return qs.filter(source.park.in_scope(scope))
    return qs


def group_expression(source: Source, model: Any, dimension: str) -> Any:
    """The value a record is grouped by: its kind, its park's pk, or its month (in
    Asia/Shanghai for a date-time)."""
    if dimension == "kind":
        return F(source.kind)
    if dimension == "park":
        return source.park.key()
    if _is_datetime(model, source.day):
        return TruncMonth(source.day, tzinfo=workdays.SHANGHAI)
    return TruncMonth(source.day)


def records(source: Source, qs: QuerySet, query: Query) -> QuerySet:
    """``qs`` restricted to the query's period and scope, each record annotated with its
    row's group value as ``g`` (turned into a row key by ``group_key``)."""
    qs = in_scope(in_period(qs, source.day, query.period), source, query.scope)
    return qs.annotate(g=group_expression(source, qs.model, query.dimension))


Tally = tuple[dict[str, dict[str, Any]], dict[str, Any]]


def tally(qs: QuerySet, counts: Mapping[str, Any]) -> Tally:
    """``({row key: {name: value}}, {name: total})`` of the aggregates ``counts`` over the
    records of ``records`` — one grouped query and one total, in the database."""
    rows = {group_key(r.pop("g")): r for r in qs.values("g").annotate(**counts)}
    return rows, qs.aggregate(**counts)


def merge(parts: Iterable[Tally]) -> Tally:
    """Tallies of several kinds of records (inspections, samplings, …) as one."""
    values: dict[str, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    for rows, part_total in parts:
        for key, part in rows.items():
            values.setdefault(key, {}).update(part)
        total.update(part_total)
    return values, total


def row_labels(
    query: Query,
    present: Iterable[str],
    *,
    kinds: Iterable[tuple[str, str]] | None = None,
    unnamed_kind: str = "",
) -> list[tuple[str, str]]:
    """(key, label) of the rows of the query's dimension: the months of the period, the
    parks (``park_rows``), or the kinds — ``kinds`` when the app has a fixed list, else the
    kinds present in the data, sorted, the one without a kind named ``unnamed_kind``."""
    if query.dimension == "park":
        return park_rows(query.scope, present)
    if query.dimension == "kind":
        if kinds is not None:
            return list(kinds)
        unnamed = unnamed_kind or NONE_KEY
        return [(k, unnamed if k == NONE_KEY else k) for k in sorted(present)]
    return query.period.months()


def durations(
    spans: Iterable[tuple[Any, datetime, datetime]],
) -> dict[str, list[tuple[float, int]]]:
    """``{row key: [(hours, working days), …]}`` of ``(group value, start, end)`` spans:
    hours actually elapsed, and working days after the start's day up to the end's
    (《行政许可法》第八十二条 counting) — the calendar read once for all of them."""
    spans = list(spans)
    out: dict[str, list[tuple[float, int]]] = {}
    if not spans:
        return out
    first = min(workdays.local_date(start) for _g, start, _end in spans)
    last = max(workdays.local_date(end) for _g, _start, end in spans)
    counter = WorkingDayCounter(first, last)
    for g, start, end in spans:
        hours = max((end - start).total_seconds(), 0) / 3600
        days = max(counter.between(workdays.local_date(start), workdays.local_date(end)), 0)
        out.setdefault(group_key(g), []).append((hours, days))
    return out


def month_key(value: date | datetime | None) -> str:
    if value is None:
        return NONE_KEY
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = value.astimezone(workdays.SHANGHAI)
    return f"{value.year:04d}-{value.month:02d}"


def group_key(value: Any) -> str:
    """A row key from a grouped value: ``YYYY-MM`` for dates, ``none`` for NULL/blank."""
    if value is None or value == "":
        return NONE_KEY
    if isinstance(value, date):
        return month_key(value)
    return str(value)


def park_rows(scope: Scope, present: Iterable[str]) -> list[tuple[str, str]]:
    """(key, label) of the park rows: every active park in scope, any other 属地 unit
    that appears in the data, then the records without one (未归属园区)."""
    from zonegov.core.models import Unit
    from zonegov.core.models.org import UnitKind

    present = set(present)
    ids = {int(k) for k in present if k.isdigit()}
    units = Unit.objects.filter(Q(kind=UnitKind.PARK, is_active=True) | Q(pk__in=ids))
    if scope.kind == ScopeKind.PARK:
        units = units.filter(path__startswith=scope.path)
    rows = [(str(u.pk), u.name) for u in units.order_by("sort_order", "path")]
    if NONE_KEY in present:
        rows.append((NONE_KEY, _("未归属园区")))
    return rows


def assemble(
    measures: Iterable[Measure],
    labels: Iterable[tuple[str, str]],
    values: Mapping[str, Mapping[str, Value]],
    total: Mapping[str, Value],
) -> Figures:
    """Rows in the order of ``labels`` (then any other key found in ``values``); counts
    missing for a row are 0, other measures ``None``."""
    measures = list(measures)
    labels = list(labels)
    known = {k for k, _label in labels}
    labels += [(k, k) for k in sorted(values) if k not in known]

    def filled(vals: Mapping[str, Value]) -> dict[str, Value]:
        return {
            m.key: vals.get(m.key, 0 if m.kind == MeasureKind.COUNT else None) for m in measures
        }

    rows = [Row(k, label, filled(values.get(k, {}))) for k, label in labels]
    return Figures(rows=rows, total=Row("total", _("合计"), filled(total)))


def share(part: Value, whole: Value) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (part or 0) / whole


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


class WorkingDayCounter:
    """``workdays.working_days_between`` for many pairs of dates: the calendar (statutory
    holidays, 调休 and the admin's overrides) is read once for ``first``..``last``."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.last = max(first, last)
        self._working: list[date] = workdays.working_days_in(self.first, self.last)

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        if not (self.first <= start <= self.last and self.first <= end <= self.last):
            return workdays.working_days_between(start, end)
        return bisect_right(self._working, end) - bisect_right(self._working, start)
