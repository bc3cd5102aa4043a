"""Through real Chromium: a user whose roles give many modules and whose unit has a long
name still sees the language switch, the notifications and the logout button on a
laptop-sized screen (they wrap to a second row rather than slide out of sight)."""

import pytest

from tests.conftest import PASSWORD, make_unit, make_user
from zonegov.core.models.org import UnitKind
from zonegov.core.roles import STAFF_ROLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1200, 1280, 1440])
def test_every_navigation_tool_stays_on_screen(page, cast, width):
    unit = make_unit(
        "市场监督管理局高新区分局食品安全监督管理科", "scjg", UnitKind.DEPARTMENT, cast.zone
    )
    make_user("many_roles", unit, *STAFF_ROLES, full_name="欧阳明月")
    page.set_viewport_size({"width": width, "height": 700})
    page.goto("/accounts/login/")
    page.fill("#id_username", "many_roles")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    nav = page.locator("nav.navbar")
    for tool in (
        nav.locator("select[name=language]"),
        nav.get_by_test_id("notifications-link"),
        nav.get_by_role("button", name="退出"),
    ):
        box = tool.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    select = nav.locator("select[name=language]").bounding_box()
    assert select["width"] > 80  # "简体中文" readable, not squeezed to its arrow
    assert nav.locator("select[name=language]").evaluate("e => e.scrollWidth <= e.clientWidth")
