"""The labs' monthly opening hours as plain data: checks and the weekly pattern.

Plain functions over plain data (no ORM, no request): the schedule form and the service call the
same `slot_problems`, so a page, the demo and a test refuse the same things.
"""

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date


@dataclass(frozen=True)
class Slot:
    day: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time

    @property
    def hours(self) -> float:
        start = datetime.datetime.combine(self.day, self.starts_at)
        end = datetime.datetime.combine(self.day, self.ends_at)
        return (end - start).total_seconds() / 3600

    def label(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


def first_of_month(year: int, month: int) -> datetime.date:
    """The month as its first day; ValueError for a month that does not exist."""
    return datetime.date(year, month, 1)


def last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_label(month: datetime.date) -> str:
    """'kwiecień 2013' as written mid-sentence (the format settings); capfirst at a start."""
    return date_format(month, "YEAR_MONTH_FORMAT")


def next_month(month: datetime.date) -> datetime.date:
    return (last_day(month) + datetime.timedelta(days=1)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def slot_problems(month: datetime.date, slots: Sequence[Slot]) -> dict[int, str]:
    """{index of the slot: why it is refused} for slots outside the month, ending before they
    start, or overlapping an earlier slot of the same day (touching ends are fine)."""
    problems: dict[int, str] = {}
    end = last_day(month)
    for index, slot in enumerate(slots):
        if not month <= slot.day <= end:
            problems[index] = _("%(day)s is outside %(month)s.") % {
                "day": short_date(slot.day),
                "month": month_label(month),
            }
        elif slot.ends_at <= slot.starts_at:
            problems[index] = _("The lab must close after it opens (%(hours)s).") % {
                "hours": slot.label()
            }
    by_day: dict[datetime.date, list[int]] = {}
    for index, slot in enumerate(slots):
        if index not in problems:
            by_day.setdefault(slot.day, []).append(index)
    for indexes in by_day.values():
        ordered = sorted(indexes, key=lambda i: (slots[i].starts_at, slots[i].ends_at, i))
        latest = ordered[0]  # of the slots so far, the one that ends last
        for current in ordered[1:]:
            if slots[current].starts_at < slots[latest].ends_at:
                # The problem is reported on the row entered later, naming the other one.
                later, earlier = max(latest, current), min(latest, current)
                problems[later] = _("%(hours)s overlaps %(other)s on %(day)s.") % {
                    "hours": slots[later].label(),
                    "other": slots[earlier].label(),
                    "day": short_date(slots[current].day),
                }
            if slots[current].ends_at > slots[latest].ends_at:
                latest = current
    return problems


def weekly_slots(
    month: datetime.date,
    weekdays: Iterable[int],
    starts_at: datetime.time,
    ends_at: datetime.time,
    *,
    skip: Iterable[datetime.date] = (),
    from_day: datetime.date | None = None,
) -> list[Slot]:
    """The same hours on the given weekdays (0 = Monday) of every week of the month, except the
    days in `skip` (holidays) and the days before `from_day`."""
    weekdays, skip = set(weekdays), set(skip)
    days = []
    day = max(month, from_day) if from_day else month
    end = last_day(month)
    while day <= end:
        if day.weekday() in weekdays and day not in skip:
            days.append(Slot(day, starts_at, ends_at))
        day += datetime.timedelta(days=1)
    return days


def total_hours(slots: Iterable[Slot]) -> float:
    return sum(slot.hours for slot in slots)


def by_day(slots: Iterable[Slot]) -> list[tuple[datetime.date, list[Slot]]]:
    """Slots grouped by day, days in order, each day's slots by their start."""
    days: dict[datetime.date, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: (s.day, s.starts_at)):
        days.setdefault(slot.day, []).append(slot)
    return list(days.items())
