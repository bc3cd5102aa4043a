"""Real Chromium, phone-sized (issue 12 "Done means"): one applicant's whole journey.

A logged-out visitor on a phone reads the 办事指南 of the 仅销售预包装食品备案, presses
开始办理, logs in, fills in and signs the form and submits it. Their login is not
verified by 统一身份认证, so the case goes to an officer (no 即申即审): the officer, on a
desktop in a browser of their own, accepts it and approves it, each after the page
naming the consequence. Back on the phone the applicant reads the 受理 and 准予 notices
in the inbox, opens the case from one, downloads the certificate as a ``.pdf`` and rates
the service (评价本次服务), and sees the rating recorded on the case page.

The refusal walk (the officer sees the confirmation before 不予许可 and the applicant, on
a phone, downloads the signed 不予许可决定书) is test_licensing_formal_documents.py.

Set ``ZONEGOV_SHOTS=<dir>`` (e.g. /tmp/shots-e2e) to keep screenshots of the main pages
on the way at 390 px and 1440 px, for checking by eye."""

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, VALID_ID, VALID_USCC, fresh_content_types
from tests.core import documents_fixtures
from zonegov.core.models import Enterprise, Person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

pki_dir = documents_fixtures.pki_dir

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def _shot(page, name: str, both: bool = True) -> None:
    """Screenshot at the page's width and, with ``both``, at the other width too."""
    target = os.environ.get("ZONEGOV_SHOTS")
    if not target:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    current = page.viewport_size
    sizes = [current]
    if both:
        sizes.append(DESKTOP if current["width"] < 800 else PHONE)
    for size in sizes:
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(target) / f"{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(current)


