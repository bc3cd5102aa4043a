"""The holidays package projects years it has no State Council notice for without their
调休 working days. From 1 November, org admins are warned until next year's calendar is
confirmed, with the dates the package treats as holidays; a year that has begun
unconfirmed keeps the warning."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zonegov.core.errors import ApplicationError
from zonegov.core.models import AuditRecord, CalendarOverride, CalendarYear
from zonegov.core.services.calendar import calendar_year_confirm, calendar_year_unconfirm

SH = ZoneInfo("Asia/Shanghai")

OCT_31 = datetime(2026, 10, 31, 12, 0, tzinfo=SH)
NOV_1 = datetime(2026, 11, 1, 9, 0, tzinfo=SH)
JAN_4 = datetime(2027, 1, 4, 9, 0, tzinfo=SH)


@pytest.fixture
def confirmed_2026(cast):
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=SH), tick=False):
        return calendar_year_confirm(actor=cast.admin, year=2026, note="国办发明电〔2025〕7号")


@pytest.fixture
def superuser(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    return cast.admin


def _home(login, user) -> str:
    return login(user).get("/").content.decode()


def test_on_31_october_there_is_no_warning(cast, login, confirmed_2026):
    with time_machine.travel(OCT_31, tick=False):
        assert 'data-testid="calendar-warning"' not in _home(login, cast.admin)


def test_from_1_november_admins_are_told_which_dates_to_check(cast, login, confirmed_2026):
    with time_machine.travel(NOV_1, tick=False):
        page = _home(login, cast.admin)
    assert 'data-testid="calendar-warning"' in page
    assert "2027 年的节假日安排尚未确认" in page
    # The package's projection of 2027, to be checked against the notice.
    for day in ("2027-01-01", "2027-02-06", "2027-05-01", "2027-10-01"):
        assert day in page
    assert "没有该年的调休上班日" in page and "录入为工作日" in page


def test_other_staff_do_not_see_the_warning(cast, login, confirmed_2026):
    with time_machine.travel(NOV_1, tick=False):
        assert 'data-testid="calendar-warning"' not in _home(login, cast.officer)
        assert 'data-testid="calendar-warning"' not in _home(login, cast.leader)


def test_confirming_the_year_ends_the_warning(cast, login, confirmed_2026):
    with time_machine.travel(NOV_1, tick=False):
        CalendarOverride.objects.create(date="2027-02-20", is_working_day=True, note="调休上班")
        assert "2027-02-20（上班）" in _home(login, cast.admin)
        row = calendar_year_confirm(actor=cast.admin, year=2027, note="国办发明电〔2026〕×号")
        assert 'data-testid="calendar-warning"' not in _home(login, cast.admin)
    assert row.confirmed_by == cast.admin and row.confirmed_at == NOV_1
    assert AuditRecord.objects.filter(action="calendar.confirm", object_id="2027").exists()


def test_a_year_that_began_unconfirmed_keeps_the_warning(cast, login, confirmed_2026):
    with time_machine.travel(JAN_4, tick=False):
        page = _home(login, cast.admin)
        assert "2027 年的节假日安排尚未确认" in page and "该年度已经开始" in page
        calendar_year_confirm(actor=cast.admin, year=2027)
        assert 'data-testid="calendar-warning"' not in _home(login, cast.admin)
        calendar_year_unconfirm(actor=cast.admin, year=2027)
        assert 'data-testid="calendar-warning"' in _home(login, cast.admin)


def test_only_org_admins_confirm_and_only_once_and_not_too_far_ahead(cast, confirmed_2026):
    with time_machine.travel(NOV_1, tick=False):
        with pytest.raises(PermissionDenied):
            calendar_year_confirm(actor=cast.officer, year=2027)
        with pytest.raises(ApplicationError) as twice:
            calendar_year_confirm(actor=cast.admin, year=2026)
        assert twice.value.message == "2026 年的节假日安排已经确认过。"
        with pytest.raises(ApplicationError):
            calendar_year_confirm(actor=cast.admin, year=2028)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_admin_changelist_shows_the_warning_and_confirming_there_records_who(
    cast, login, superuser, confirmed_2026
):
    with time_machine.travel(NOV_1, tick=False):
        client = login(superuser)  # logged in that day (staff sessions end after 30 idle min)
        page = client.get("/admin/core/calendaroverride/").content.decode()
        assert "2027 年的节假日安排尚未确认" in page and "2027-10-01" in page
        response = client.post("/admin/core/calendaryear/add/", {"year": "2027", "note": "通知"})
        assert response.status_code == 302
        page = client.get("/admin/core/calendaroverride/").content.decode()
        assert "尚未确认" not in page
        refused = client.post("/admin/core/calendaryear/add/", {"year": "2029", "note": ""})
        assert refused.status_code == 200 and "年度应在2000到2027之间" in refused.content.decode()
    row = CalendarYear.objects.get(year=2027)
    assert row.confirmed_by == superuser and row.confirmed_by_name == "管理员"
