"""The visit plan as a calendar: a month of planned, overdue, moved and made visits (and visits
not made: nobody at home, refused), by day.

Two queries whatever the number of households: the planned visits of the month's weeks and the
visits made in them (each with its household and officer).
"""

import calendar
import datetime
from dataclasses import dataclass, field

from lebork_einclusion.clock import day_of

from .models import PlannedVisit
from .visits import planned_visits, visits_between

PLANNED = "planned"
OVERDUE = "overdue"
MOVED = "moved"
MADE = "made"
NOT_MADE = "not_made"  # the officer came: nobody at home, or the household refused
KINDS = (OVERDUE, MOVED, PLANNED, MADE, NOT_MADE)


@dataclass
class Entry:
    kind: str
    household: str  # the application's number: no name on a calendar that may be printed
    street: str
    officer: str
    planned: PlannedVisit | None = None
    visit_id: int | None = None


@dataclass
class Day:
    day: datetime.date
    in_month: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)


def _address(application) -> str:
    flat = f"/{application.flat}" if application.flat else ""
    return f"{application.street} {application.building}{flat}"


def _officer_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def month_weeks(month: datetime.date, today: datetime.date, officer=None) -> list[list[Day]]:
    """The month's weeks (Monday first, the neighbouring months' days included to fill them),
    each day with its visits: planned ones (overdue before today, moved when the officer moved
    the rule's date) on their due day, made ones on the day they were made."""
    weeks_of_days = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks_of_days[0][0], weeks_of_days[-1][-1]
    days = {
        day: Day(day, day.month == month.month, day == today)
        for week in weeks_of_days
        for day in week
    }
    for planned in planned_visits(officer).filter(due_on__range=(first, last)):
        if planned.due_on < today:
            kind = OVERDUE
        elif planned.is_moved:
            kind = MOVED
        else:
            kind = PLANNED
        application = planned.participant.application
        days[planned.due_on].entries.append(
            Entry(
                kind,
                application.number,
                _address(application),
                _officer_name(planned.officer),
                planned=planned,
            )
        )
    made = visits_between(first, last)
    if officer is not None:
        made = made.filter(officer=officer)
    for visit in made:
        application = visit.participant.application
        days[day_of(visit.visited_at)].entries.append(
            Entry(
                MADE if visit.is_made else NOT_MADE,
                application.number,
                _address(application),
                _officer_name(visit.officer),
                visit_id=visit.pk,
            )
        )
    for day in days.values():
        day.entries.sort(key=lambda e: (KINDS.index(e.kind), e.household))
    return [[days[day] for day in week] for week in weeks_of_days]


def counts(weeks: list[list[Day]]) -> dict[str, int]:
    """How many visits of each kind fall in the month itself."""
    totals = dict.fromkeys(KINDS, 0)
    for week in weeks:
        for day in week:
            if day.in_month:
                for entry in day.entries:
                    totals[entry.kind] += 1
    return totals
