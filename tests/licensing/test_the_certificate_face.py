"""The e-certificate shows every field of the kind (research note §1.7), the GB/T 36904
identifier, and the issuing authority and date under the seal, on one A4 page with the CJK
font embedded (checked with poppler)."""

import re
import subprocess

import pytest

from tests.core.documents_fixtures import PDFFONTS, PDFTOTEXT, needs, stored_bytes
from tests.licensing.conftest import issued_licence

pytestmark = pytest.mark.django_db


def test_the_licence_certificate_carries_every_field(cast, lic, tmp_path):
    needs(PDFTOTEXT)
    licence = issued_licence(cast, lic)
    path = tmp_path / "cert.pdf"
    path.write_bytes(stored_bytes(licence.current_document))
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    for label in (
        "食品经营许可证", "经营者名称", "统一社会信用代码", "法定代表人", "住所", "经营场所",
        "主体业态", "经营项目", "许可证编号", "有效期至", "投诉举报电话", "签发人",
        "电子证照标识", "扫码核验", "平顶山高新技术产业开发区管理委员会",
    ):  # fmt: skip
        assert label in flat, label
    assert licence.number in flat
    assert licence.versions.get().identifier in flat
    assert "热食类食品制售" in flat
    issued = licence.valid_from
    assert f"{issued.year}年{issued.month}月{issued.day}日" in flat  # 发证日期, under the seal
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M)  # one A4 page
    fonts = subprocess.run([PDFFONTS, str(path)], capture_output=True, text=True).stdout
    assert "DroidSansFallback" in fonts and "yes" in fonts
