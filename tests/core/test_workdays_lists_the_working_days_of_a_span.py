"""``workdays.working_days_in``: the working days of a span (both ends included), as the
demo data and the dashboard spread records over them — 调休 Saturdays in, festival
weekdays out, the admin's overrides winning."""

from datetime import date, timedelta

import pytest

from zonegov.core import workdays
from zonegov.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def test_it_lists_the_working_days_around_the_spring_festival():
    days = workdays.working_days_in(date(2026, 2, 12), date(2026, 2, 25))
    assert days == [
        date(2026, 2, 12),  # Thursday
        date(2026, 2, 13),  # Friday
        date(2026, 2, 14),  # Saturday, 调休 make-up day
        date(2026, 2, 24),  # the first weekday after the festival
        date(2026, 2, 25),
    ]
    assert all(workdays.is_working_day(d) for d in days)


def test_both_ends_count_and_a_reversed_span_is_empty():
    monday = date(2026, 6, 8)
    assert workdays.working_days_in(monday, monday) == [monday]
    assert workdays.working_days_in(date(2026, 6, 13), date(2026, 6, 14)) == []  # weekend
    assert workdays.working_days_in(monday, date(2026, 6, 7)) == []


def test_the_admins_override_wins():
    CalendarOverride.objects.create(date=date(2026, 6, 9), is_working_day=False, note="测试")
    CalendarOverride.objects.create(date=date(2026, 6, 13), is_working_day=True, note="测试")
    days = workdays.working_days_in(date(2026, 6, 8), date(2026, 6, 14))
    assert days == [
        date(2026, 6, 8),
        date(2026, 6, 10),
        date(2026, 6, 11),
        date(2026, 6, 12),
        date(2026, 6, 13),
    ]


def test_it_agrees_with_counting_working_days_between():
    # Mid-Autumn Festival (25 September) and the National Day week.
    start, end = date(2026, 9, 24), date(2026, 10, 12)
    after_start = workdays.working_days_in(start + timedelta(days=1), end)
    assert len(after_start) == workdays.working_days_between(start, end)
