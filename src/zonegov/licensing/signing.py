"""Applicants' electronic signatures on their 申请书 (PAdES, verifiable like certificates).

* Natural person: the platform's "cloud signature" (云签名) bound to the identity verified at
  registration – subject CN = name, serialNumber = the ID number.
* Enterprise: the enterprise's signing certificate (as the 电子营业执照 would provide) –
  subject O = CN = enterprise name, serialNumber = USCC, plus the signing representative.

Key handling (our choice, documented in docs/licensing.md): a fresh ECDSA P-256 key pair is
generated for each signing and a short-lived end-entity certificate (30 days) is issued
for it by the platform's cloud-signature CA; the private key lives only in memory for the
signing and is then discarded, so no applicant key is stored at all. Only the CA key is
a secret at rest (``cloudsign-ca.key.pem``, mode 0600, next to the zone's PKI files; in
production it lives in the signing server / HSM). A signature is validated at the
moment it was made (the certificate's short life does not invalidate old forms).

The zone's own demo CA keeps no private key (``core.pki``), so the cloud-signature CA is
a separate root created here on first use; verifiers trust it in addition to the zone CA.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

CA_KEY_FILE = "cloudsign-ca.key.pem"
CA_CERT_FILE = "cloudsign-ca.cert.pem"
CA_DAYS = 365 * 20
EE_DAYS = 30


@dataclass(frozen=True)
class CloudCa:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    asn1_cert: asn1_x509.Certificate


_lock = threading.Lock()
_cache: dict[tuple, CloudCa] = {}


def _pki_dir() -> Path:
    return Path(settings.ZONEGOV_PKI_DIR)


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _name(cn: str, org: str, serial: str = "") -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def cloud_ca() -> CloudCa:
    """The cloud-signature CA (created in ``ZONEGOV_PKI_DIR`` on first use)."""
    directory = _pki_dir()
    key_path, cert_path = directory / CA_KEY_FILE, directory / CA_CERT_FILE
    with _lock:
        if not (key_path.exists() and cert_path.exists()):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name("zonegov 云签名CA（演示）", settings.ZONEGOV_ZONE_NAME)
            now = dt.datetime.now(dt.UTC)
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=CA_DAYS))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                    critical=True,
                )
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
                .sign(key, hashes.SHA256())
            )
            _write(
                key_path,
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ),
                0o600,
            )
            _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        stat_key = (str(key_path), os.stat(key_path).st_mtime_ns, os.stat(cert_path).st_mtime_ns)
        ca = _cache.get(stat_key)
        if ca is None:
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            asn1 = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
            ca = CloudCa(key=key, cert=cert, asn1_cert=asn1)  # type: ignore[arg-type]
            _cache.clear()
            _cache[stat_key] = ca
    return ca


@dataclass(frozen=True)
class SignerIdentity:
    """Whose signature: a verified natural person, or an enterprise (with the person who
    signs for it)."""

    common_name: str
    serial: str  # ID number or USCC
    organisation: str = "个人"
    is_enterprise: bool = False


def issue_signing_certificate(
    identity: SignerIdentity,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A fresh P-256 key and a 30-day end-entity certificate from the cloud-signature CA."""
    ca = cloud_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(identity.common_name, identity.organisation, identity.serial))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=EE_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return key, cert


def sign_form(pdf: bytes, identity: SignerIdentity, *, reason: str) -> bytes:
    """Sign the applicant's PDF (PAdES B-B, ETSI.CAdES.detached, SHA-256, ECDSA P-256)."""
    ca = cloud_ca()
    key, cert = issue_signing_certificate(identity)
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([ca.asn1_cert]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="ApplicantSignature",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        name=identity.common_name,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


@dataclass
class FormSignatureCheck:
    valid: bool = False
    signer_name: str = ""
    signer_serial: str = ""
    signed_at: datetime | None = None
    sha256: str = ""
    reasons: list[str] = field(default_factory=list)


def verify_form(pdf: bytes) -> FormSignatureCheck:
    """Validate an applicant's signed form against the cloud-signature CA at the time it
    was signed. Never raises on bad input."""
    result = FormSignatureCheck(sha256=hashlib.sha256(pdf or b"").hexdigest())
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception:
        result.reasons.append(_("文件不是有效的 PDF"))
        return result
    if len(sigs) != 1:
        result.reasons.append(_("申请书应有且只有一个申请人签名"))
        return result
    sig = sigs[0]
    try:
        subject = sig.signer_cert.subject.native
        result.signer_name = str(subject.get("common_name", ""))
        result.signer_serial = str(subject.get("serial_number", ""))
        result.signed_at = sig.self_reported_timestamp
        context = ValidationContext(
            trust_roots=[cloud_ca().asn1_cert],
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=result.signed_at,
        )
        status = validate_pdf_signature(sig, context, skip_diff=True)
    except Exception:
        result.reasons.append(_("签名已损坏，无法校验"))
        return result
    if not status.intact:
        result.reasons.append(_("申请书在签名后被改动"))
    elif not (status.valid and status.trusted):
        result.reasons.append(_("签名证书不是本平台云签名系统签发的"))
    if sig.evaluate_signature_coverage() != SignatureCoverageLevel.ENTIRE_FILE:
        result.reasons.append(_("签名没有覆盖整个文件"))
    result.valid = not result.reasons
    return result
