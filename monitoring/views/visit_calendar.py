"""The visit plan as a calendar: a month grid (a week list on a phone) and its printout."""

from django.shortcuts import render
from django.utils import timezone

from lebork_einclusion import clock
from lebork_einclusion.models import Project
from lebork_einclusion.pdf import pdf_response

from .. import glance, papers, schedules, visit_calendar, visits
from .common import month_or_404
from .visits import _officer_filter, _parse_month


def _calendar_context(request, month):
    today = clock.today()
    officer_choice, officer = _officer_filter(request)
    weeks = visit_calendar.month_weeks(month, today, officer)
    return {
        "month": month,
        "today": today,
        "weeks": weeks,
        "counts": visit_calendar.counts(weeks),
        "officer_choice": officer_choice,
        "officer": officer,
        "month_param": f"{month:%Y-%m}",
    }


def calendar_month(request):
    """The month's visits by day: planned, overdue, moved and made, each a link."""
    month = _parse_month(request.GET.get("month", ""), clock.today().replace(day=1))
    context = _calendar_context(request, month)
    project = Project.current()
    first = schedules.next_month(month.replace(year=month.year - 1))
    if project is not None and project.start_date:
        # Twelve months up to the month shown, none before the project began.
        first = min(month, max(first, project.start_date.replace(day=1)))
    context.update(
        {
            "visits_chart": glance.visits_per_month(
                first,
                month,
                project.durability_end if project else None,
            ),
            "officers": visits.officers_with_plans(),
            "previous": schedules.previous_month(month),
            "next": schedules.next_month(month),
        }
    )
    return render(request, "monitoring/visit_calendar.html", context)


def calendar_pdf(request, year, month):
    """The same month printed for the officer's round."""
    month = month_or_404(year, month)
    context = _calendar_context(request, month)
    context.update({"project": Project.current(), "printed_at": timezone.localtime(clock.now())})
    pdf = papers.visit_calendar_pdf(context)
    return pdf_response(pdf, f"plan-wizyt-{month:%Y-%m}.pdf")
