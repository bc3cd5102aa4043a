"""``core.workdays.window_before`` / ``working_days_until``: the generic arithmetic of a
"between N and M working days before a date" rule (licensing's 延续 window uses it)."""

from datetime import date, timedelta

import pytest

from zonegov.core import workdays


@pytest.mark.django_db
def test_it_counts_today_but_not_the_last_day():
    # Friday 2026-07-10 is the last day; Monday 6th to Thursday 9th are the four days left.
    assert workdays.working_days_until(date(2026, 7, 6), date(2026, 7, 10)) == 4
    assert workdays.working_days_until(date(2026, 7, 4), date(2026, 7, 10)) == 4  # Saturday
    assert workdays.working_days_until(date(2026, 7, 9), date(2026, 7, 10)) == 1
    assert workdays.working_days_until(date(2026, 7, 10), date(2026, 7, 10)) == 0
    assert workdays.working_days_until(date(2026, 7, 20), date(2026, 7, 10)) == 0


@pytest.mark.django_db
def test_the_window_holds_the_days_with_between_near_and_far_working_days_left():
    assert workdays.window_before(date(2026, 7, 10), 3, 2) == (date(2026, 7, 7), date(2026, 7, 8))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "last_day",
    [date(2026, 3, 2), date(2026, 10, 12), date(2027, 1, 4), date(2026, 6, 21)],
    ids=["after-spring-festival", "after-national-day", "after-new-year", "a-sunday"],
)
def test_a_day_is_in_the_window_exactly_when_its_count_is_in_range(last_day):
    far, near = 20, 5
    opens, closes = workdays.window_before(last_day, far, near)
    day = last_day - timedelta(days=60)
    while day <= last_day:
        left = workdays.working_days_until(day, last_day)
        assert (opens <= day <= closes) == (near <= left <= far), (day, left)
        day += timedelta(days=1)


@pytest.mark.django_db
def test_days_left_of_many_deadlines_match_one_by_one_with_one_query(
    django_assert_num_queries,
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    sh = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 2, 12, 10, 0, tzinfo=sh)
    dues = [
        datetime(2026, 3, 4, 23, 59, tzinfo=sh),  # across the Spring Festival
        None,
        datetime(2026, 2, 12, 23, 59, tzinfo=sh),  # due today
        datetime(2026, 2, 11, 23, 59, tzinfo=sh),  # one working day late
        datetime(2026, 2, 1, 23, 59, tzinfo=sh),
    ]
    expected = [workdays.working_days_left(d, now) if d else None for d in dues]
    with django_assert_num_queries(1):
        assert workdays.working_days_left_each(dues, now) == expected
    assert expected[2] == 0 and expected[3] == -1
