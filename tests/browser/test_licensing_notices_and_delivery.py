"""Real Chromium, phone-sized (issue 12): the applicant reads the 受理 notice in the inbox and
opens the case from it, and chooses 邮寄 for the paper copy — a short address comes back
under its box with the rest kept, a full one is saved."""
# ruff: noqa: F811  (pytest fixtures imported from the remote-verification walk)

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.browser.test_licensing_remote_verification import _login, case, pki_dir  # noqa: F401
from zonegov.core.models import User
from zonegov.licensing import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("ZONEGOV_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_applicant_reads_the_notice_and_chooses_post(page, case, cast):
    # 受理 signs its 受理通知书; pyHanko runs its own event loop: not in Playwright's thread.
    officer = User.objects.get(username="officer")
    with ThreadPoolExecutor(1) as pool:
        pool.submit(services.application_accept, actor=officer, application=case).result()
    page.set_viewport_size(PHONE)
    _login(page, cast.applicant.username)
    page.goto("/notifications/")
    assert f"申请已受理：{case.reference}" in page.inner_text("main")
    _shot(page, "notices-inbox-390")
    page.click("text=查看")
    page.wait_for_load_state()
    assert page.url.endswith(case.get_absolute_url())

    post = page.locator("input[name=delivery][value=post]")
    box = post.bounding_box()
    assert box and 8 <= box["width"] <= 32  # a radio, not a text box
    post.check()
    page.fill("#id_recipient", "张三")
    page.fill("#id_phone", "13800000001")
    page.fill("#id_address", "高新区")
    page.click("[data-testid=delivery-save]")
    page.wait_for_load_state()
    assert "请填写详细邮寄地址" in page.inner_text("[data-testid=delivery]")
    assert page.input_value("#id_phone") == "13800000001"
    assert page.locator("input[name=delivery][value=post]").is_checked()
    width = page.locator("#id_address").bounding_box()
    assert width and width["width"] > 250
    _shot(page, "delivery-error-390")
    page.fill("#id_address", "河南省平顶山市高新区神马大道88号3号楼")
    page.click("[data-testid=delivery-save]")
    page.wait_for_load_state()
    assert "已保存纸质证书领取方式" in page.inner_text("main")
    case.refresh_from_db()
    assert case.paper_delivery == "post" and case.delivery_address.endswith("3号楼")
