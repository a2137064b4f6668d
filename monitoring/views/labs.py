"""The public units' labs: monthly opening hours and supervisors' reports (office), and
the published hours and poster (public, no login: units, addresses and hours only)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, DurationField, OuterRef, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion import clock, roles
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.models import Project, PublicUnit
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.pdf import pdf_response

from .. import glance, papers, schedules
from ..forms.labs import LabReportForm, ScheduleEntry
from ..models import (
    LabReport,
    LabSchedule,
    LabSlot,
)
from ..services.labs import do_save_report, do_save_schedule
from .common import month_or_404

# --- the labs (office) -----------------------------------------------------------------------


def lab_list(request):
    """Units × months of a year: the hours published and whether the report is in."""
    today = clock.today()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        latest = LabSchedule.objects.order_by("-month").values_list("month", flat=True).first()
        year = latest.year if latest else today.year
    if not 2000 <= year <= 2100:
        raise Http404
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    units = list(PublicUnit.objects.order_by("name"))
    schedules_in_year = LabSchedule.objects.filter(month__year=year).annotate(
        length=Sum(glance.slot_length("slots__")), slot_count=Count("slots")
    )
    hours = {(s.unit_id, s.month): s for s in schedules_in_year}
    reports = {(r.unit_id, r.month): r for r in LabReport.objects.filter(month__year=year)}
    rows = [
        (
            unit,
            [
                (month, hours.get((unit.pk, month)), reports.get((unit.pk, month)))
                for month in months
            ],
        )
        for unit in units
    ]
    totals_chart, share_chart = glance.lab_hours(str(year), months, units, hours, reports)
    return render(
        request,
        "monitoring/lab_list.html",
        {
            "year": year,
            "months": months,
            "rows": rows,
            "today": today,
            "charts": [totals_chart, share_chart],
        },
    )


def lab_schedule(request, unit, year, month):
    unit = get_object_or_404(PublicUnit.objects.all(), pk=unit)
    month = month_or_404(year, month)
    schedule = (
        LabSchedule.objects.filter(unit=unit, month=month)
        .select_related("contract__supplier", "updated_by")
        .prefetch_related("slots")
        .first()
    )
    may_edit = roles.may_change(request.user, "monitoring:lab_schedule")
    entry = ScheduleEntry(
        month, request.POST if request.method == "POST" else None, schedule=schedule
    )
    if request.method == "POST" and entry.is_valid():
        data = entry.form.cleaned_data
        try:
            do_save_schedule(
                unit,
                month,
                entry.cleaned_slots,
                actor=request.user,
                room=data["room"],
                notes=data["notes"],
                contract=data["contract"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_error(entry.form, error)
            if error.code == "concurrent_edit":
                # The form now carries the saved version: after comparing, saving again keeps
                # the user's hours.
                current = LabSchedule.objects.filter(unit=unit, month=month).first()
                data = entry.form.data.copy()
                data["schedule-version"] = str(current.version) if current else ""
                entry.form.data = data
        else:
            messages.success(request, _("The opening hours have been saved and published."))
            return redirect("monitoring:lab_schedule", unit.pk, month.year, month.month)
    slots = (
        [schedules.Slot(s.day, s.starts_at, s.ends_at) for s in schedule.slots.all()]
        if schedule
        else []
    )
    return render(
        request,
        "monitoring/lab_schedule.html",
        {
            "unit": unit,
            "month": month,
            "schedule": schedule,
            "entry": entry,
            "may_edit": may_edit,
            "days": schedules.by_day(slots),
            "hours": schedules.total_hours(slots),
            "previous": schedules.previous_month(month),
            "next": schedules.next_month(month),
        },
    )


def lab_report(request, unit, year, month):
    unit = get_object_or_404(PublicUnit.objects.all(), pk=unit)
    month = month_or_404(year, month)
    report = (
        LabReport.objects.filter(unit=unit, month=month)
        .select_related("contract__supplier")
        .first()
    )
    schedule = LabSchedule.objects.filter(unit=unit, month=month).first()
    if report is None:
        report = LabReport(
            unit=unit,
            month=month,
            contract=schedule.contract if schedule else None,
            submitted_on=min(clock.today(), schedules.next_month(month)),
        )
    may_edit = roles.may_change(request.user, "monitoring:lab_report")
    form = LabReportForm(request.POST or None, instance=report, month=month)
    planned = None
    if schedule:
        planned = schedules.total_hours(
            schedules.Slot(s.day, s.starts_at, s.ends_at) for s in schedule.slots.all()
        )
    return form_page(
        request,
        form,
        lambda data: do_save_report(report, data, actor=request.user) and None,
        template="monitoring/lab_report.html",
        context={
            "unit": unit,
            "month": month,
            "report": report,
            "may_edit": may_edit,
            "planned": planned,
        },
        success=_("The report has been saved."),
        back=reverse("monitoring:lab_report_list"),
    )


def _planned_hours():
    """Hours the month's schedule published, per report (one subquery, no extra queries)."""
    slots = (
        LabSlot.objects.filter(
            schedule__unit=OuterRef("unit_id"), schedule__month=OuterRef("month")
        )
        .values("schedule")
        .annotate(total=Sum(glance.slot_length("")))
        .values("total")
    )
    return Subquery(slots, output_field=DurationField())


