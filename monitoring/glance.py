"""Figures at a glance, drawn with the core's charts: lab hours opened against scheduled by
unit and month, visits made against planned per month. Each counts in the database (a few
grouped queries whatever the number of months, units or visits)."""

import datetime
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from lebork_einclusion import charts
from lebork_einclusion.clock import day_of
from lebork_einclusion.models import PublicUnit

from .models import LabReport, LabSchedule, MonitoringVisit, PlannedVisit


def slot_length(prefix: str):
    """A lab slot's length as an interval (`prefix`: "slots__" from a schedule, "" on a slot)."""
    return ExpressionWrapper(
        F(f"{prefix}ends_at") - F(f"{prefix}starts_at"), output_field=DurationField()
    )


def lab_rows(months: list[datetime.date]):
    """The units, their schedules (annotated with `length`) and the supervisors' reports of
    the months, keyed by (unit id, month): three queries."""
    units = list(PublicUnit.objects.order_by("name"))
    schedules = {
        (s.unit_id, s.month): s
        for s in LabSchedule.objects.filter(month__in=months).annotate(
            length=Sum(slot_length("slots__"))
        )
    }
    reports = {(r.unit_id, r.month): r for r in LabReport.objects.filter(month__in=months)}
    return units, schedules, reports


def _hours(length: datetime.timedelta | None) -> float | None:
    return None if length is None else round(length.total_seconds() / 3600, 1)


def lab_hours(
    period: str, months: list[datetime.date], units: list, schedules: dict, reports: dict
) -> tuple[charts.Chart, charts.Chart]:
    """Two charts from the lab page's own rows (no extra query): the hours scheduled and opened
    per month (all units), and each unit's opened hours as a share of its scheduled ones.

    `schedules` maps (unit id, month) to a schedule annotated with `length` (a timedelta),
    `reports` maps (unit id, month) to the supervisor's report. A month without a schedule or
    without a report is a gap, not a zero."""
    scheduled, opened = [], []
    for month in months:
        planned = [_hours(s.length) for (unit, m), s in schedules.items() if m == month]
        made = [float(r.hours_open) for (unit, m), r in reports.items() if m == month]
        scheduled.append(sum(h for h in planned if h is not None) if planned else None)
        opened.append(sum(made) if made else None)
    totals = charts.bar_chart(
        caption=_("Lab hours, %(period)s: scheduled and opened, all units") % {"period": period},
        categories=[charts.month_label(m, short=True) for m in months],
        series=[(_("scheduled"), scheduled), (_("opened"), opened)],
    )
    shares = []
    for unit in units:
        row = []
        for month in months:
            schedule = schedules.get((unit.pk, month))
            report = reports.get((unit.pk, month))
            length = _hours(schedule.length) if schedule else None
            if not length or report is None:
                row.append(None)
            else:
                row.append(round(float(Decimal(report.hours_open)) / length * 100))
        shares.append(row)
    by_unit = charts.heat_map(
        caption=_("Hours opened as a share of the hours scheduled (%%), by unit, %(period)s")
        % {"period": period},
        rows=[unit.short_name for unit in units],
        # Within one year the caption names it and the columns only the month (they are narrow).
        columns=[
            str(charts.MONTHS_3[m.month])
            if len({m.year for m in months}) == 1
            else charts.month_label(m, short=True)
            for m in months
        ],
        values=shares,
    )
    return totals, by_unit


def visits_per_month(first: datetime.date, last: datetime.date, end: datetime.date | None):
    """Visits planned (due in the month, not cancelled) and made (outcome "made") per month from
    `first` to `last`, cut at the durability end."""
    months, notes = charts.clamp_months(first, last, end)
    if not months:
        return charts.bar_chart(
            caption=_("Visits planned and made per month"), categories=[], series=[]
        )
    start, stop = months[0], charts.months_between(months[-1], months[-1])[-1]
    stop = (stop + datetime.timedelta(days=32)).replace(day=1)  # the month after the last
    planned = dict(
        PlannedVisit.objects.filter(due_on__gte=start, due_on__lt=stop)
        .exclude(status=PlannedVisit.Status.CANCELLED)
        .annotate(month=TruncMonth("due_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    # TruncMonth and __date work in the current time zone (the office's, Europe/Warsaw).
    made_counts = {
        day_of(month): n
        for month, n in MonitoringVisit.objects.filter(
            outcome=MonitoringVisit.Outcome.MADE,
            visited_at__date__gte=start,
            visited_at__date__lt=stop,
        )
        .annotate(month=TruncMonth("visited_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }
    return charts.bar_chart(
        caption=_("Visits planned and made per month, %(first)s – %(last)s")
        % {
            "first": charts.month_label(months[0], in_text=True),
            "last": charts.month_label(months[-1], in_text=True),
        },
        categories=[charts.month_label(m, short=True) for m in months],
        series=[
            (_("visits planned"), [planned.get(m, 0) for m in months]),
            (_("visits made"), [made_counts.get(m, 0) for m in months]),
        ],
        notes=notes,
    )


def durability_year(project, year) -> list[charts.Chart]:
    """The durability report's charts of one year: visits planned and made per month, the labs'
    hours scheduled and opened per month (the months up to the day the figures are taken)."""
    months, _notes = charts.clamp_months(year.start, year.measured_on, project.durability_end)
    if not months:
        return []
    visits = visits_per_month(months[0], months[-1], project.durability_end)
    first, last = (charts.month_label(m, in_text=True) for m in (months[0], months[-1]))
    period = f"{first} – {last}"
    totals, _by_unit = lab_hours(period, months, *lab_rows(months))
    return [visits, totals]
