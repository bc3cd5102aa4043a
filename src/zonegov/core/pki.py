"""The zone's signing key and certificates (ECDSA P-256).

The key, the signer certificate and the CA chain are PEM files named by the settings
``ZONEGOV_SIGNING_KEY``, ``ZONEGOV_SIGNING_CERT`` and ``ZONEGOV_SIGNING_CHAIN``. They are
loaded once per process and cached, keyed by the file paths (and their modification times),
so that tests can point the settings at another directory and a replaced key is picked up.

For development and demonstrations, :func:`ensure_demo_pki` creates a small self-made PKI
(a root CA and one signing certificate). Production uses a certificate from a CA the
verifiers trust; the platform itself only needs the three files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

CA_CERT_FILE = "ca.cert.pem"
SIGNER_KEY_FILE = "signer.key.pem"
SIGNER_CERT_FILE = "signer.cert.pem"

DEMO_CA_NAME = "zonegov 演示根证书"
# Demo certificates live long: PAdES B-B signatures carry no timestamp, so they are
# checked against "now" and an expired signer certificate would make every old
# document fail verification.
DEMO_CA_DAYS = 365 * 20
DEMO_SIGNER_DAYS = 365 * 10


@dataclass(frozen=True)
class SigningMaterial:
    """What signing and verification need, loaded from the PEM files."""

    signer: signers.SimpleSigner
    signer_cert: asn1_x509.Certificate
    trust_roots: list[asn1_x509.Certificate]
    chain: list[asn1_x509.Certificate] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return cert_fingerprint(self.signer_cert)

    @property
    def signer_name(self) -> str:
        return cert_common_name(self.signer_cert)


@dataclass(frozen=True)
class PkiFiles:
    """The files :func:`ensure_demo_pki` manages, and whether it created them just now."""

    ca_cert: Path
    signer_key: Path
    signer_cert: Path
    created: bool


def cert_fingerprint(cert: asn1_x509.Certificate) -> str:
    """SHA-256 (hex, lower case) of the certificate's DER encoding."""
    return hashlib.sha256(cert.dump()).hexdigest()


def cert_common_name(cert: asn1_x509.Certificate) -> str:
    try:
        return str(cert.subject.native.get("common_name", ""))
    except Exception:  # a malformed subject in a foreign certificate
        return ""


# --- loading -----------------------------------------------------------------------------

_cache: dict[tuple, SigningMaterial] = {}
_cache_lock = threading.Lock()


def _file_key(path: str) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"签名文件不存在：{path}。开发环境请运行 `manage.py ensure_pki` 生成演示证书。"
        ) from None
    return (str(path), st.st_mtime_ns, st.st_size)


