"""The QR code page's answer for a document on record (``GET /verify/<number>/``).

What the page promises: it shows the REGISTERED document — its record, its current
status, and whether the file we keep for it is still the one we signed. A citizen's own
copy is checked by uploading it (``verification.document_verify``), never here.

Checking the archive file means reading it, hashing it, bounding-checking it and
validating its signature (about 15-50 ms); the answer depends only on those bytes and on
our trust settings, not on who scans. So the answer is kept on the document's row
(``IssuedDocument.stored_check``) with what it was computed for, and a scan that finds it
current reads one row and renders. The kept answer is re-computed from the bytes when:

* the document's status changed (``status_version`` is bumped by every revoke, cancel,
  expiry and replacement, and the change clears the kept answer): the first scan after a
  status change re-checks the archive;
* the day changed (local date): certificates expire and trust settings are per day, as the
  upload path's signature cache is;
* our trust settings changed (signer certificate, earlier signer fingerprints, roots);
* the page is shown in another language than the kept reasons were worded in;
* the archive file's size or modification time differs from what was checked — both come
  from one ``stat`` per scan, so a file replaced, truncated, appended to or deleted is
  caught on the very next scan.

What is NOT caught at once: an in-place rewrite of the archive file that keeps its size and
forges its modification time. That needs write access to the archive plus intent; it is
caught at the next re-check (next day, next status change). The status itself is never
kept: it is read from the row on every scan, so a revocation shows immediately.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zonegov.core import pki
from zonegov.core.models import IssuedDocument
from zonegov.core.services.documents.verification import (
    VerificationResult,
    _attach_record,
    document_verify,
)

logger = logging.getLogger(__name__)

# Bump when the kept answer's shape or meaning changes: older answers are then recomputed.
KEPT_FORMAT = 1


def _trust_key() -> str | None:
    """A short fingerprint of what a signature verdict depends on besides the bytes; None
    when no signing material is configured (then nothing is kept)."""
    try:
        material = pki.signing_material()
    except ImproperlyConfigured:
        return None
    previous = str(getattr(settings, "ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS", None) or [])
    kept = _trust_keys.get(previous)
    if kept is not None and kept[0] is material:
        return kept[1]
    accepted = sorted(pki.accepted_fingerprints())
    roots = sorted(pki.cert_fingerprint(c) for c in material.trust_roots)
    trust = hashlib.sha256(" ".join([*accepted, "|", *roots]).encode()).hexdigest()[:32]
    if len(_trust_keys) > 16:
        _trust_keys.clear()
    _trust_keys[previous] = (material, trust)
    return trust


# earlier-fingerprints setting -> (the signing material it was computed with, trust key):
# pki loads the material once per process and anew when its files change.
_trust_keys: dict[str, tuple[pki.SigningMaterial, str]] = {}


def _file_stamp(document: IssuedDocument) -> tuple[int, str] | None:
    """(size, modification time) of the archive file, or None when it cannot be read:
    one ``stat`` for storages on a local file system, their size and time otherwise."""
    storage, name = document.file.storage, document.file.name
    if not name:
        return None
    try:
        try:
            path = storage.path(name)
        except NotImplementedError:  # object storage: no local path
            return storage.size(name), storage.get_modified_time(name).isoformat()
        st = os.stat(path)
        return st.st_size, str(st.st_mtime_ns)
    except (OSError, ValueError, NotImplementedError):
        return None


def _kept_answer(document: IssuedDocument, trust: str | None) -> dict[str, Any] | None:
    kept = document.stored_check
    if not isinstance(kept, dict) or trust is None:
        return None
    if (
        kept.get("format") != KEPT_FORMAT
        or kept.get("version") != document.status_version
        or kept.get("trust") != trust
        or kept.get("day") != timezone.localdate().isoformat()
        or kept.get("lang") != translation.get_language()  # the reasons are in words
    ):
        return None
    stamp = _file_stamp(document)
    if stamp is None or [stamp[0], stamp[1]] != [kept.get("size"), kept.get("mtime")]:
        return None
    return kept


def _from_kept(document: IssuedDocument, kept: dict[str, Any]) -> VerificationResult:
    signed_at = kept.get("signed_at")
    result = VerificationResult(
        genuine=bool(kept["genuine"]),
        signature_valid=bool(kept["signature_valid"]),
        signed_by_us=bool(kept["signed_by_us"]),
        on_record=bool(kept["on_record"]),
        covers_whole_file=bool(kept["covers_whole_file"]),
        signer_name=str(kept.get("signer_name") or ""),
        signed_at=datetime.fromisoformat(signed_at) if signed_at else None,
        sha256=str(kept.get("sha256") or ""),
        reasons=[str(r) for r in kept.get("reasons") or []],
    )
    _attach_record(result, document)
    return result


def _keep(
    document: IssuedDocument,
    result: VerificationResult,
    *,
    trust: str | None,
    stamp: tuple[int, str] | None,
    day: str,
) -> None:
    """Store the answer on the row, only for the status version it was computed for (a
    status change committed meanwhile wins: its scan re-checks)."""
    if trust is None or stamp is None or not result.checkable:
        return
    kept = {
        "format": KEPT_FORMAT,
        "version": document.status_version,
        "trust": trust,
        "day": day,
        "lang": translation.get_language(),
        "size": stamp[0],
        "mtime": stamp[1],
        "sha256": result.sha256,
        "genuine": result.genuine,
        "signature_valid": result.signature_valid,
        "signed_by_us": result.signed_by_us,
        "on_record": result.on_record,
        "covers_whole_file": result.covers_whole_file,
        "signer_name": result.signer_name,
        "signed_at": result.signed_at.isoformat() if result.signed_at else None,
        "reasons": list(result.reasons),
    }
    updated = IssuedDocument.objects.filter(
        pk=document.pk, status_version=document.status_version
    ).update(stored_check=kept)
    if updated:
        document.stored_check = kept


def document_verify_stored(document: IssuedDocument) -> VerificationResult:
    """The checks for the file we keep for ``document`` (its signature and its recorded
    hash) with the document's current status: what the QR code page shows. A missing or
    altered archive copy is reported, not raised. Reuses the answer kept on the row while
    it is current (module docstring); otherwise re-checks the bytes and keeps the answer."""
    trust = _trust_key()
    kept = _kept_answer(document, trust)
    if kept is not None:
        return _from_kept(document, kept)
    day = timezone.localdate().isoformat()
    stamp = _file_stamp(document)  # before reading: a change while reading is seen next time
    result = _check_archive(document)
    _keep(document, result, trust=trust, stamp=stamp, day=day)
    return result


def _check_archive(document: IssuedDocument) -> VerificationResult:
    """Read the archive file and verify it from scratch."""
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
