from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from zonegov.core import pki

PRODUCTION_NEEDS_REAL_KEYS = (
    "生产环境（ZONEGOV_PRODUCTION=1）不生成也不使用演示证书：请将 ZONEGOV_SIGNING_KEY / "
    "ZONEGOV_SIGNING_CERT / ZONEGOV_SIGNING_CHAIN 指向本区正式的签名密钥、签名证书和"
    "证书链（PEM 文件，见 docs/deployment.md「Signing keys」）。"
)


def _demo_paths() -> tuple[Path, Path, Path]:
    base = Path(settings.ZONEGOV_PKI_DIR)
    return (base / pki.SIGNER_KEY_FILE, base / pki.SIGNER_CERT_FILE, base / pki.CA_CERT_FILE)


def real_keys_configured() -> bool:
    """True when the signing settings point somewhere other than the demo files."""
    configured = (
        Path(settings.ZONEGOV_SIGNING_KEY),
        Path(settings.ZONEGOV_SIGNING_CERT),
        Path(settings.ZONEGOV_SIGNING_CHAIN),
    )
    return configured != _demo_paths()


class Command(BaseCommand):
    help = (
        "Create the demo signing PKI (root CA + ECDSA P-256 seal certificate) under "
        "ZONEGOV_PKI_DIR if it is missing; with real key files configured, only check them. "
        "Under production settings the demo PKI is refused."
    )

    def handle(self, *args, **options):
        production = getattr(settings, "PRODUCTION", False)
        if production and not real_keys_configured():
            raise CommandError(PRODUCTION_NEEDS_REAL_KEYS)
        try:
            if real_keys_configured():
                material = pki.signing_material()
                if production and pki.is_demo_material(material):
                    demo = "配置的签名证书出自演示根证书。"
                    raise CommandError(demo + PRODUCTION_NEEDS_REAL_KEYS)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已配置正式签名证书，不生成演示证书。签名证书：{material.signer_name}\n"
                        f"证书指纹（SHA-256）：{material.fingerprint}"
                    )
                )
                return
            files = pki.ensure_demo_pki(
                settings.ZONEGOV_PKI_DIR, passphrase=settings.ZONEGOV_SIGNING_KEY_PASSPHRASE
            )
            material = pki.signing_material()
        except (ImproperlyConfigured, OSError, ValueError) as exc:
            raise CommandError(f"签名证书不可用：{exc}") from exc
        if files.created:
            message = f"已生成演示签名证书：{files.signer_cert}（根证书 {files.ca_cert}）"
        else:
            message = f"演示签名证书已存在，未作改动：{files.signer_cert}"
        self.stdout.write(self.style.SUCCESS(message))
        self.stdout.write(f"证书指纹（SHA-256）：{material.fingerprint}")
