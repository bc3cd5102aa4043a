"""The QR code page's answer for a document on record."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from zonegov.core.models import IssuedDocument
from zonegov.core.services.documents.verification import (
    VerificationResult,
    _attach_record,
    document_verify,
)

logger = logging.getLogger(__name__)


def document_verify_stored(document: IssuedDocument) -> VerificationResult:
    """Re-check the file we keep for ``document`` (its signature and its recorded hash):
    what the QR code page shows. A missing or altered archive copy is reported, not raised."""
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        logger.error("document %s: archive file missing", document.number, exc_info=True)
        result = VerificationResult()
        _attach_record(result, document)
        result.reasons.append(_("存档文件缺失，无法核验签名，请联系签发机关"))
        return result
    result = document_verify(data)
    if not result.checkable:  # over the limits (an overloaded server): says so, nothing more
        _attach_record(result, document)
        return result
    if result.document is None or result.document.pk != document.pk:
        not_ours = _("签名有效，但本平台没有签发过这个文件")
        result.reasons = [r for r in result.reasons if r != not_ours]
        result.reasons.append(_("存档文件与登记的哈希值不符，请联系签发机关"))
        result.genuine = False
        result.on_record = False
        _attach_record(result, document)
    return result
