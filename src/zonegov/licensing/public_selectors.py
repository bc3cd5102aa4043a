"""Reads of the public announcement (公示) of licensing decisions — no login.

One function, :func:`public_notice_page`, serves the page (/gongshi/), the RSS/Atom feeds
and the JSON API (/api/public/notices), so all three show the same lines for the same
filters. Only public fields leave this module (:class:`NoticeRow`): the notice rows were
written with personal ID numbers already masked (research note §1.7); the licence's
owner, legal representative and internal ids never appear.

Search (one box): a licence-number prefix (letters and digits, case-insensitive) or a
substring of at least two characters of the operator's name or the premises address.
On PostgreSQL each branch is a single indexed condition (migration 0004): the number
prefix a ``varchar_pattern_ops`` btree, a two-character substring the GIN-indexed
bigram columns,
three or more characters a trigram (pg_trgm) GIN index; PostgreSQL combines the
branches with a BitmapOr, or walks the newest-first index when the match is common.

Counting: the result count is exact up to :data:`COUNT_CAP`; beyond it the page says
"more than 1000" and offers the first ``COUNT_CAP / per_page`` pages — counting a
million matches costs far more than the page itself (every match is a row visit), and
nobody pages that deep: they narrow the search (a date range, an event, a kind) instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from zonegov.licensing import kinds
from zonegov.licensing.models import NoticeEvent, PublicNotice

PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_CAP = 1_000
MIN_SUBSTRING = 2
MAX_QUERY = 100
NUMBER_PREFIX_RE = re.compile(r"[A-Z0-9][A-Z0-9-]*")

# The fields the public may see, in display order (PublicNotice minus licence/id).
PUBLIC_FIELDS = (
    "event",
    "occurred_at",
    "kind",
    "licence_number",
    "certificate_number",
    "operator_name",
    "holder_code",
    "subject_type_name",
    "item_names",
    "premises_address",
    "valid_from",
    "valid_until",
    "issuer_name",
    "note",
)


@dataclass(frozen=True)
class NoticeFilters:
    """What the public asked for; empty values mean "all"."""

    query: str = ""
    event: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def number_prefix(self) -> str:
        """The query as a licence-number prefix, or "" when it cannot be one."""
        text = self.query.replace(" ", "").upper()
        return text if NUMBER_PREFIX_RE.fullmatch(text) else ""


@dataclass(frozen=True)
class NoticeRow:
    """One public line: nothing here is secret."""

    key: int  # stable identifier for feed readers (the notice's row number)
    event: str
    event_label: str
    occurred_at: datetime
    kind: str
    kind_label: str
    licence_number: str
    certificate_number: str
    operator_name: str
    holder_code: str
    subject_type_name: str
    item_names: str
    premises_address: str
    valid_from: date | None
    valid_until: date | None
    issuer_name: str
    note: str

    @property
    def verify_path(self) -> str:
        """The certificate's public verification page, when a certificate was issued."""
        if not self.certificate_number:
            return ""
        return reverse("verify_document", args=[self.certificate_number])


@dataclass
class NoticePage:
    rows: list[NoticeRow]
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


def _has_bigram(column: str, pair: str) -> RawSQL:
    """``pair`` is one of the value's two-character substrings (PostgreSQL: the generated
    bigram columns of migration 0004, GIN-indexed)."""
    table = PublicNotice._meta.db_table
    return RawSQL(f'"{table}"."{column}" @> ARRAY[%s]::text[]', [pair], output_field=BooleanField())


def _search(qs: QuerySet[PublicNotice], query: str, number_prefix: str) -> QuerySet:
    condition = Q()
    if number_prefix:
        condition |= Q(licence_number__startswith=number_prefix)
    if len(query) >= MIN_SUBSTRING:
        if connection.vendor == "postgresql" and len(query) == MIN_SUBSTRING:
            # Exact: a two-character substring is present iff it is one of the bigrams.
            condition |= Q(_has_bigram("name_bigrams", query)) | Q(
                _has_bigram("address_bigrams", query)
            )
        else:
            condition |= Q(operator_name__contains=query) | Q(premises_address__contains=query)
    if not condition:
        return qs.none()
    return qs.filter(condition)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def public_notices(filters: NoticeFilters) -> QuerySet[PublicNotice]:
    """The matching notices, newest first (a queryset of public fields only)."""
    qs = PublicNotice.objects.only(*PUBLIC_FIELDS).order_by("-occurred_at", "-id")
    if filters.event:
        qs = qs.filter(event=filters.event)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    query = " ".join(filters.query.split())[:MAX_QUERY]
    if query:
        qs = _search(qs, query, filters.number_prefix)
    return qs


def notice_row(notice: PublicNotice) -> NoticeRow:
    return NoticeRow(
        key=notice.pk,
        event=notice.event,
        event_label=str(NoticeEvent(notice.event).label),
        occurred_at=notice.occurred_at,
        kind=notice.kind,
        kind_label=kinds.kind(notice.kind).name if notice.kind in kinds.KINDS else notice.kind,
        licence_number=notice.licence_number,
        certificate_number=notice.certificate_number,
        operator_name=notice.operator_name,
        holder_code=notice.holder_code,
        subject_type_name=notice.subject_type_name,
        item_names=notice.item_names,
        premises_address=notice.premises_address,
        valid_from=notice.valid_from,
        valid_until=notice.valid_until,
        issuer_name=notice.issuer_name,
        note=notice.note,
    )


def public_notice_page(
    filters: NoticeFilters, *, page: int = 1, per_page: int = PER_PAGE
) -> NoticePage:
    """One page of the announcement. ``page`` beyond the last page gives the last page
    (``beyond_last`` tells the caller to say so)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    requested = max(1, page)
    qs = public_notices(filters)
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    result = NoticePage(
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
        result.rows = [notice_row(n) for n in qs[offset : offset + per_page]]
    return result
