"""Real Chromium, phone-sized: the 新办 page draws its choices as radios (issue 12 defect
2), an irreversible act asks first on a page of its own that works under the CSP, 返回
changes nothing (defect 6), and signing asks for the password again."""
# ruff: noqa: F811  (pytest fixtures imported from the remote-verification walk)

import os

import pytest

from tests.browser.test_licensing_remote_verification import _login, case, pki_dir  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("ZONEGOV_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_the_start_page_shows_radios_on_a_phone(page, case, cast):
    page.set_viewport_size(PHONE)
    _login(page, cast.applicant.username)
    page.goto("/licensing/apply/")
    radio = page.locator("input[name=kind]").first
    box = radio.bounding_box()
    assert box and 8 <= box["width"] <= 32 and 8 <= box["height"] <= 32  # a radio, not a box
    assert radio.is_visible()
    uscc = page.locator("#id_uscc").bounding_box()
    assert uscc and uscc["width"] > 250  # full width of the card, names not cut
    page.locator("input[name=kind]").nth(1).check()
    assert page.locator("input[name=kind]").nth(1).is_checked()
    _shot(page, "apply-390")


def test_accept_asks_first_and_back_changes_nothing(page, case, cast):
    page.set_viewport_size(PHONE)
    errors = _csp_errors(page)
    _login(page, "officer")
    page.goto(case.get_absolute_url())
    page.click("[data-testid=accept]")
    assert "开始计算法定办理时限" in page.inner_text("[data-testid=consequence]")
    _shot(page, "confirm-accept-390")
    page.click("[data-testid=cancel]")
    assert page.inner_text("[data-testid=state]") == "待受理"
    page.click("[data-testid=accept]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("text=已受理")
    assert page.inner_text("[data-testid=state]") == "核查中"
    assert not errors, errors


def test_signing_asks_for_the_password(page, case, cast, settings):
    from zonegov.licensing import services
    from zonegov.licensing.models import Application

    app = services.application_start(actor=cast.applicant, kind="licence")
    source = Application.objects.get(pk=case.pk)
    services.application_update(
        actor=cast.applicant,
        application=app,
        data={
            "subject_type": source.subject_type,
            "items": source.items,
            "premises": source.premises,
            "declarations": True,
        },
    )
    page.set_viewport_size(PHONE)
    _login(page, cast.applicant.username)
    page.goto(f"/licensing/applications/{app.pk}/")
    name = page.locator("#id_operator_name").bounding_box()
    assert name and name["width"] > 300  # the whole name fits, not the browser's default
    _shot(page, "ticks-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("[data-testid=save-and-sign]")
    page.wait_for_selector("[data-testid=sign-form]")
    _shot(page, "sign-1440")
    page.fill("#id_password", "not-my-password")
    page.click("[data-testid=confirm-sign]")
    assert "密码不正确" in page.inner_text("[data-testid=sign-form]")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")  # Enter signs (it does not send an SMS code)
    page.wait_for_selector("text=申请书已签名")
