"""Real Chromium at 390 px (issue 12 defects 10, 13, 14, 11, 5): table headers stay on
one line, the organisation tree folds, the 交办 list flags overdue work, registration
asks for privacy consent, and a missing page answers in Chinese. Set
``ZONEGOV_SHOTS=<dir>`` to keep screenshots at 390 px and 1440 px for a look by eye."""

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PASSWORD
from zonegov.core.models import Assignment
from zonegov.core.services.audit import audit_append
from zonegov.core.services.workflow import case_open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def _shot(page, name: str) -> None:
    target = os.environ.get("ZONEGOV_SHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(target) / f"{name}-{width}.png"), full_page=True)


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def _headers_on_one_line(page) -> list[str]:
    """The header cells taller than one line of text."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table.table th')].filter(th => {
            const lh = parseFloat(getComputedStyle(th).lineHeight) || 24;
            return th.getBoundingClientRect().height > lh * 1.6 + 16;
        }).map(th => th.innerText)"""
    )


def test_the_shell_reads_well_on_a_phone(page, cast):
    late = Assignment(
        reference="JB-P-1",
        title="逾期的消防排查",
        description="x",
        unit=cast.dept,
        created_by=cast.leader,
    )
    case_open(
        case=late,
        actor=cast.leader,
        opened_at=datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=30),
        time_limit=3,
    )
    audit_append(
        actor=None,
        action="supervision.operator.renewed",
        obj=cast.park,
        changes={"version": 2, "status": "active"},
    )
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto("/accounts/register/")
        assert page.locator("#id_privacy_consent").is_visible()
        _shot(page, "register")
        page.goto("/no-such-page/")
        assert "页面不存在（404）" in page.inner_text("main")
        _shot(page, "404")

    page.set_viewport_size(PHONE)
    _log_in(page, "admin")
    page.goto("/assignments/")
    row = page.locator("tr", has_text="JB-P-1")
    assert "已超期" in row.inner_text()
    assert _headers_on_one_line(page) == []
    _shot(page, "assignments")

    page.goto("/org/")
    community = page.locator("[data-testid=unit-tree] [data-testid=unit-name]", has_text="高阳社区")
    assert community.is_visible()
    page.locator("summary", has_text="皇台街道").locator("[data-testid=unit-kind]").click()
    assert not community.is_visible()  # the branch folded away
    _shot(page, "org")

    page.goto("/audit/")
    assert "监管对象：收到许可延续" in page.inner_text("main")
    assert _headers_on_one_line(page) == []
    page.locator("summary", has_text="原始数据").first.click()
    assert page.locator("details[open] pre").first.is_visible()
    _shot(page, "audit")

    page.set_viewport_size(DESKTOP)
    for path, name in (("/assignments/", "assignments"), ("/org/", "org"), ("/audit/", "audit")):
        page.goto(path)
        _shot(page, name)
