"""Working-day arithmetic for statutory time limits.

China's statutory holidays and 调休 make-up working days come from the ``holidays``
package (``holidays.China``); an admin-edited table (``CalendarOverride``) wins over it
for years the State Council announces after the package was released.

Counting rule (《行政许可法》第八十二条 — time limits are counted in working days, not
counting the day of receipt): the first counted day is the working day after the start.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from zonegov.core.models import CalendarOverride

SHANGHAI = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=16)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def _overrides(start: date, end: date) -> dict[date, bool]:
    return dict(
        CalendarOverride.objects.filter(date__range=(start, end)).values_list(
            "date", "is_working_day"
        )
    )


def _is_working(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return _china(day.year).is_working_day(day)


def is_working_day(day: date) -> bool:
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, days: int) -> date:
    """The date that is ``days`` working days after ``start`` (``start`` itself not counted)."""
    overrides = _overrides(start, start + timedelta(days=days * 3 + 60))
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if _is_working(current, overrides):
            remaining -= 1
    return current


def subtract_working_days(end: date, days: int) -> date:
    """The ``days``-th working day before ``end`` (``end`` itself not counted)."""
    overrides = _overrides(end - timedelta(days=days * 3 + 60), end)
    current = end
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if _is_working(current, overrides):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative if end < start."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    overrides = _overrides(start, end)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if _is_working(current, overrides):
            count += 1
    return sign * count


def local_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def due_at(start: datetime, days: int, *, working_days: bool = True) -> datetime:
    """End of the last day of a time limit that starts at ``start``."""
    first = local_date(start)
    last = add_working_days(first, days) if working_days else first + timedelta(days=days)
    return end_of_day(last)


def working_days_left(due: datetime, now: datetime) -> int:
    """0 = due today, 2 = two more working days, -1 = one working day overdue."""
    today = local_date(now)
    due_day = local_date(due)
    if due_day >= today:
        return working_days_between(today, due_day)
    return working_days_between(today, due_day) or -1
