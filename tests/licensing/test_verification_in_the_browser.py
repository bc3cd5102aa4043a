"""Real Chromium, phone-sized, nobody logged in: a member of the public scans the QR code
on a certificate and reads the three checks; someone uploads a PDF with one byte changed
and is told plainly that it is not genuine, and why."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import segno

from tests.core.test_documents_render import page_content
from tests.licensing.conftest import instant_filing
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.documents import document_set_status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def _fresh_content_types() -> None:
    """An earlier transactional test's flush can leave Django's content-type cache naming
    rows that are gone; the live server's thread needs them (documents point at them)."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)


def off_the_browser_loop(function, *args, **kwargs):
    """Run ``function`` in a worker thread: Playwright's event loop runs in this thread,
    and signing (pyHanko) starts an event loop of its own."""
    from django.db import connection

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def qr_modules(pdf: bytes) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn on the certificate, read back from the page's
    vector runs (``x top width 1 re``), as (row from the bottom, column) pairs."""
    dark = set()
    for x, top, width in re.findall(rb"^(\d+) (\d+) (\d+) 1 re$", page_content(pdf), re.M):
        for col in range(int(x), int(x) + int(width)):
            dark.add((int(top), col))
    return dark


def segno_modules(url: str) -> set[tuple[int, int]]:
    matrix = segno.make(url, error="m").matrix
    n = len(matrix)
    return {(n - r - 1, c) for r, row in enumerate(matrix) for c, on in enumerate(row) if on}


@pytest.fixture
def certificate(settings, live_server, lic, cast):
    _fresh_content_types()
    settings.ZONEGOV_PUBLIC_BASE_URL = live_server.url
    app = off_the_browser_loop(instant_filing, cast)
    app.licence.refresh_from_db()
    return app.licence.current_document


def test_scanning_the_qr_code_opens_the_three_checks(page, live_server, certificate):
    pdf = certificate.file.read()
    url = f"{live_server.url}/verify/{certificate.number}/"
    # What a phone camera would read: the code drawn on the certificate is exactly the
    # QR code of this verification address.
    assert qr_modules(pdf) == segno_modules(url)

    page.set_viewport_size(PHONE)
    response = page.goto(url)
    assert response.status == 200
    assert "/accounts/login" not in page.url
    assert page.get_by_test_id("verdict").inner_text().strip() == "✔ 真实有效"
    integrity, status, issuer = (page.get_by_test_id(f"check-{i}").inner_text() for i in (1, 2, 3))
    assert "完整性" in integrity and "文件由本平台签发，签发后未被改动" in integrity
    assert "状态" in status and "有效" in status
    assert "签发机关" in issuer and certificate.issuer_name in issuer
    public = page.get_by_test_id("public-info").inner_text()
    assert certificate.number in public
    assert certificate.holder_name in public
    assert "预包装食品" in public  # 经营项目, a public field
    # The phone layout: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_revoked_certificate_says_so_when_scanned(page, live_server, certificate, cast):
    off_the_browser_loop(
        document_set_status,
        actor=cast.officer,
        document=certificate,
        status=DocumentStatus.REVOKED,
        reason="违法经营，依法吊销",
    )
    page.set_viewport_size(PHONE)
    page.goto(f"/verify/{certificate.number}/")
    assert "当前状态为“已吊销”" in page.get_by_test_id("verdict").inner_text()
    assert "已吊销" in page.get_by_test_id("check-2").inner_text()
    # Still our genuine file: integrity passes, only the status fails.
    assert "签发后未被改动" in page.get_by_test_id("check-1").inner_text()


def test_uploading_a_tampered_pdf_says_not_genuine(page, certificate, tmp_path):
    data = bytearray(certificate.file.read())
    # Change one byte inside the signed page content (the operator's name is in it).
    at = data.index(b"stream") + 40
    data[at] ^= 0x01
    tampered = tmp_path / "证照.pdf"
    tampered.write_bytes(bytes(data))

    page.set_viewport_size(PHONE)
    page.goto("/verify/")
    page.set_input_files("input[type=file][name=file]", str(tampered))
    page.get_by_test_id("upload-submit").click()
    page.wait_for_load_state("networkidle")
    assert "✘ 不是真实有效的文件" in page.get_by_test_id("verdict").inner_text()
    integrity = page.get_by_test_id("check-1").inner_text()
    assert "未通过" in integrity
    assert "文件已被改动" in integrity  # the reason, in plain words


def test_uploading_the_genuine_pdf_says_genuine_and_current(page, certificate, tmp_path):
    genuine = tmp_path / "证照.pdf"
    genuine.write_bytes(certificate.file.read())
    page.goto("/verify/")
    page.set_input_files("input[type=file][name=file]", str(genuine))
    page.get_by_test_id("upload-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("verdict").inner_text().strip() == "✔ 真实有效"
    assert certificate.number in page.get_by_test_id("public-info").inner_text()