def _fits(page) -> bool:
    """Nothing pushes the page sideways (no horizontal scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _on_one_line(locator) -> bool:
    """The element's text takes one line (a number or a date not broken in two)."""
    return locator.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
            return el.getBoundingClientRect().height < line * 1.6;
        }"""
    )


def _month_labels_turned(page) -> list[bool]:
    """For each month label under the dashboard's chart, whether it is drawn turned."""
    page.wait_for_timeout(200)  # ECharts redraws on resize
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-chart-source] svg text')]
            .filter(t => /^\\d{4}年\\d{1,2}月$/.test(t.textContent.trim()))
            .map(t => Math.abs(t.getCTM().b) > 0.01)"""
    )


def _log_in(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def zone(settings, pki_dir, cast):
    fresh_content_types()
    settings.ZONEGOV_LICENSING_UNIT_CODE = "xzfw"
    settings.AXES_ENABLED = False
    cast.applicant.person = Person.objects.create(name="张三", id_number=VALID_ID)
    cast.applicant.save()
    return Enterprise.objects.create(
        uscc=VALID_USCC,
        name="平顶山市测试食品便利店有限公司",
        kind="llc",
        legal_representative="张三",
        registered_address="平顶山市高新区神马大道88号",
    )


def test_an_applicant_goes_the_whole_way_on_a_phone(page, browser, live_server, zone, cast):
    page.set_viewport_size(PHONE)

    # 1. The front door and the 办事指南, logged out.
    page.goto("/")
    assert page.locator("#id_password").count() == 0
    assert _fits(page)
    _shot(page, "front")
    page.get_by_role("link", name="仅销售预包装食品备案").first.click()
    page.wait_for_url("**/guide/licensing.filing.new/")
    assert "即申即审" in page.inner_text("[data-testid=time-limits]")
    assert _fits(page)
    _shot(page, "guide")

    # 2. 开始办理 → log in → the apply page with the kind chosen.
    page.click("[data-testid=start-button]")
    page.wait_for_url("**/accounts/login/**")
    _log_in(page, cast.applicant.username)
    page.wait_for_url("**/licensing/apply/?kind=filing")
    assert page.is_checked("input[name=kind][value=filing]")
    assert _fits(page)
    _shot(page, "apply")
    if page.locator("#id_uscc").input_value() == "":
        page.fill("#id_uscc", VALID_USCC)
    page.click("text=开始填报")
    page.wait_for_selector("[data-testid=ticks-form]")
    assert page.input_value("#id_operator_name") == zone.name
    assert _fits(page)

    # 3. Tick, sign again with the password, submit: it goes to an officer.
    page.check("input[name=subject_type][value='2']")
    page.check("#id_item_prepack")
    for name, value in (
        ("area", "le30"),
        ("tenure", "lease"),
        ("cold_storage", "na"),
        ("warehouse", "none"),
    ):
        page.check(f"input[name=fact_{name}][value={value}]")
    page.check("#id_declarations")
    _shot(page, "form")
    page.click("[data-testid=save-and-sign]")
    page.wait_for_selector("[data-testid=sign-form]")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=confirm-sign]")
    page.wait_for_selector("text=申请书已签名")
    assert "转人工受理" in page.inner_text("[data-testid=identity-gate]")
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    reference = page.inner_text("[data-testid=reference]").strip()
    assert reference
    assert page.inner_text("[data-testid=state]") == "待受理"
    case_url = page.url
    assert _fits(page)
    assert _on_one_line(page.locator("[data-testid=reference]"))  # not "SQ-" / "2026-…"
    _shot(page, "case-submitted")

    # 4. The officer, on a desktop in a second browser: 受理, then 准予 — each confirmed.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    officer = context.new_page()
    officer.set_default_timeout(15000)
    officer.set_viewport_size(DESKTOP)
    officer.goto("/accounts/login/")
    _log_in(officer, "officer")
    officer.goto("/licensing/workbench/")
    _shot(officer, "workbench")
    officer.set_viewport_size(PHONE)  # the queue on a phone: the number is not cut up
    assert _on_one_line(officer.locator("[data-testid=queue-reference]").first)
    assert _fits(officer)
    officer.set_viewport_size(DESKTOP)
    officer.click(f"text={reference}")
    officer.wait_for_selector("[data-testid=accept]")
    _shot(officer, "case-officer")
    officer.click("[data-testid=accept]")
    assert "开始计算法定办理时限" in officer.inner_text("[data-testid=consequence]")
    _shot(officer, "confirm-accept")
    officer.click("[data-testid=confirm]")
    officer.wait_for_selector("text=已受理")
    assert officer.inner_text("[data-testid=state]") == "审查中"
    officer.fill("#id_note", "材料齐全，符合备案条件")
    officer.click("[data-testid=approve]")
    assert "立即签发电子证书" in officer.inner_text("[data-testid=consequence]")
    _shot(officer, "confirm-approve")
    officer.click("[data-testid=confirm]")
    officer.wait_for_selector("text=已准予许可")
    assert officer.inner_text("[data-testid=state]") == "已办结"
    _shot(officer, "case-officer-issued")
    officer.goto("/licensing/workbench/?queue=print")
    _shot(officer, "print-queue")
    # A fixed half-year by month (six labels whatever day the suite runs on).
    officer.goto("/dashboard/?date_from=2026-01-01&date_to=2026-06-30&dimension=month")
    _shot(officer, "dashboard")
    assert _month_labels_turned(officer) == [False] * 6  # room enough: they lie flat
    officer.set_viewport_size(PHONE)  # 2026年6月 on one line, not three
    assert _on_one_line(officer.locator("[data-testid=row-label]").last)
    # Too narrow for six flat month labels: they turn rather than overprint each other,
    # whether the phone loads the page or the window is made narrow.
    assert _month_labels_turned(officer) == [True] * 6
    officer.reload()
    assert _month_labels_turned(officer) == [True] * 6
    officer.set_viewport_size(DESKTOP)
    context.close()

    # 5. The applicant's inbox: the 受理 and the 准予 notices, each leading to the case.
    page.goto("/notifications/")
    inbox = page.inner_text("main")
    assert f"申请已受理：{reference}" in inbox
    assert reference in inbox and "准予" in inbox
    assert "备案备案" not in inbox  # the service is named once, not "…备案" + "备案"
    assert _fits(page)
    _shot(page, "inbox")
    approved = page.locator("[data-testid=notification]", has_text="准予").first
    approved.get_by_role("button", name="查看").click()
    page.wait_for_load_state()
    assert page.url == case_url
    assert page.inner_text("[data-testid=state]") == "已办结"

    # 6. The certificate downloads as a .pdf.
    with page.expect_download() as info:
        page.click("[data-testid=download-certificate]")
    download = info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    _shot(page, "case-issued")

    # 7. 评价本次服务: rated 满意, and the case page shows the rating.
    page.click("[data-testid=rate-link]")
    page.wait_for_url(f"**/ratings/licensing/{reference}/")
    assert page.get_by_text("您对本次服务满意吗？").is_visible()
    # The five levels are styled radios lined up under the question (not the browser's
    # small default ones, indented).
    question = page.get_by_text("您对本次服务满意吗？").bounding_box()
    for radio in page.locator("input[name=level]").all():
        box = radio.bounding_box()
        assert box and abs(box["x"] - question["x"]) <= 4 and box["width"] >= 15, box
    assert _fits(page)
    assert "备案备案" not in page.inner_text("main")
    _shot(page, "rating")
    page.get_by_label("非常满意", exact=True).check()
    page.fill("#id_comment", "网上办理很方便，窗口电话答复及时")
    page.click("[data-testid=rating-submit]")
    page.locator("[data-testid=my-rating]").wait_for()
    assert page.locator("[data-testid=rating-level]").inner_text() == "非常满意"
    _shot(page, "rating-recorded")
    page.goto(case_url)
    assert "您已评价本次服务" in page.inner_text("[data-testid=rating-prompt]")
    assert "非常满意" in page.inner_text("[data-testid=rating-prompt]")

    # 8. The public pages the certificate points to: 公示 and the verification page.
    page.goto("/gongshi/")
    assert _fits(page)
    _shot(page, "gongshi")
    page.goto("/verify/")
    assert _fits(page)
    _shot(page, "verify")
