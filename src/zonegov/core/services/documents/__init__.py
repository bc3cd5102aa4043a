"""Issued documents: render a certificate PDF, sign it (PAdES), keep it on record, verify it.

One module per concern:

* ``layout`` — the certificate page (reportlab, embedded fonts, CJK line breaking, seal, QR);
* ``signing`` — PAdES baseline B-B with the zone's key;
* ``issuing`` — number, render, sign, store and audit a document;
* ``status`` — revoke, cancel, expire (and the change a replacement makes);
* ``verification`` — check a PDF someone holds (bounded parsing, signature, hash on record);
* ``stored`` — the QR code page's answer for a document on record, kept with its status
  version so a scan reads rows instead of re-checking the archive file.

The names other code uses are re-exported here: import from
``zonegov.core.services.documents``.
"""

from zonegov.core.services.documents.issuing import (
    NUMBER_PATTERN,
    LayoutBuilder,
    document_issue,
)
from zonegov.core.services.documents.layout import (
    DocumentLayout,
    render_pdf,
    text_width,
    wrap_text,
)
from zonegov.core.services.documents.signing import sign_pdf
from zonegov.core.services.documents.status import ALLOWED_TRANSITIONS, document_set_status
from zonegov.core.services.documents.stored import document_verify_stored
from zonegov.core.services.documents.verification import (
    MAX_VERIFY_BYTES,
    VerificationResult,
    document_verify,
    uncheckable_message,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "MAX_VERIFY_BYTES",
    "NUMBER_PATTERN",
    "DocumentLayout",
    "LayoutBuilder",
    "VerificationResult",
    "document_issue",
    "document_set_status",
    "document_verify",
    "document_verify_stored",
    "render_pdf",
    "sign_pdf",
    "text_width",
    "uncheckable_message",
    "wrap_text",
]
