"""Reads of the public disclosures (公示) — no login, any registered category.

One function, :func:`disclosure_page`, serves the page (/gongshi/<category>/), the RSS/Atom
feeds and the JSON API, so all three show the same lines for the same filters. Only the
category's public fields leave this module (:class:`DisclosureRow`): the lines were
written with personal ID numbers already masked (``core.disclosure.publish``); a model's
other columns (the licence id, owner, …) never appear.

Search (one box): a number prefix (letters and digits, case-insensitive), a substring of
at least two characters of the category's text fields (name, address), or — one character
— the first character of the subject's name (a surname: the commonest search, 姓“张”的).
On PostgreSQL each branch is a single indexed condition (``core.disclosure.pg``): the
number prefix and the one-character name prefix ``varchar_pattern_ops`` btrees, a
two-character substring the GIN-indexed bigram columns, three or more characters a
trigram (pg_trgm) GIN index; PostgreSQL combines the branches with a BitmapOr, or walks
the newest-first index when the match is common.

Counting: the result count is exact up to :data:`COUNT_CAP`; beyond it the page says
"more than 1000" and offers the first ``COUNT_CAP / per_page`` pages — counting a
million matches costs far more than the page itself (every match is a row visit), and
nobody pages that deep: they narrow the search (a date range, an event, a kind) instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format

from zonegov.core.disclosure.registry import Category, PublicField

PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_CAP = 1_000
MIN_SUBSTRING = 2
MAX_QUERY = 100


@dataclass(frozen=True)
class DisclosureFilters:
    """What the public asked for; empty values mean "all". ``choices``: filter name →
    value (事项, 种类…), only the category's own filters."""

    query: str = ""
    choices: Mapping[str, str] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def build(
        cls,
        query: str = "",
        date_from: date | None = None,
        date_to: date | None = None,
        **choices: str,
    ) -> DisclosureFilters:
        return cls(
            query=query,
            choices={k: v for k, v in choices.items() if v},
            date_from=date_from,
            date_to=date_to,
        )


@dataclass(frozen=True)
class Detail:
    """One labelled value as the page shows it."""

    field: PublicField
    text: str

    @property
    def label(self) -> str:
        return str(self.field.label)


@dataclass(frozen=True)
class DisclosureRow:
    """One public line: nothing here is secret. ``values`` holds the public fields by
    their public names (and ``<filter>_label`` for each filter)."""

    key: int  # stable identifier for feed readers (the line's row number)
    category: Category
    values: Mapping[str, Any]
    link: str  # the line's public link (certificate verification), or ""
    occurred_at: datetime  # the category's roles, whatever the public names
    number: str
    subject_name: str

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def badge(self) -> tuple[str, str, str]:
        """(value, label, css class) of the first filter, or empty."""
        flt = self.category.badge_filter
        if flt is None:
            return "", "", ""
        value = self.values.get(flt.name, "")
        css = self.category.badge_classes.get(value, "bg-secondary")
        return value, self.values.get(f"{flt.name}_label", value), css

    @property
    def details(self) -> list[Detail]:
        """The fields the page lists under the line's heading, formatted."""
        out = []
        for spec in self.category.fields:
            if not spec.page:
                continue
            text = _display(self.category, spec, self.values)
            if not text and spec.hide_empty:
                continue
            out.append(Detail(spec, text or spec.empty))
        return out

    def api_item(self) -> dict[str, Any]:
        """The line as the JSON gives it (absolute link added by the caller)."""
        item = {}
        labels = {f.name for f in self.category.filters}
        for spec in self.category.fields:
            if spec.api and spec.compute is None:
                item[spec.name] = self.values[spec.name]
                if spec.name in labels:
                    item[f"{spec.name}_label"] = self.values[f"{spec.name}_label"]
        return item


def _display(category: Category, spec: PublicField, values: Mapping[str, Any]) -> str:
    if spec.compute is not None:
        return spec.compute(values)
    if spec.name in {f.name for f in category.filters}:
        return str(values.get(f"{spec.name}_label", ""))
    value = values.get(spec.name)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class DisclosurePage:
    rows: list[DisclosureRow]
    number: int
    per_page: int
    count: int  # exact when not ``capped``
    capped: bool  # more than COUNT_CAP matches
    requested: int  # the page asked for (may be beyond the last one)
    num_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = max(1, math.ceil(min(self.count, COUNT_CAP) / self.per_page))

    @property
    def beyond_last(self) -> bool:
        return self.requested > self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0


