"""Verifying a PDF someone holds: was it signed by us and not changed since, did we issue
exactly this file, and is it still valid. Files from strangers are parsed under bounds
(``core/pdfcheck.py``); a file over them "cannot be checked"."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from zonegov.core import pdfcheck, pki
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.selectors.documents import (
    document_by_sha256,
    document_effective_status,
)

logger = logging.getLogger(__name__)

MAX_VERIFY_BYTES = 20 * 1024 * 1024


@dataclass
class VerificationResult:
    """The answer to "is this file a genuine document of ours, and is it still valid?".

    ``genuine`` = the signature is intact, cryptographically valid and chains to our CA,
    the signer certificate is ours, the signature covers the whole file, and the file's
    SHA-256 is on record. ``status`` (effective now) is only known for files on record.
    ``reasons`` lists the problems in plain Chinese (empty when genuine).
    """

    genuine: bool = False
    signature_valid: bool = False
    signed_by_us: bool = False
    on_record: bool = False
    covers_whole_file: bool = False
    document: IssuedDocument | None = None
    status: str | None = None
    status_label: str = ""
    status_since: date | None = None
    signer_name: str = ""
    signed_at: datetime | None = None
    sha256: str = ""
    reasons: list[str] = field(default_factory=list)
    checkable: bool = True

    @property
    def valid_now(self) -> bool:
        return self.genuine and self.status == DocumentStatus.VALID

    @property
    def verdict(self) -> str:
        if not self.checkable:
            return _("无法核验")
        if not self.genuine:
            return _("不是真实有效的文件")
        if self.status == DocumentStatus.VALID:
            return _("真实有效")
        return _("文件真实，但当前状态为“%(status)s”") % {"status": self.status_label}


def _attach_record(result: VerificationResult, document: IssuedDocument) -> None:
    result.document = document
    status, since = document_effective_status(document)
    result.status = status
    result.status_label = str(DocumentStatus(status).label)
    result.status_since = since


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class _SignatureCheck:
    """The part of a verification that depends only on the bytes and our PKI."""

    signature_valid: bool = False
    signed_by_us: bool = False
    covers_whole_file: bool = False
    single_signature: bool = False
    signer_name: str = ""
    signed_at: datetime | None = None
    problems: tuple[str, ...] = ()
    over_limit: str = ""  # which verification limit the file exceeded (then nothing else holds)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _SignatureCheck:
        signed_at = data.get("signed_at")
        return cls(
            **{
                **data,
                "signed_at": datetime.fromisoformat(signed_at) if signed_at else None,
                "problems": tuple(data.get("problems") or ()),
            }
        )


def uncheckable_message() -> str:
    return _("无法核验：文件过于复杂或已损坏（超出核验资源限制），请上传平台签发的原始 PDF。")


# A file whose check ran out of time or memory is answered from here for a while, in the
# shared cache: sending the same file again costs nothing, and a check that failed only
# because the server was overloaded is retried after OVER_LIMIT_SECONDS.
OVER_LIMIT_SECONDS = 60


# Checking a signature costs ~15-20 ms; the answer for the same bytes and the same trust
# settings does not change within a day, and the QR page re-checks the same files often.
_checks: dict[tuple, _SignatureCheck] = {}
_CHECKS_MAX = 2048


def _check_signature(data: bytes, sha256: str) -> _SignatureCheck:
    try:
        material: pki.SigningMaterial | None = pki.signing_material()
    except ImproperlyConfigured:
        material = None  # fine for files without a signature; raised below otherwise
    if material is None:
        return _check_signature_bounded(data, sha256, None, set())
    accepted = pki.accepted_fingerprints()
    key = (
        sha256,
        tuple(sorted(accepted)),
        tuple(pki.cert_fingerprint(c) for c in material.trust_roots),
        timezone.localdate(),
    )
    cached = _checks.get(key)
    if cached is not None:
        return cached
    check = _check_signature_bounded(data, sha256, material, accepted)
    if check.over_limit:
        return check
    if len(_checks) >= _CHECKS_MAX:
        _checks.clear()
    _checks[key] = check
    return check


def _check_signature_bounded(
    data: bytes, sha256: str, material: pki.SigningMaterial | None, accepted: set[str]
) -> _SignatureCheck:
    """:func:`_check_signature_uncached` in a child process under the verification limits
    (time, memory, stack): a file over them comes back with ``over_limit`` set."""
    bounds = pdfcheck.limits()
    over_key = f"pdfcheck:over:{sha256}"
    over = cache.get(over_key)
    if over:
        return _SignatureCheck(over_limit=over)

    def work() -> dict[str, Any]:
        try:
            return _check_signature_uncached(data, material, accepted).to_json()
        except ImproperlyConfigured:
            return {"improperly_configured": True}

    try:
        answer = pdfcheck.run_bounded(work, bounds)
    except pdfcheck.OverLimit as exc:
        logger.warning("document_verify: over the verification limits: %s", exc.detail)
        cache.set(over_key, exc.detail, OVER_LIMIT_SECONDS)
        return _SignatureCheck(over_limit=exc.detail)
    if answer.get("improperly_configured"):
        pki.signing_material()  # raises ImproperlyConfigured naming the missing file
        raise AssertionError("unreachable")
    return _SignatureCheck.from_json(answer)


def _check_signature_uncached(
    data: bytes, material: pki.SigningMaterial | None, accepted: set[str]
) -> _SignatureCheck:
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        if pdfcheck.exhausted(exc):
            raise  # out of memory or stack: over the limits, not a broken file
        logger.info("document_verify: unreadable PDF", exc_info=True)
        return _SignatureCheck(problems=(_("文件不是有效的 PDF（无法读取，可能已损坏或不完整）"),))
    if not signatures:
        return _SignatureCheck(problems=(_("文件中没有电子签名"),))
    if material is None:
        pki.signing_material()  # raises ImproperlyConfigured naming the missing file
        raise AssertionError("unreachable")
    problems: list[str] = []
    signer_name, signed_at = "", None
    signature_valid = signed_by_us = covers_whole_file = False
    try:
        sig = max(signatures, key=lambda s: s.signed_revision)
        signer_cert = sig.signer_cert
        signer_name = pki.cert_common_name(signer_cert)
        signed_at = sig.self_reported_timestamp
        signed_by_us = pki.cert_fingerprint(signer_cert) in accepted
        covers_whole_file = sig.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
        context = ValidationContext(
            trust_roots=list(material.trust_roots),
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        # The diff analysis judges later incremental updates; we accept none at all.
        status = validate_pdf_signature(sig, context, skip_diff=True)
    except Exception as exc:
        if pdfcheck.exhausted(exc):
            raise
        logger.info("document_verify: signature not checkable", exc_info=True)
        problems.append(_("电子签名已损坏，无法校验"))
    else:
        signature_valid = bool(status.intact and status.valid and status.trusted)
        if not status.intact:
            problems.append(_("文件已被改动：签名覆盖的内容与签名不符"))
        elif not status.valid:
            problems.append(_("签名无效：签名值与签名证书不符"))
        if not signed_by_us:
            problems.append(_("不是本平台签发的文件：签名证书不是我们的"))
        elif status.intact and status.valid and not status.trusted:
            problems.append(_("签名证书未通过校验（可能已过期或不受信任）"))
        if not covers_whole_file:
            problems.append(_("文件在签名后被追加或改动过：签名没有覆盖整个文件"))
    if len(signatures) > 1:
        problems.append(_("文件中有多个签名，不是本平台签发的原始文件"))
    return _SignatureCheck(
        signature_valid=signature_valid,
        signed_by_us=signed_by_us,
        covers_whole_file=covers_whole_file,
        single_signature=len(signatures) == 1,
        signer_name=signer_name,
        signed_at=signed_at,
        problems=tuple(_unique(problems)),
    )


def document_verify(pdf_bytes: bytes) -> VerificationResult:
    """Check a PDF someone holds. Never raises on bad input: garbage, truncated or unsigned
    files, foreign signatures and altered bytes all come back as a result with reasons.

    The PAdES signature (ETSI EN 319 142-1) is validated with pyHanko against our CA only,
    without network access; it must cover the entire file, so bytes appended after signing
    (incremental updates) make the file not genuine. The file's SHA-256 must be on record.

    A file that would take more than ``settings.ZONEGOV_VERIFY_LIMITS`` to parse (inflated
    size, objects, cross-reference entries, time, memory, nesting) is not parsed further:
    the result has ``checkable`` False, "cannot be checked" and the limit it exceeded.
    """
    result = VerificationResult()
    data = bytes(pdf_bytes or b"")
    result.sha256 = hashlib.sha256(data).hexdigest()
    if b"%PDF-" not in data[:1024]:
        result.reasons.append(_("文件不是有效的 PDF"))
        return result
    if b"%%EOF" not in data[-1024:]:
        # A PDF ends with %%EOF (ISO 32000-1, 7.5.5). Without it the file is cut off or has
        # bytes appended, and the PDF reader would crawl back through all of them looking for
        # "startxref" (seconds for a 20 MB upload): refuse it straight away.
        result.reasons.append(_("文件不是有效的 PDF（文件不完整，或末尾被追加了内容）"))
        return result
    try:
        pdfcheck.precheck(data, pdfcheck.limits())
    except pdfcheck.OverLimit as exc:
        return _uncheckable(result, exc.detail)
    record = document_by_sha256(result.sha256)
    if record is not None:
        result.on_record = True
        _attach_record(result, record)
    check = _check_signature(data, result.sha256)
    if check.over_limit:
        return _uncheckable(result, check.over_limit)
    result.signature_valid = check.signature_valid
    result.signed_by_us = check.signed_by_us
    result.covers_whole_file = check.covers_whole_file
    result.signer_name = check.signer_name
    result.signed_at = check.signed_at
    result.reasons = list(check.problems)
    if not result.on_record and not result.reasons and result.signed_by_us:
        result.reasons.append(_("签名有效，但本平台没有签发过这个文件"))
    result.genuine = (
        check.signature_valid
        and check.signed_by_us
        and check.covers_whole_file
        and check.single_signature
        and result.on_record
    )
    if not result.genuine and not result.reasons:  # never "not genuine" without a reason
        result.reasons.append(_("文件未通过核验"))
    return result


def _uncheckable(result: VerificationResult, detail: str) -> VerificationResult:
    result.checkable = False
    result.genuine = result.signature_valid = result.signed_by_us = False
    result.covers_whole_file = False
    result.reasons = [uncheckable_message(), _("原因：%(detail)s") % {"detail": detail}]
    return result
