"""Signing a rendered PDF with the zone's key: PAdES baseline B-B (ETSI EN 319 142-1), a
CAdES detached signature (``ETSI.CAdES.detached``) over the whole file, SHA-256, ECDSA
P-256, no timestamp."""

from __future__ import annotations

import logging
import re
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from zonegov.core import pki

logger = logging.getLogger(__name__)


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` with the zone's key: PAdES baseline B-B (ETSI EN 319 142-1), subfilter
    ``ETSI.CAdES.detached``, SHA-256, invisible field ``Signature1``, signer certificate
    and chain embedded, no timestamp and no network access."""
    material = pki.signing_material()
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=material.signer_name or None,
    )
    reserved = _reserved_sizes.get(material.fingerprint)
    if reserved is not None:
        try:
            return signers.sign_pdf(
                writer, meta, signer=material.signer, bytes_reserved=reserved
            ).getvalue()
        except Exception:  # the space did not suffice after all: estimate again below
            logger.warning("sign_pdf: reserved %s bytes did not fit, re-estimating", reserved)
            _reserved_sizes.pop(material.fingerprint, None)
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    signed = signers.sign_pdf(writer, meta, signer=material.signer).getvalue()
    match = _BYTE_RANGE.search(signed)
    if match:
        _reserved_sizes[material.fingerprint] = int(match[2]) - int(match[1]) - 2
    return signed


# pyHanko sizes the signature container with a dry-run signature (half the cost of a
# signature). The size depends only on the signer's certificates, so the first signature
# of a process measures it and later ones reuse it.
_reserved_sizes: dict[str, int] = {}
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]")
