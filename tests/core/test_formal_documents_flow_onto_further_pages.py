"""The formal documents' letter layout (core ``instruments``): long content flows onto
further pages with the signature block, seal and QR code closing the last one; each kind
numbers on its own series; the verification page names the kind.

Date-dependent: numbers carry the year of the suite's clock (2026)."""

import subprocess

import pytest

from tests.core.documents_fixtures import PDFINFO, PDFTOTEXT, needs, pki_dir, stored_bytes
from zonegov.core.document_kinds import document_kind_label
from zonegov.core.services.documents import (
    ACCEPTANCE_NOTICE,
    CORRECTION_NOTICE,
    LetterLayout,
    document_verify,
    instrument_issue,
    render_letter,
)

__all__ = ["pki_dir"]

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    needs(PDFTOTEXT)
    out = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def _pages(pdf: bytes) -> int:
    needs(PDFINFO)
    out = subprocess.run([PDFINFO, "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in out.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def test_a_long_list_flows_onto_further_pages(pki_dir):
    layout = LetterLayout(
        title="补正告知书",
        symbol="补正〔2026〕第9号",
        addressee="平顶山市测试餐饮管理有限公司：",
        paragraphs=["现一次性告知你需要补正的全部内容如下："],
        items=[f"第{n}项需要补正的材料：请上传清晰的原件照片或扫描件" for n in range(1, 61)],
        facts=[("申请编号", "SQ-2026-000001")],
        rights=["你（单位）如对本决定不服，可以依法申请行政复议或者提起行政诉讼。" * 3],
        number="BZ-2026-000009",
        verify_url="https://zwfw.example.cn/verify/BZ-2026-000009/",
        issuer_name="测试高新技术产业开发区管理委员会",
    )
    pdf = render_letter(layout)
    assert _pages(pdf) >= 2
    text = _text(pdf)
    assert "第60项需要补正的材料" in text and "补正告知书（续）" in text
    assert text.rfind("测试高新技术产业开发区管理委员会") > text.find("第60项")
    assert "BZ-2026-000009/" in text  # the number is printed whole on its own line


def test_each_kind_numbers_on_its_own_series_and_verifies(pki_dir, cast, client):
    issued = [
        instrument_issue(
            actor=None,
            kind=kind,
            subject=cast.dept,
            holder_name="平顶山市测试餐饮管理有限公司",
            addressee="平顶山市测试餐饮管理有限公司：",
            paragraphs=["正文"],
        )
        for kind in (ACCEPTANCE_NOTICE, CORRECTION_NOTICE, ACCEPTANCE_NOTICE)
    ]
    assert [d.number for d in issued] == ["SL-2026-000001", "BZ-2026-000001", "SL-2026-000002"]
    assert "受理〔2026〕第2号" in _text(stored_bytes(issued[2]))
    assert document_verify(stored_bytes(issued[1])).genuine
    assert document_kind_label("correction_notice") == "补正告知书"
    page = client.get("/verify/BZ-2026-000001/").content.decode()
    assert 'data-testid="document-kind">补正告知书<' in page