def _load(
    key_path: str, cert_path: str, chain_path: str, passphrase: str | None
) -> SigningMaterial:
    key_data = Path(key_path).read_bytes()
    key = load_private_key_from_pemder_data(
        key_data, passphrase=passphrase.encode() if passphrase else None
    )
    certs = list(load_certs_from_pemder_data(Path(cert_path).read_bytes()))
    if not certs:
        raise ImproperlyConfigured(f"签名证书文件中没有证书：{cert_path}")
    signer_cert = certs[0]
    chain = list(load_certs_from_pemder_data(Path(chain_path).read_bytes())) if chain_path else []
    chain += certs[1:]
    roots = [c for c in chain if c.self_signed] or chain[-1:]
    if not roots:
        raise ImproperlyConfigured(f"证书链文件中没有根证书：{chain_path}")
    signer = signers.SimpleSigner(
        signing_cert=signer_cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    return SigningMaterial(signer=signer, signer_cert=signer_cert, trust_roots=roots, chain=chain)


def signing_material() -> SigningMaterial:
    """The signer, its certificate and our trust roots, loaded once per process."""
    key_path = str(settings.ZONEGOV_SIGNING_KEY)
    cert_path = str(settings.ZONEGOV_SIGNING_CERT)
    chain_path = str(settings.ZONEGOV_SIGNING_CHAIN or "")
    passphrase = settings.ZONEGOV_SIGNING_KEY_PASSPHRASE
    cache_key = (
        _file_key(key_path),
        _file_key(cert_path),
        _file_key(chain_path) if chain_path else None,
        passphrase,
    )
    material = _cache.get(cache_key)
    if material is None:
        with _cache_lock:
            material = _cache.get(cache_key)
            if material is None:
                material = _load(key_path, cert_path, chain_path, passphrase)
                if len(_cache) > 8:  # tests point settings at many directories
                    _cache.clear()
                _cache[cache_key] = material
    return material


def signer_fingerprint() -> str:
    """SHA-256 hex of the current signer certificate (DER), as stored on each document."""
    return signing_material().fingerprint


def accepted_fingerprints() -> set[str]:
    """Our signer certificate plus earlier ones (``ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS``),
    so that documents signed before a key rotation still count as ours."""
    previous = getattr(settings, "ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS", None) or []
    if isinstance(previous, str):
        previous = previous.split(",")
    cleaned = {p.strip().lower().replace(":", "") for p in previous if p and p.strip()}
    return {signer_fingerprint(), *cleaned}


# --- detached signatures (audit checkpoints) ----------------------------------------------


@dataclass(frozen=True)
class DetachedSignature:
    signature: bytes  # DER ECDSA (or PKCS#1 v1.5 for an RSA key), SHA-256
    signer_cert_pem: str
    fingerprint: str


def sign_detached(data: bytes) -> DetachedSignature:
    """Sign ``data`` with the platform's signing key (the key that seals certificates)."""
    material = signing_material()
    key = serialization.load_der_private_key(material.signer.signing_key.dump(), password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise ImproperlyConfigured("签名密钥类型不受支持（应为 ECDSA P-256 或 RSA）。")
    pem = x509.load_der_x509_certificate(material.signer_cert.dump()).public_bytes(
        serialization.Encoding.PEM
    )
    return DetachedSignature(signature, pem.decode("ascii"), material.fingerprint)


def verify_detached(cert_pem: str, data: bytes, signature: bytes) -> str | None:
    """The SHA-256 fingerprint of the certificate in ``cert_pem`` when ``signature`` over
    ``data`` verifies under its public key; None when it does not (or the certificate
    cannot be read). Whether the certificate is ours is the caller's question
    (:func:`accepted_fingerprints`)."""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem.encode("ascii"))
        public_key = cert.public_key()
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            return None
    except (InvalidSignature, ValueError, TypeError, UnicodeEncodeError):
        return None
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


# --- the demo PKI --------------------------------------------------------------------------


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def is_demo_material(material: SigningMaterial) -> bool:
    """True when the signer chains to a demo CA made by :func:`ensure_demo_pki`."""
    return any(cert_common_name(c) == DEMO_CA_NAME for c in material.trust_roots)


def ensure_demo_pki(
    directory: str | Path, *, zone_name: str | None = None, passphrase: str | None = None
) -> PkiFiles:
    """Create a demo root CA and an ECDSA P-256 signing certificate in ``directory``
    unless they exist (idempotent).

    Writes ``ca.cert.pem``, ``signer.key.pem`` (mode 0600, PKCS#8, encrypted when a
    ``passphrase`` is given) and ``signer.cert.pem``. The CA's own key is not kept: the
    demo CA signs exactly one certificate. If only some of the files exist, nothing is
    overwritten (the CA certificate verifies documents already issued) and
    ``ImproperlyConfigured`` names the missing ones. Refused under production settings.
    """
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(
            "生产环境（ZONEGOV_PRODUCTION=1）不生成演示证书：请将 ZONEGOV_SIGNING_KEY / "
            "ZONEGOV_SIGNING_CERT / ZONEGOV_SIGNING_CHAIN 指向正式签名密钥、证书与证书链。"
        )
    directory = Path(directory)
    files = PkiFiles(
        ca_cert=directory / CA_CERT_FILE,
        signer_key=directory / SIGNER_KEY_FILE,
        signer_cert=directory / SIGNER_CERT_FILE,
        created=False,
    )
    paths = [files.ca_cert, files.signer_key, files.signer_cert]
    present = [p for p in paths if p.exists()]
    if len(present) == len(paths):
        return files
    if present:
        missing = ", ".join(str(p) for p in paths if not p.exists())
        raise ImproperlyConfigured(
            f"演示证书不完整，缺少：{missing}。为免覆盖已用于签发的根证书，请人工处理后再运行。"
        )
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    zone = zone_name or settings.ZONEGOV_ZONE_NAME
    now = dt.datetime.now(dt.UTC)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(DEMO_CA_NAME, zone)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=DEMO_CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{zone} 电子印章（演示）", zone))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=DEMO_SIGNER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )

    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    pem = serialization.Encoding.PEM
    _write(
        files.signer_key,
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, encryption),
        0o600,
    )
    _write(files.signer_cert, cert.public_bytes(pem), 0o644)
    _write(files.ca_cert, ca_cert.public_bytes(pem), 0o644)
    return PkiFiles(files.ca_cert, files.signer_key, files.signer_cert, created=True)
