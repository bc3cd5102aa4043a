"""Reads of issued documents: lookup by number or file hash, and what the public may see."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils import timezone

from zonegov.core.document_kinds import document_kind_label
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.validation import has_control_characters


@dataclass(frozen=True)
class DocumentPublicInfo:
    """What the public verification page and API show about a document: no file, no
    internal status reason, no link to the subject record."""

    number: str
    kind: str
    title: str
    holder_name: str
    issuer_name: str
    issued_at: datetime
    valid_until: date | None
    status: str
    status_label: str
    status_since: date | None
    replaced_by_number: str | None
    public_fields: list[tuple[str, str]] = field(default_factory=list)
    kind_label: str = ""  # 文书类型 in words (core.document_kinds)

    @property
    def is_valid(self) -> bool:
        return self.status == DocumentStatus.VALID


def normalize_number(raw: str) -> str:
    """Typed numbers come from phones and Chinese input methods: full-width letters and
    dashes (ＺＧ－２０２６) are folded to ASCII, spaces dropped."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = text.replace("—", "-").replace("－", "-").replace("–", "-")
    return "".join(text.split())


def document_by_number(number: str) -> IssuedDocument | None:
    """The document with this number (exact match first, then ignoring letter case)."""
    number = normalize_number(number)
    if not number or len(number) > 64 or has_control_characters(number):
        return None
    doc = next(iter(IssuedDocument.objects.raw(_by_number_sql(connection.vendor), [number])), None)
    if doc is None:
        matches = list(IssuedDocument.objects.filter(number__iexact=number)[:2])
        doc = matches[0] if len(matches) == 1 else None
    return doc


@lru_cache(maxsize=4)
def _by_number_sql(vendor: str = "") -> str:
    """The exact-number lookup as one plain statement: it runs on every QR code scan, and
    compiling the equivalent queryset costs about as much as the database round trip. The
    number is unique, so no ordering or limit."""
    meta = IssuedDocument._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in meta.concrete_fields)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote('number')} = %s"


def document_by_sha256(sha256: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(sha256=sha256).first()


def document_effective_status(
    document: IssuedDocument, *, today: date | None = None
) -> tuple[str, date | None]:
    """The status to show now and the date it took effect. A document still marked valid
    whose validity has run out is shown as expired (from the day after ``valid_until``)
    even before a job records the change."""
    today = today or timezone.localdate()
    if (
        document.status == DocumentStatus.VALID
        and document.valid_until is not None
        and document.valid_until < today
    ):
        return DocumentStatus.EXPIRED, document.valid_until
    if document.status == DocumentStatus.VALID:
        return DocumentStatus.VALID, timezone.localdate(document.issued_at)
    if document.status == DocumentStatus.EXPIRED and document.valid_until is not None:
        return DocumentStatus.EXPIRED, document.valid_until
    since = timezone.localdate(document.status_changed_at) if document.status_changed_at else None
    return document.status, since


def document_public_info(document: IssuedDocument) -> DocumentPublicInfo:
    status, since = document_effective_status(document)
    replaced_by = (
        document.replaced_by.order_by("-issued_at").values_list("number", flat=True).first()
        if document.status == DocumentStatus.CHANGED
        else None
    )
    public = document.public_fields or {}
    if isinstance(public, dict):
        pairs = [(str(k), "" if v is None else str(v)) for k, v in public.items()]
    else:  # a list of [label, value] pairs keeps its order in any JSON backend
        pairs = [(str(item[0]), str(item[1])) for item in public if len(item) == 2]
    return DocumentPublicInfo(
        number=document.number,
        kind=document.kind,
        title=document.title,
        holder_name=document.holder_name,
        issuer_name=document.issuer_name,
        issued_at=document.issued_at,
        valid_until=document.valid_until,
        status=status,
        status_label=str(DocumentStatus(status).label),
        status_since=since,
        replaced_by_number=replaced_by,
        public_fields=pairs,
        kind_label=document_kind_label(document.kind, document.title),
    )


def documents_about(subject: Any, *, kinds: Iterable[str] | None = None) -> list[IssuedDocument]:
    """The documents issued about ``subject`` (its formal documents, certificates), oldest
    first, in one query; ``kinds`` narrows them to those kind codes."""
    from django.contrib.contenttypes.models import ContentType

    qs = IssuedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return list(qs.order_by("issued_at", "number"))