def lab_report_list(request):
    reports = (
        LabReport.objects.select_related("unit", "contract__supplier")
        .annotate(planned=_planned_hours())
        .order_by("-month", "unit__name")
    )
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        reports = reports.filter(unit_id=int(unit))
    page = seek_page(request, reports)
    return render(
        request,
        "monitoring/lab_report_list.html",
        {
            "page": page,
            "units": PublicUnit.objects.order_by("name"),
            "unit": unit,
            "query": query_without_page(request),
        },
    )


# --- the labs (public) -----------------------------------------------------------------------


def _published_months() -> list[datetime.date]:
    return list(
        LabSchedule.objects.filter(slots__isnull=False)
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )


def _default_month(months: list[datetime.date]) -> datetime.date:
    """This month when it is published, else the latest published before it, else the first."""
    this_month = clock.today().replace(day=1)
    if not months or this_month in months:
        return this_month
    earlier = [m for m in months if m < this_month]
    return earlier[-1] if earlier else months[0]


def _unit_schedules(month: datetime.date, unit: PublicUnit | None = None):
    """Every unit with the month's schedule (or None) and its days: three queries."""
    units = PublicUnit.objects.order_by("name")
    if unit is not None:
        units = units.filter(pk=unit.pk)
    found = {
        s.unit_id: s for s in LabSchedule.objects.filter(month=month).prefetch_related("slots")
    }
    result = []
    for each in units:
        schedule = found.get(each.pk)
        slots = (
            [schedules.Slot(s.day, s.starts_at, s.ends_at) for s in schedule.slots.all()]
            if schedule
            else []
        )
        result.append(
            {
                "unit": each,
                "schedule": schedule,
                "days": schedules.by_day(slots),
                "hours": schedules.total_hours(slots),
            }
        )
    return result


def public_labs(request, year=None, month=None):
    months = _published_months()
    month = month_or_404(year, month) if year else _default_month(months)
    return render(
        request,
        "monitoring/public_labs.html",
        {
            "month": month,
            "months": months,
            "units": _unit_schedules(month),
            "previous": schedules.previous_month(month),
            "next": schedules.next_month(month),
        },
    )


def public_lab_poster(request, year, month):
    """The month's opening hours as a PDF poster for the notice board: one page per unit
    (`?unit=<id>`: that unit only)."""
    month = month_or_404(year, month)
    unit = None
    if request.GET.get("unit"):
        if not request.GET["unit"].isdigit():
            raise Http404
        unit = get_object_or_404(PublicUnit, pk=int(request.GET["unit"]))
    units = [u for u in _unit_schedules(month, unit) if u["days"]]
    if not units:
        raise Http404
    name = f"godziny-pracowni-{month:%Y-%m}"
    if unit is not None:
        name += f"-{unit.pk}"
    return pdf_response(papers.poster_pdf(month, units, Project.current()), f"{name}.pdf")
