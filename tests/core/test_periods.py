"""Validity in years (core.periods): the last valid day is the day before the anniversary;
a period starting on 29 February ends on 28 February of a common year (docs/licensing.md,
"Validity")."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonegov.core.periods import add_years, years_end


@pytest.mark.parametrize(
    ("start", "years", "last_day"),
    [
        (date(2026, 3, 20), 5, date(2031, 3, 19)),
        (date(2028, 2, 29), 5, date(2033, 2, 28)),  # anniversary 1 March 2033
        (date(2028, 2, 29), 4, date(2032, 2, 28)),  # 2032 is leap: anniversary 29 Feb
        (date(2028, 2, 28), 5, date(2033, 2, 27)),
        (date(2028, 3, 1), 5, date(2033, 2, 28)),
        (date(2027, 3, 1), 1, date(2028, 2, 29)),
        (date(2026, 1, 1), 3, date(2028, 12, 31)),
    ],
)
def test_it_ends_on_the_day_before_the_anniversary(start, years, last_day):
    assert years_end(start, years) == last_day


@given(st.dates(date(1950, 1, 1), date(2100, 12, 31)), st.integers(1, 10), st.integers(1, 10))
def test_periods_are_whole_years_and_add_up(start, first, second):
    last = years_end(start, first)
    assert (last + timedelta(days=1)).year == start.year + first
    assert 365 * first <= (last - start).days + 1 <= 366 * first
    # A period starting the day after another ends where one long period would.
    assert years_end(last + timedelta(days=1), second) == years_end(start, first + second)


def test_add_years_falls_back_to_28_february():
    assert add_years(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert add_years(date(2028, 2, 29), -4) == date(2024, 2, 29)
    assert add_years(date(2026, 5, 20), -5) == date(2021, 5, 20)


def test_it_refuses_a_period_of_no_years():
    with pytest.raises(ValueError):
        years_end(date(2026, 1, 1), 0)
