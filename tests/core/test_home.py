from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zonegov.core.models import Assignment
from zonegov.core.services.assignments import assignment_create
from zonegov.core.services.workflow import case_open

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def work(cast):
    late = Assignment(
        reference="JB-H-1",
        title="逾期的排查任务",
        description="x",
        unit=cast.dept,
        created_by=cast.leader,
    )
    case_open(
        case=late, actor=cast.leader, opened_at=datetime.now(SH) - timedelta(days=30), time_limit=3
    )
    soon = assignment_create(
        actor=cast.leader, title="本周走访", description="y", unit=cast.dept, time_limit=8
    )
    park = assignment_create(
        actor=cast.leader, title="园区台账", description="z", unit=cast.park, time_limit=8
    )
    return late, soon, park


def test_staff_see_their_units_open_work_overdue_first(cast, login, work):
    page = login(cast.officer).get("/").content.decode()
    assert page.index("逾期的排查任务") < page.index("本周走访")
    assert "园区台账" not in page
    assert "超期" in page and "件已超期" in page
    assert "个工作日" in page


def test_the_navigation_shows_only_the_modules_of_the_role(cast, login):
    officer_page = login(cast.officer).get("/").content.decode()
    assert "市场主体" in officer_page and "组织机构" not in officer_page
    admin_page = login(cast.admin).get("/").content.decode()
    assert "组织机构" in admin_page and "审计日志" in admin_page


def test_applicants_see_no_staff_modules_and_no_staff_work(cast, login, work):
    page = login(cast.applicant).get("/").content.decode()
    assert "逾期的排查任务" not in page
    assert "交办督办" not in page and "市场主体" not in page


def test_anonymous_visitors_get_the_public_service_list(client, db):
    response = client.get("/")
    assert response.status_code == 200 and "办事指南" in response.content.decode()
    assert "我的工作" not in response.content.decode()


def test_a_user_of_one_unit_cannot_read_another_units_case(cast, login, work):
    late, _soon, park = work
    assert login(cast.park_officer).get(f"/assignments/{late.pk}/").status_code == 404
    assert login(cast.officer).get(f"/assignments/{late.pk}/").status_code == 200
    assert login(cast.leader).get(f"/assignments/{park.pk}/").status_code == 200
    assert login(cast.applicant).get(f"/assignments/{late.pk}/").status_code == 403
    api = login(cast.park_officer).get(f"/api/assignments/{late.pk}")
    assert api.status_code == 404 and api.json()["message"]


def test_the_work_api_lists_the_same_items(cast, login, work):
    data = login(cast.officer).get("/api/work-items").json()
    assert [d["title"] for d in data] == ["逾期的排查任务", "本周走访"]
    assert data[0]["overdue"] is True and data[0]["working_days_left"] < 0
