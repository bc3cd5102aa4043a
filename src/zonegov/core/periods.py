"""Periods counted in years (licence validity), one rule for every module.

A validity of N years counts its first day (the certificate reads "有效期 <issue day> 至
<last day>"), so the last valid day is the day before the N-th anniversary of the first
day: issued 2026-03-20 for 5 years → valid until 2031-03-19.

29 February: in a common year the anniversary of 29 February is 1 March, so a licence
issued 2028-02-29 for 5 years is valid until 2033-02-28. The holder keeps N whole years
(2028-03-01 gives the same last day), and it is the day 《民法典》第二百零二条 names when
the final month has no corresponding day ("没有对应日的，月末日为期间的最后一日").
"""

from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    """The same month and day ``years`` later (or earlier); 29 February falls on 28
    February in a common year (the month's last day, 《民法典》第二百零二条)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def years_end(start: date, years: int) -> date:
    """Last day of a period of ``years`` whole years whose first day is ``start``: the day
    before the anniversary, the anniversary of 29 February being 1 March in a common year."""
    if years < 1:
        raise ValueError("a period in years needs at least one year")
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)
