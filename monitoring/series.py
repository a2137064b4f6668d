"""Each indicator month by month: its value as it stood at the end of each month, the same
figure `live_indicators(project, as_of=month_end)` gives (and `export_indicators --as-of`), from
the first call to the end of durability, cut at today (the running month's point is today's).

The series are the indicators' own functions, asked for each month end within
`indicators.counting_days(days)`: every figure that is counted by a query (lending.queries'
`*_per_day`, the visits, the running totals, the lists) is counted for all the month ends in
that one query, the first time a month asks for it; the other months read it from the memo. So
no rule is written twice, and the number of queries does not grow with the months. Training's
figures are read once and the modules ended by each month end picked from them.
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lebork_einclusion import charts, clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.models import Project
from recruitment.models import Call

from .indicators import INDICATORS, Indicator, counting_days, live_indicators
from .models import IndicatorSnapshot

Values = list  # one value (a number or None) per month end


@dataclass
class Series:
    """One indicator month by month (`days[i]`: the day month i's value is counted on)."""

    code: str
    name: str
    unit: str
    months: list[datetime.date]
    days: list[datetime.date]
    values: Values
    targets: Values
    notes: list[str] = field(default_factory=list)


def month_range(
    project: Project, until: datetime.date | None = None
) -> tuple[list[datetime.date], list[str]]:
    """The months from the first call (or the project's start, if earlier) to today (or
    `until`), cut at the durability end (the notes say so). No month when that day is before
    the first one."""
    first_call = Call.objects.order_by("opens_on").values_list("opens_on", flat=True).first()
    first = min(d for d in (project.start_date, first_call) if d is not None)
    last = min(until or clock.today(), clock.today())
    if last < first:
        return [], []
    return charts.clamp_months(first, last, project.durability_end)


def month_ends(months: Sequence[datetime.date], until: datetime.date) -> list[datetime.date]:
    """The last day of each month, cut at `until` (today: the running month counts to today)."""
    return [
        min(month.replace(day=calendar.monthrange(month.year, month.month)[1]), until)
        for month in months
    ]


def indicator_series(
    project: Project,
    months: Sequence[datetime.date] | None = None,
    until: datetime.date | None = None,
    also: Sequence[datetime.date] = (),
) -> list[Series]:
    """Every indicator (in the order they are shown) month by month over `months` (default:
    month_range); a month's value is counted at its end, or on today (or `until`, e.g. a
    snapshot's day) for the last month when that day comes first. The figures of the days
    `also` are counted in the same queries (read them with live_indicators inside
    `indicators.counting_days`, as indicators_with_charts does)."""
    notes: list[str] = []
    if months is None:
        months, notes = month_range(project, until)
    months = list(months)
    days = month_ends(months, min(until or clock.today(), clock.today()))
    values: dict[str, list] = {d.code: [] for d in INDICATORS}
    targets: dict[str, list] = {d.code: [] for d in INDICATORS}
    if days:
        with counting_days([*days, *also], keep=True):
            for day in days:
                for definition in INDICATORS:
                    values[definition.code].append(definition.value(project, day))
                    targets[definition.code].append(definition.target(project, day))
    return [
        Series(d.code, d.name, d.unit, months, days, values[d.code], targets[d.code], notes)
        for d in INDICATORS
    ]


def charts_of(
    every: Sequence[Series], marks: Sequence[tuple[datetime.date, str]] = ()
) -> list[charts.Chart]:
    """One line chart per indicator against its target (when it has one), the frozen
    snapshots marked; an indicator not measured in a month is a gap."""
    drawn = []
    for one in every:
        period = ""
        if one.months:
            first, last = (
                charts.month_label(m, in_text=True) for m in (one.months[0], one.months[-1])
            )
            period = f", {first} – {last}"
        has_target = any(t is not None for t in one.targets)
        drawn.append(
            charts.line_chart(
                caption=f"{one.name} ({one.unit}){period}",
                months=one.months,
                series=[(_("value at the month's end"), one.values)],
                target=(_("target"), one.targets) if has_target else None,
                marks=[(day, label) for day, label in marks if one.months and day >= one.months[0]],
                notes=one.notes,
            )
        )
    return drawn


def snapshot_marks(until: datetime.date | None = None) -> list[tuple[datetime.date, str]]:
    """The frozen snapshots' days (to `until`), each labelled with its day."""
    snapshots = IndicatorSnapshot.objects.order_by("as_of").values_list("as_of", flat=True)
    if until is not None:
        snapshots = snapshots.filter(as_of__lte=until)
    return [(day, _("snapshot of %(day)s") % {"day": short_date(day)}) for day in snapshots]


def indicator_charts(
    project: Project, months=None, until: datetime.date | None = None
) -> list[charts.Chart]:
    """Every indicator's chart (see indicator_series and charts_of), snapshots marked."""
    return charts_of(indicator_series(project, months, until), snapshot_marks(until))


def indicators_with_charts(
    project: Project, as_of: datetime.date
) -> tuple[list[Indicator], list[charts.Chart]]:
    """live_indicators(project, as_of) and indicator_charts(project) (the indicators page),
    `as_of` counted in the same queries as the month ends."""
    days = month_ends(month_range(project)[0], clock.today())
    with counting_days([*days, as_of]):
        drawn = charts_of(indicator_series(project, also=[as_of]), snapshot_marks())
        return live_indicators(project, as_of), drawn


def series_by_code(project: Project, months=None) -> dict[str, Series]:
    return {s.code: s for s in indicator_series(project, months)}


__all__ = [
    "Series",
    "charts_of",
    "indicator_charts",
    "indicator_series",
    "indicators_with_charts",
    "month_ends",
    "month_range",
    "series_by_code",
    "snapshot_marks",
]
