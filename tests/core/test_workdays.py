from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zonegov.core import workdays
from zonegov.core.models import CalendarOverride

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_spring_festival_2026_make_up_saturday_is_a_working_day():
    assert workdays.is_working_day(date(2026, 2, 14))  # Saturday, 调休 make-up day
    assert workdays.is_working_day(date(2026, 2, 28))  # Saturday, 调休 make-up day


@pytest.mark.django_db
def test_spring_festival_2026_holidays_are_not_working_days():
    for day in range(15, 24):  # 2026-02-15 … 02-23
        assert not workdays.is_working_day(date(2026, 2, day)), day


@pytest.mark.django_db
def test_ten_working_days_from_2026_02_12_skip_the_festival():
    # Counted from the day after receipt: 13 (Fri), 14 (Sat, make-up), 24, 25, 26, 27,
    # 28 (Sat, make-up), 3-02, 3-03, 3-04.
    assert workdays.add_working_days(date(2026, 2, 12), 10) == date(2026, 3, 4)


@pytest.mark.django_db
def test_due_at_is_the_end_of_the_last_working_day_in_shanghai():
    start = datetime(2026, 2, 12, 10, 0, tzinfo=SH)
    due = workdays.due_at(start, 2)
    assert due == datetime(2026, 2, 14, 23, 59, 59, tzinfo=SH)


@pytest.mark.django_db
def test_an_admin_override_wins_over_the_package_calendar():
    # A made-up change announced late: 2026-03-02 (Monday) becomes a day off.
    CalendarOverride.objects.create(date=date(2026, 3, 2), is_working_day=False, note="测试")
    assert not workdays.is_working_day(date(2026, 3, 2))
    assert workdays.add_working_days(date(2026, 2, 27), 1) == date(2026, 2, 28)
    assert workdays.add_working_days(date(2026, 2, 28), 1) == date(2026, 3, 3)


@pytest.mark.django_db
def test_working_days_left_counts_down_and_goes_negative_when_overdue():
    due = datetime(2026, 3, 4, 23, 59, 59, tzinfo=SH)
    assert workdays.working_days_left(due, datetime(2026, 3, 2, 9, 0, tzinfo=SH)) == 2
    assert workdays.working_days_left(due, datetime(2026, 3, 4, 9, 0, tzinfo=SH)) == 0
    assert workdays.working_days_left(due, datetime(2026, 3, 6, 9, 0, tzinfo=SH)) == -2


def test_a_month_ends_on_the_corresponding_day_or_the_last_day_of_the_month():
    # 《民法典》第二百零二条
    assert workdays.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert workdays.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert workdays.add_months(date(2026, 6, 1), 3) == date(2026, 9, 1)
    assert workdays.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.django_db
def test_a_calendar_deadline_on_national_day_rolls_only_when_asked():
    assert workdays.deadline(date(2026, 9, 21), 10, "calendar_days") == date(2026, 10, 1)
    assert workdays.deadline(date(2026, 9, 21), 10, "calendar_days", roll=True) == date(2026, 10, 8)


@pytest.mark.django_db
def test_a_roll_stops_at_a_make_up_working_saturday():
    # 2026-02-28 is a Saturday worked in exchange for the Spring Festival (调休).
    assert workdays.deadline(date(2026, 1, 31), 1, "months", roll=True) == date(2026, 2, 28)
    # 2026-02-15 (Sunday, festival) rolls past the whole holiday to 2026-02-24.
    assert workdays.deadline(date(2026, 2, 5), 10, "calendar_days", roll=True) == date(2026, 2, 24)


def test_the_module_cites_the_source_of_the_start_day_rule():
    doc = workdays.__doc__
    # 行政许可法第八十二条 only says limits are counted in working days; the start day not
    # being counted comes from the general rule on periods.
    assert "《民法典》第二百零一条" in doc
    assert "not\ncounting the day of receipt" not in doc
    assert "第八十二条 — time limits are counted in working days, not" not in doc
    assert "《民法典》第二百零二条" in doc and "《民法典》第二百零三条" in doc
