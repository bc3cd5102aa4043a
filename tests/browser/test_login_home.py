from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PASSWORD
from zonegov.core.models import Assignment
from zonegov.core.services.workflow import case_open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_officer_logs_in_and_sees_overdue_work_first(page, cast):
    late = Assignment(
        reference="JB-B-1",
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
    page.goto("/")  # logged out: the public service list, with a way to log in
    page.click("[data-testid=front-login]")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    assert page.locator("[data-testid=current-user]").inner_text().startswith("审批员甲")
    first_row = page.locator("[data-testid=work-table] tbody tr").first
    assert "逾期的消防排查" in first_row.inner_text()
    assert "超期" in first_row.inner_text()
    assert page.locator("[data-testid=overdue-count]").is_visible()
    # Phone-sized screen: the menu collapses behind the toggler and still opens.
    page.set_viewport_size({"width": 390, "height": 844})
    page.click(".navbar-toggler")
    page.locator("#mainnav").get_by_text("市场主体").wait_for()
