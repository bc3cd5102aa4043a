"""Issue 12: the certificate's 签发人 names the approving official (their full name) or is
left out per the kind's rule (``PermitKind.prints_signer``) — never the seal's name; and
the printed verification URL never breaks inside the document number."""

import re
import subprocess

import pytest

from tests.core.documents_fixtures import PDFTOTEXT, needs, sample_layout, stored_bytes
from tests.licensing.conftest import filing_of, issued_licence
from zonegov.core.services.documents import render_pdf
from zonegov.licensing import conf, kinds, services

pytestmark = pytest.mark.django_db


def pdf_text(path, data: bytes) -> str:
    needs(PDFTOTEXT)
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_licence_names_the_approving_official(cast, lic, tmp_path):
    licence = issued_licence(cast, lic)
    face = licence.versions.get().metadata["照面信息"]
    assert face["签发人"] == "审批员甲"  # cast.officer's full name
    text = pdf_text(tmp_path / "cert.pdf", stored_bytes(licence.current_document))
    line = next(row for row in text.splitlines() if "签发人" in row)
    assert "审批员甲" in line
    assert "专用章" not in line and conf.seal_text() not in line


def test_no_signer_line_without_an_official_or_on_a_kind_without_one(cast, lic, tmp_path):
    licence = issued_licence(cast, lic)
    version = licence.versions.get()
    nobody = services.certificate_fields(
        licence, identifier=version.identifier, issued_on=licence.valid_from, signer=""
    )
    assert "签发人" not in dict(nobody)
    filing = filing_of(cast.applicant)  # decided instantly and its kind prints no 签发人
    assert not kinds.kind("filing").prints_signer
    assert "签发人" not in filing.versions.get().metadata["照面信息"]
    signed = services.certificate_fields(
        filing, identifier="x", issued_on=filing.valid_from, signer="审批员甲"
    )
    assert "签发人" not in dict(signed)
    text = pdf_text(tmp_path / "filing.pdf", stored_bytes(filing.current_document))
    assert "签发人" not in text


def test_a_kind_that_prints_a_signer_has_a_place_for_it():
    for kind in kinds.KINDS.values():
        assert kind.prints_signer == ("signer" in kind.cert_fields), kind.code
    assert kinds.kind("licence").prints_signer


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/verify/JY24104020000169-002/",
        "https://zwfw.pingdingshan-gaoxin.gov.cn/verify/JY24104020000169-002/",
    ],
)
def test_the_verification_url_never_breaks_inside_the_number(tmp_path, url):
    number = "JY24104020000169-002"
    text = pdf_text(tmp_path / "doc.pdf", render_pdf(sample_layout(number=number, verify_url=url)))
    rows = [row.strip() for row in text.splitlines()]
    url_rows = [r for r in rows if re.search(r"https?://|verify/|JY2410", r) and "编号" not in r]
    assert any(number in r for r in url_rows), url_rows
    # the URL's lines read back to the whole URL
    joined = "".join(re.sub(r"^.*?(https?://)", r"\1", r) for r in url_rows)
    assert url in joined.replace(" ", "")
