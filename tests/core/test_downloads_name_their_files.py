"""Issue 12 defect 4: every download is named with its extension, in Chinese where the
name is Chinese, with an ASCII fallback for old clients (RFC 6266 / RFC 5987)."""

from urllib.parse import quote

import pytest

from tests.licensing.conftest import _licensing_settings, instant_filing, lic, pki_dir  # noqa: F401
from zonegov.core.downloads import content_disposition


def test_a_number_without_extension_gets_pdf_in_both_names():
    header = content_disposition("attachment", "JY24104020000169", ".pdf")
    assert header == (
        "attachment; filename=\"JY24104020000169.pdf\"; filename*=UTF-8''JY24104020000169.pdf"
    )


def test_a_chinese_name_keeps_an_ascii_fallback_and_the_real_name():
    header = content_disposition("inline", "SQ-2026-000055申请书", ".pdf")
    assert header.startswith('inline; filename="SQ-2026-000055.pdf"; ')
    assert header.endswith("filename*=UTF-8''" + quote("SQ-2026-000055申请书.pdf", safe=""))


def test_a_name_that_already_ends_with_the_extension_is_not_doubled():
    header = content_disposition("attachment", "营业执照.PDF", ".pdf")
    assert 'filename="attachment.pdf"' in header
    assert header.endswith(quote("营业执照.PDF", safe=""))


def test_quotes_and_line_breaks_cannot_break_the_header():
    header = content_disposition("attachment", 'a"b\r\nc;d', ".xlsx")
    assert "\r" not in header and "\n" not in header
    assert 'filename="abcd.xlsx"' in header


@pytest.mark.django_db
def test_the_certificate_and_the_signed_form_download_as_pdf(cast, lic, login):  # noqa: F811
    app = instant_filing(cast)
    app.refresh_from_db()
    client = login(cast.applicant)
    pdf = client.get(f"/licensing/licences/{app.licence.pk}/certificate/")
    assert pdf.status_code == 200
    number = app.licence.current_document.number
    assert f'filename="{number}.pdf"' in pdf["Content-Disposition"]
    form = client.get(f"/api/licensing/applications/{app.pk}/form")
    assert form.status_code == 200
    assert f'filename="{app.reference}.pdf"' in form["Content-Disposition"]
    assert quote(f"{app.reference}申请书.pdf", safe="") in form["Content-Disposition"]
