"""Real Chromium, phone-sized (issue 12): an officer refuses a case after the confirmation
page, and the applicant finds the signed 不予许可决定书 under 文书 on the case page,
downloads it as a .pdf and opens its verification page, which names the kind."""
# ruff: noqa: F811  (pytest fixtures imported from the remote-verification walk)

import os

import pytest

from tests.browser.test_licensing_remote_verification import _login, case, pki_dir  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("ZONEGOV_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_applicant_receives_the_signed_refusal(page, case, cast):
    _login(page, "officer")
    page.goto(case.get_absolute_url())
    page.fill("#id_note", "经营场所与住宅相连，无有效隔离")
    page.click("[data-testid=reject]")
    assert "不予许可" in page.inner_text("[data-testid=consequence]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=documents]")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    page.set_viewport_size(PHONE)
    _login(page, cast.applicant.username)
    page.goto(case.get_absolute_url())
    block = page.locator("[data-testid=documents]")
    assert "不予许可决定书" in block.inner_text()
    _shot(page, "case-documents-390")
    with page.expect_download() as info:
        block.locator("[data-testid=document-download]").first.click()
    download = info.value
    assert download.suggested_filename.startswith("BY-2026-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.goto(f"/verify/{download.suggested_filename[:-4]}/")
    assert page.inner_text("[data-testid=document-kind]") == "不予许可决定书"
    assert "电子签名有效" in page.inner_text("main")
    _shot(page, "verify-refusal-390")
