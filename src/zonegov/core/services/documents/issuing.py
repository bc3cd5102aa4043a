"""Issuing a document: number, render, sign, store the file, record its hash, audit."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from zonegov.core import pki
from zonegov.core.errors import ApplicationError
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.audit import audit_append
from zonegov.core.services.documents.layout import DocumentLayout, render_pdf
from zonegov.core.services.documents.signing import sign_pdf
from zonegov.core.services.documents.status import _set_status
from zonegov.core.services.numbering import number_format

LayoutBuilder = Callable[[str, str], DocumentLayout]
# Numbers go into URLs (the QR code) and file names.
NUMBER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _verify_url(number: str) -> str:
    base = settings.ZONEGOV_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("verify_document", args=[number])


@transaction.atomic
def document_issue(
    *,
    actor: Any,
    kind: str,
    title: str,
    holder_name: str,
    layout: Any = None,
    layout_builder: LayoutBuilder | None = None,
    subject: models.Model | None = None,
    public_fields: dict[str, Any] | Sequence[tuple[str, Any]] | None = None,
    valid_until: date | None = None,
    number: str | None = None,
    replaces: IssuedDocument | None = None,
    render: Callable[[Any], bytes] | None = None,
) -> IssuedDocument:
    """Number, render, sign and store a document; record its hash; audit.

    Pass either ``layout`` (its ``number``/``verify_url`` are replaced, an empty
    ``issued_on`` becomes today) or ``layout_builder(number, verify_url) -> DocumentLayout``.
    ``public_fields`` is what the public verification page shows besides title, holder,
    issuer and status; give a list of (label, value) pairs to keep their order on
    PostgreSQL (jsonb does not keep dict key order). With ``replaces``, the old document
    (valid or expired) is marked changed (已变更) and points to this one. ``render`` draws
    another layout type (a dataclass with ``number``, ``verify_url``, ``issued_on`` and
    ``issuer_name``; default: the certificate page, ``render_pdf``), e.g. the formal
    documents' letter (``instruments.render_letter``).
    """
    if (layout is None) == (layout_builder is None):
        raise TypeError("document_issue() needs exactly one of layout, layout_builder")
    if replaces is not None:
        replaces = IssuedDocument.objects.select_for_update().get(pk=replaces.pk)
        if replaces.status not in (DocumentStatus.VALID, DocumentStatus.EXPIRED):
            raise ApplicationError(
                _("原文书状态为“%(status)s”，不能再被变更替代。")
                % {"status": replaces.get_status_display()}
            )
    number_checked = bool(number)
    if number:
        if not NUMBER_PATTERN.fullmatch(number):
            message = _("文书编号只能由字母、数字、点、横线和下划线组成，且不超过64位。")
            raise ApplicationError(message, field_errors={"number": [message]})
        if IssuedDocument.objects.filter(number=number).exists():
            raise ApplicationError(
                _("文书编号 %(number)s 已被使用。") % {"number": number},
                field_errors={"number": [_("该编号已被使用。")]},
            )
    else:
        number = number_format(prefix="ZG")
    verify_url = _verify_url(number)
    issued_at = timezone.now()
    if layout_builder is not None:
        layout = layout_builder(number, verify_url)
    assert layout is not None
    layout = dataclasses.replace(
        layout,
        number=number,
        verify_url=verify_url,
        issued_on=layout.issued_on or timezone.localdate(issued_at),
        issuer_name=layout.issuer_name or settings.ZONEGOV_ZONE_NAME,
    )
    with translation.override(settings.LANGUAGE_CODE):  # recorded texts stay Chinese
        reason = _("%(title)s（编号 %(number)s）") % {"title": title, "number": number}
        replaced_reason = _("已由 %(number)s 替代") % {"number": number}
    signed = sign_pdf((render or render_pdf)(layout), reason=reason, location=layout.issuer_name)
    if isinstance(public_fields, dict) or public_fields is None:
        public: Any = {str(k): v for k, v in (public_fields or {}).items()}
    else:
        public = [[str(k), v] for k, v in public_fields]
    doc = IssuedDocument(
        number=number,
        kind=kind,
        title=title,
        holder_name=holder_name,
        public_fields=public,
        sha256=hashlib.sha256(signed).hexdigest(),
        signer_fingerprint=pki.signer_fingerprint(),
        issued_at=issued_at,
        valid_until=valid_until,
        issuer_name=layout.issuer_name,
        replaces=replaces,
    )
    if subject is not None:
        doc.subject_type = ContentType.objects.get_for_model(subject)
        doc.subject_id = str(subject.pk)
    doc.file.save(get_valid_filename(f"{number}.pdf"), ContentFile(signed), save=False)
    try:
        # Field checks only where they can fail: the content type comes from the model
        # and ``replaces`` is locked above, so their existence queries are skipped; an
        # explicit number was checked above (the unique index backs it under concurrency),
        # the primary key is a fresh UUID and the hash is of a newly signed file.
        doc.full_clean(
            exclude=["file", "public_fields", "subject_type", "replaces"],
            validate_unique=not number_checked,
        )
        doc.save()
        audit_append(
            actor=actor,
            action="document.issue",
            obj=doc,
            changes={
                "number": number,
                "kind": kind,
                "title": title,
                "holder_name": holder_name,
                "sha256": doc.sha256,
                "signer_fingerprint": doc.signer_fingerprint,
                "valid_until": valid_until,
                "replaces": replaces.number if replaces else None,
            },
        )
        if replaces is not None and replaces.status == DocumentStatus.VALID:
            _set_status(
                actor=actor,
                document=replaces,
                status=DocumentStatus.CHANGED,
                reason=replaced_reason,
            )
    except Exception:
        doc.file.delete(save=False)
        raise
    return doc
