"""The visit plan's rule as plain functions over plain dates (no ORM, no request).

A call's rule: the first visit within `first_within` months of the handover of the equipment,
then one every `every` months (at most 12: at least one a year) until the end of the durability
period (the project's end + 5 years).
"""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31.01 + 1 = 28.02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_dates(
    handed_over_on: datetime.date, first_within: int, every: int, until: datetime.date
) -> list[datetime.date]:
    """The dates by which each visit is to be made: handover + first_within months, then every
    `every` months after that first date, up to `until` (the durability period's end)."""
    if first_within < 1 or not 1 <= every <= 12:
        raise ValueError("first_within >= 1 and 1 <= every <= 12")
    first = add_months(handed_over_on, first_within)
    dates = []
    step = 0
    day = first
    while day <= until:
        dates.append(day)
        step += 1
        day = add_months(first, every * step)
    return dates


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
