"""Fixtures and helpers for the document tests: a throw-away PKI and media directory per
test (never var/), a sample certificate layout, and byte-level file manipulations."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from zonegov.core import pki
from zonegov.core.services.documents import DocumentLayout, document_issue

PDFFONTS = "/usr/bin/pdffonts"
PDFSIG = "/usr/bin/pdfsig"
PDFTOTEXT = "/usr/bin/pdftotext"
PDFINFO = "/usr/bin/pdfinfo"


def point_settings_at(settings, directory: Path) -> None:
    settings.ZONEGOV_PKI_DIR = directory
    settings.ZONEGOV_SIGNING_KEY = str(directory / pki.SIGNER_KEY_FILE)
    settings.ZONEGOV_SIGNING_CERT = str(directory / pki.SIGNER_CERT_FILE)
    settings.ZONEGOV_SIGNING_CHAIN = str(directory / pki.CA_CERT_FILE)


@pytest.fixture
def pki_dir(settings, tmp_path) -> Path:
    """A fresh demo PKI and MEDIA_ROOT under tmp_path, with the settings pointing at them."""
    directory = tmp_path / "pki"
    pki.ensure_demo_pki(directory, zone_name="测试高新技术产业开发区")
    point_settings_at(settings, directory)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZONEGOV_PUBLIC_BASE_URL = "https://zwfw.example.cn"
    settings.ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS = []
    return directory


@pytest.fixture
def other_pki_dir(tmp_path) -> Path:
    """A second, unrelated PKI (someone else's key and CA)."""
    directory = tmp_path / "other-pki"
    pki.ensure_demo_pki(directory, zone_name="别处的发证机关")
    return directory


def sample_layout(**overrides) -> DocumentLayout:
    data = {
        "title": "食品经营许可证",
        "fields": [
            ("经营者名称", "平顶山市测试餐饮管理有限公司"),
            ("统一社会信用代码", "91410400MA9F8U6X33"),
            ("法定代表人", "张三"),
            (
                "经营场所",
                "河南省平顶山市高新区神马大道与长安大道交叉口东北角创新大厦A座12层1201室",
            ),
            ("经营项目", "热食类食品制售；冷食类食品制售；自制饮品制售；预包装食品销售"),
        ],
        "paragraphs": ["经审查，该经营者符合规定条件，准予许可，特发此证。"],
        "issuer_name": "测试高新技术产业开发区管理委员会",
        "issued_on": date(2026, 3, 5),
    }
    data.update(overrides)
    return DocumentLayout(**data)


def issue(actor=None, **overrides):
    kwargs = {
        "actor": actor,
        "kind": "food_license",
        "title": "食品经营许可证",
        "holder_name": "平顶山市测试餐饮管理有限公司",
        "layout": sample_layout(),
        "public_fields": [("经营项目", "热食类食品制售"), ("经营场所", "高新区创新大厦")],
        "valid_until": date(2031, 3, 4),
    }
    kwargs.update(overrides)
    return document_issue(**kwargs)


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as fh:
        return fh.read()


def signed_range_end(pdf: bytes) -> int:
    """End of the first signed byte range (start of the signature contents)."""
    match = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf)
    assert match, "no /ByteRange in the file"
    return int(match[1])


def tamper(pdf: bytes) -> bytes:
    """Change one letter in the document information (inside the signed range) while
    keeping the file a readable PDF."""
    at = pdf.index(b"ReportLab")
    assert at < signed_range_end(pdf)
    return pdf[:at] + b"X" + pdf[at + 1 :]


def needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