def _has_bigram(table: str, column: str, pair: str) -> RawSQL:
    """``pair`` is one of the value's two-character substrings (PostgreSQL: a generated
    bigram column of ``core.disclosure.pg``, GIN-indexed)."""
    return RawSQL(f'"{table}"."{column}" @> ARRAY[%s]::text[]', [pair], output_field=BooleanField())


def _search(category: Category, qs: QuerySet, query: str) -> QuerySet:
    condition = Q()
    prefix = category.number_prefix(query)
    if prefix:
        condition |= Q(**{f"{category.number_field}__startswith": prefix})
    if len(query) < MIN_SUBSTRING and category.name_field:
        # One character: the name's first character (a surname), a prefix served by the
        # name's varchar_pattern_ops btree; "contains one character" matches too much to
        # be useful and no index answers it.
        condition |= Q(**{f"{category.name_field}__startswith": query})
    if len(query) >= MIN_SUBSTRING:
        table = category.model._meta.db_table
        for text in category.text_search:
            if connection.vendor == "postgresql" and len(query) == MIN_SUBSTRING:
                # Exact: a two-character substring is present iff it is one of the bigrams.
                condition |= Q(_has_bigram(table, text.bigram_column, query))
            else:
                condition |= Q(**{f"{text.field}__contains": query})
    if not condition:
        return qs.none()
    return qs.filter(condition)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _public_attributes(category: Category) -> list[str]:
    names = [f.attribute for f in category.fields if f.compute is None]
    names += [f.attribute for f in category.filters]
    names += [n for n in (category.date_field, category.number_field, category.name_field) if n]
    return list(dict.fromkeys(names))


def disclosure_queryset(category: Category, filters: DisclosureFilters) -> QuerySet:
    """The matching lines, newest first (a queryset of public fields only)."""
    day = category.date_field
    qs = category.records().only(*_public_attributes(category)).order_by(f"-{day}", "-id")
    for flt in category.filters:
        value = filters.choices.get(flt.name)
        if value:
            qs = qs.filter(**{flt.attribute: value})
    if filters.date_from:
        qs = qs.filter(**{f"{day}__gte": _day_start(filters.date_from)})
    if filters.date_to:
        qs = qs.filter(**{f"{day}__lt": _day_start(filters.date_to + timedelta(days=1))})
    query = " ".join(filters.query.split())[:MAX_QUERY]
    if query:
        qs = _search(category, qs, query)
    return qs


def disclosure_row(category: Category, record: Model) -> DisclosureRow:
    values: dict[str, Any] = {}
    for spec in category.fields:
        if spec.compute is None:
            values[spec.name] = getattr(record, spec.attribute)
    for flt in category.filters:
        value = getattr(record, flt.attribute)
        values.setdefault(flt.name, value)
        values[f"{flt.name}_label"] = flt.label_of(value)
    return DisclosureRow(
        key=record.pk,
        category=category,
        values=values,
        link=category.link(record) if category.link else "",
        occurred_at=getattr(record, category.date_field),
        number=getattr(record, category.number_field, "") if category.number_field else "",
        subject_name=getattr(record, category.name_field, "") if category.name_field else "",
    )


def disclosure_page(
    category: Category, filters: DisclosureFilters, *, page: int = 1, per_page: int = PER_PAGE
) -> DisclosurePage:
    """One page of a category's disclosure. ``page`` beyond the last page gives the last
    page (``beyond_last`` tells the caller to say so)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    requested = max(1, page)
    qs = disclosure_queryset(category, filters)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    result = DisclosurePage(
        rows=[],
        number=1,
        per_page=per_page,
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
        requested=requested,
    )
    result.number = min(requested, result.num_pages)
    offset = (result.number - 1) * per_page
    if count:
        result.rows = [disclosure_row(category, r) for r in qs[offset : offset + per_page]]
    return result
