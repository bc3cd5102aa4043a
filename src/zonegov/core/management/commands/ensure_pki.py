from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from zonegov.core import pki


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
        "ZONEGOV_PKI_DIR if it is missing; with real key files configured, only check them."
    )

    def handle(self, *args, **options):
        try:
            if real_keys_configured():
                material = pki.signing_material()
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
        if getattr(settings, "PRODUCTION", False):
            self.stderr.write(
                self.style.WARNING(
                    "注意：生产环境正在使用演示证书。请配置 ZONEGOV_SIGNING_KEY / "
                    "ZONEGOV_SIGNING_CERT / ZONEGOV_SIGNING_CHAIN 指向正式证书。"
                )
            )
