"""Working-day and calendar arithmetic for statutory time limits.

China's statutory holidays and 调休 make-up working days come from the ``holidays``
package (``holidays.China``); an admin-edited table (``CalendarOverride``) wins over it
for years the State Council announces after the package was released. For a year it has
no notice for, the package only projects the fixed holidays, without 调休 days: admins
are warned until someone confirms the year (``CalendarYear``,
``core.selectors.calendar``).

Counting rules, per unit of a case type (``LimitUnit``):

- Start day not counted: the first counted day is the day after the start. This is the
  general rule for periods, 《民法典》第二百零一条 ("按照年、月、日、小时计算期间的，开始的
  当日不计入，自下一日开始计算"); applying it to administrative time limits is our reading.
  (《行政许可法》第八十二条 says only that its time limits are counted in working days,
  not counting statutory holidays.)
- Working days: skip rest days and statutory holidays, count 调休 make-up days.
- Calendar days: every day counts.
- Months: the corresponding day of the month the period ends in, or that month's last
  day when it has no such day (《民法典》第二百零二条: 31 Jan + 1 month = 28/29 Feb).
- Roll rule, set per case type: a calendar-day or month deadline whose last day is a
  statutory holiday ends on the next working day instead (《民法典》第二百零三条
  "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日"; procedural laws
  say the same). That weekends count as 法定休假日 here and that the next *working* day
  (a 调休 Saturday included) is meant is our reading.
"""

import calendar
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from zonegov.core.models import CalendarOverride, LimitUnit

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


def working_days_in(start: date, end: date) -> list[date]:
    """The working days from ``start`` to ``end``, both included (none when ``end`` is
    before ``start``); the admin's calendar overrides are read once for the span."""
    if end < start:
        return []
    overrides = _overrides(start, end)
    span = (end - start).days + 1
    days = (start + timedelta(days=n) for n in range(span))
    return [day for day in days if _is_working(day, overrides)]


def local_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` months after ``start``, or the last day of that
    month when it has no such day (《民法典》第二百零二条)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def roll_to_working_day(day: date) -> date:
    """``day`` if it is a working day, else the first working day after it."""
    overrides = _overrides(day, day + timedelta(days=60))
    while not _is_working(day, overrides):
        day += timedelta(days=1)
    return day


def deadline(first: date, amount: int, unit: str, *, roll: bool = False) -> date:
    """The last day of a time limit of ``amount`` ``unit`` starting on ``first`` (not
    counted); with ``roll``, a calendar-day or month deadline that falls on a rest day or
    statutory holiday moves to the next working day."""
    if unit == LimitUnit.WORKING_DAYS:
        return add_working_days(first, amount)
    if unit == LimitUnit.CALENDAR_DAYS:
        last = first + timedelta(days=amount)
    elif unit == LimitUnit.MONTHS:
        last = add_months(first, amount)
    else:
        raise ValueError(f"unknown time-limit unit {unit!r}")
    return roll_to_working_day(last) if roll else last


def due_at(
    start: datetime, amount: int, unit: str = LimitUnit.WORKING_DAYS, *, roll: bool = False
) -> datetime:
    """End of the last day of a time limit that starts at ``start``."""
    return end_of_day(deadline(local_date(start), amount, unit, roll=roll))


def package_holidays(year: int) -> list[date]:
    """The days the ``holidays`` package treats as statutory holidays in ``year``."""
    return sorted(_china(year).keys())


@lru_cache(maxsize=16)
def package_makeup_days(year: int) -> tuple[date, ...]:
    """Weekend days the package treats as working days (调休) in ``year``: empty for a
    year it only projects."""
    china = _china(year)
    day, end, found = date(year, 1, 1), date(year, 12, 31), []
    while day <= end:
        if day.weekday() >= 5 and china.is_working_day(day):
            found.append(day)
        day += timedelta(days=1)
    return tuple(found)


def working_days_left(due: datetime, now: datetime) -> int:
    """0 = due today, 2 = two more working days, -1 = one working day overdue."""
    today = local_date(now)
    due_day = local_date(due)
    if due_day >= today:
        return working_days_between(today, due_day)
    return working_days_between(today, due_day) or -1


def window_before(last_day: date, far: int, near: int) -> tuple[date, date]:
    """The days on which between ``near`` and ``far`` working days are left before
    ``last_day`` (counted as ``working_days_until`` counts them): the window opens the day
    after the (``far`` + 1)-th working day before ``last_day`` and closes on the
    ``near``-th. A rule such as "在有效期届满前90个工作日至15个工作日期间" is
    ``window_before(valid_until, 90, 15)``."""
    opens = subtract_working_days(last_day, far + 1) + timedelta(days=1)
    return opens, subtract_working_days(last_day, near)


def working_days_until(today: date, last_day: date) -> int:
    """Working days from ``today`` (included when it is one) to ``last_day`` (excluded):
    the day a period is counted back from is not counted (《民法典》第二百零一条). Zero
    from ``last_day`` on."""
    if today >= last_day:
        return 0
    return working_days_between(today - timedelta(days=1), last_day - timedelta(days=1))


def working_days_left_each(dues: list[datetime | None], now: datetime) -> list[int | None]:
    """``working_days_left`` for many deadlines (``None`` stays ``None``) with one read of
    the calendar overrides: a list page shows one per row."""
    today = local_date(now)
    days = [local_date(d) if d is not None else None for d in dues]
    known = [d for d in days if d is not None]
    if not known:
        return [None] * len(days)
    first, last = min([today, *known]), max([today, *known])
    overrides = _overrides(first, last)
    # worked[i] = working days in (first, first + i]: working_days_between(first, day).
    worked = [0]
    for offset in range(1, (last - first).days + 1):
        day = first + timedelta(days=offset)
        worked.append(worked[-1] + (1 if _is_working(day, overrides) else 0))

    def between(end: date) -> int:
        return worked[(end - first).days] - worked[(today - first).days]

    out: list[int | None] = []
    for day in days:
        if day is None:
            out.append(None)
        elif day >= today:
            out.append(between(day))
        else:
            out.append(between(day) or -1)
    return out
