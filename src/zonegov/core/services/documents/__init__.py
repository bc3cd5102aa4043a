"""Issued documents: render a certificate PDF, sign it (PAdES), keep it on record, verify it.

One module per concern:

* ``layout`` — the certificate page (reportlab, embedded fonts, CJK line breaking, seal, QR);
* ``signing`` — PAdES baseline B-B with the zone's key;
* ``issuing`` — number, render, sign, store and audit a document;
* ``status`` — revoke, cancel, expire (and the change a replacement makes);
* ``verification`` — check a PDF someone holds (bounded parsing, signature, hash on record);
* ``instruments`` — formal documents (受理通知书, 补正告知书, 不予许可决定书, …): the letter
  layout, a number series per kind, issued like certificates;
* ``stored`` — the QR code page's answer for a document on record, kept with its status
  version so a scan reads rows instead of re-checking the archive file.

The names other code uses are re-exported here: import from
``zonegov.core.services.documents``.
"""

from zonegov.core.services.documents.instruments import (
    ACCEPTANCE_NOTICE,
    CORRECTION_NOTICE,
    INSPECTION_RESULT,
    INSTRUMENT_KINDS,
    ONSITE_RECORD,
    RECTIFICATION_NOTICE,
    REFUSAL_DECISION,
    InstrumentKind,
    LetterLayout,
    in_official_language,
    instrument_issue,
    render_letter,
)
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
    "ACCEPTANCE_NOTICE",
    "ALLOWED_TRANSITIONS",
    "CORRECTION_NOTICE",
    "INSPECTION_RESULT",
    "INSTRUMENT_KINDS",
    "MAX_VERIFY_BYTES",
    "NUMBER_PATTERN",
    "ONSITE_RECORD",
    "RECTIFICATION_NOTICE",
    "REFUSAL_DECISION",
    "DocumentLayout",
    "InstrumentKind",
    "LayoutBuilder",
    "LetterLayout",
    "VerificationResult",
    "document_issue",
    "document_set_status",
    "document_verify",
    "document_verify_stored",
    "in_official_language",
    "instrument_issue",
    "render_letter",
    "render_pdf",
    "sign_pdf",
    "text_width",
    "uncheckable_message",
    "wrap_text",
]
