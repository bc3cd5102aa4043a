"""Real Chromium, phone-sized: a logged-out visitor lands on the service list (not a
login form), reads the 办事指南 of the food-business licence, presses 开始办理 and is on
the login page with ``next`` set to that kind's apply page; after logging in they are on
it. Screenshots at 390 and 1440 px go to /tmp/shots/ for checking by eye."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_reads_the_guide_and_starts_through_login(page, cast, settings):
    settings.AXES_ENABLED = False
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    assert page.locator("#id_password").count() == 0
    assert page.locator("[data-testid=service]").count() >= 6
    assert no_sideways_scroll(page)
    shot(page, "front-390")

    page.get_by_role("link", name="食品经营许可（新办）").click()
    page.wait_for_url("**/guide/licensing.licence.new/")
    assert "个工作日" in page.inner_text("[data-testid=time-limits]")
    assert "不收费" in page.inner_text("[data-testid=fees]")
    assert page.locator("[data-testid=start-button]").is_visible()
    assert no_sideways_scroll(page)
    shot(page, "guide-390")

    page.click("[data-testid=start-button]")
    page.wait_for_url("**/accounts/login/**")
    assert parse_qs(urlparse(page.url).query)["next"] == ["/licensing/apply/?kind=licence"]
    page.fill("#id_username", cast.applicant.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/licensing/apply/?kind=licence")
    assert page.is_checked("input[name=kind][value=licence]")


def test_the_front_door_on_a_desktop(page, cast):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/")
    assert page.get_by_role("link", name="证照核验").first.is_visible()
    shot(page, "front-1440")
    page.goto("/guide/licensing.filing.new/")
    assert "即申即审" in page.inner_text("[data-testid=time-limits]")
    shot(page, "guide-1440")
