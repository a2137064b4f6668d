"""Monitoring at a glance: lab hours opened against scheduled, visits made against planned per
month; read back from the SVG (xml.etree), with their tables, bad input included."""

import datetime
import io
import xml.etree.ElementTree as ET

from django.urls import reverse
from pypdf import PdfReader

from monitoring import glance
from monitoring.models import LabReport, MonitoringVisit, PlannedVisit

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def bars(chart) -> dict:
    svg = ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)
    return {
        (rect.get("data-category"), rect.get("data-series")): float(rect.get("data-value"))
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("data-series")
    }


def test_visits_per_month_count_planned_and_made_in_the_database(db):
    chart = glance.visits_per_month(D(2013, 3, 1), D(2013, 5, 1), D(2019, 12, 31))
    found = bars(chart)
    made_in_march = MonitoringVisit.objects.filter(
        outcome="made", visited_at__date__range=(D(2013, 3, 1), D(2013, 3, 31))
    ).count()
    planned_in_april = (
        PlannedVisit.objects.filter(due_on__range=(D(2013, 4, 1), D(2013, 4, 30)))
        .exclude(status="cancelled")
        .count()
    )
    assert made_in_march > 0
    assert found[("mar 2013", "odbyte")] == made_in_march
    assert found.get(("kwi 2013", "zaplanowane"), 0) == planned_in_april
    assert [row[0] for row in chart.rows] == ["mar 2013", "kwi 2013", "maj 2013"]


def test_a_range_past_the_durability_end_is_cut_and_the_chart_says_so(db):
    chart = glance.visits_per_month(D(2013, 3, 1), D(2014, 6, 1), D(2013, 5, 31))
    assert [row[0] for row in chart.rows] == ["mar 2013", "kwi 2013", "maj 2013"]
    assert any("31.05.2013" in note for note in chart.notes)


def test_a_range_without_visits_is_an_empty_chart_that_still_says_it_was_cut(db):
    chart = glance.visits_per_month(D(2031, 6, 1), D(2032, 6, 1), D(2031, 9, 30))
    assert chart.empty and chart.rows == []
    assert any("30.09.2031" in note for note in chart.notes)


def test_visits_per_month_keep_two_queries(db, django_assert_num_queries):
    with django_assert_num_queries(2):  # planned per month, made per month
        glance.visits_per_month(D(2013, 1, 1), D(2019, 12, 1), None)


def test_the_calendar_page_shows_visits_made_against_planned(officer_phone, settings):
    settings.DEMO_TODAY = D(2013, 4, 15)
    html = officer_phone.get(
        reverse("monitoring:visit_calendar"), {"month": "2013-04", "officer": "all"}
    ).content.decode()
    assert "Wizyty zaplanowane i odbyte w miesiącach" in html
    assert html.count('role="img"') == 1


def test_the_calendar_s_chart_starts_no_earlier_than_the_project(officer_phone, settings):
    from lebork_einclusion.models import Project

    settings.DEMO_TODAY = D(2013, 4, 15)
    page = officer_phone.get(
        reverse("monitoring:visit_calendar"), {"month": "2013-04", "officer": "all"}
    )
    start = Project.current().start_date
    first_label = page.context["visits_chart"].rows[0][0]
    assert (
        first_label
        == f"{['', 'sty', 'lut', 'mar', 'kwi', 'maj', 'cze', 'lip', 'sie', 'wrz', 'paź', 'lis', 'gru'][start.month]} {start.year}"
    )
    assert page.context["visits_chart"].rows[-1][0] == "kwi 2013"


def test_lab_hours_opened_against_scheduled(officer_phone):
    page = officer_phone.get(reverse("monitoring:lab_list"), {"year": "2013"})
    totals, shares = page.context["charts"]
    found = bars(totals)
    reports = LabReport.objects.filter(month=D(2013, 3, 1))
    assert found[("mar 2013", "otwarte")] == float(sum(r.hours_open for r in reports))
    assert ("mar 2013", "zaplanowane") in found
    # No schedule in December 2013 (the demo's hours end in October): a gap, not a zero bar.
    assert ("gru 2013", "otwarte") not in found
    svg = ET.fromstring(str(shares.svg))  # noqa: S314 (our own output)
    report = reports.select_related("unit").first()
    cell = next(
        r
        for r in svg.iter(f"{SVG}rect")
        if r.get("data-row") == report.unit.short_name and r.get("data-column") == "mar"
    )
    assert 0 < float(cell.get("data-value")) <= 200
    assert "Godziny w pracowniach" in page.content.decode()


def test_a_year_without_labs_has_empty_charts_with_a_sentence(officer_phone):
    page = officer_phone.get(reverse("monitoring:lab_list"), {"year": "2030"})
    assert all(chart.empty for chart in page.context["charts"])
    assert "Brak danych" in page.content.decode()


def test_the_durability_report_pdf_carries_the_year_s_charts(client_as, coordinator):
    from decimal import Decimal

    from lebork_einclusion import roles
    from lebork_einclusion.models import PublicUnit
    from monitoring.services.labs import do_save_report

    do_save_report(
        LabReport(unit=PublicUnit.objects.get(short_name="G2"), month=D(2014, 5, 1)),
        {
            "hours_open": Decimal("20"),
            "visitors": 33,
            "problems": "",
            "submitted_on": D(2014, 6, 2),
        },
        actor=coordinator,
    )
    response = client_as(roles.MONITORING).get(reverse("monitoring:durability_pdf", args=[1]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Wizyty zaplanowane i odbyte w miesiącach, styczeń 2014 – grudzień 2014" in text
    assert "Godziny w pracowniach, styczeń 2014 – grudzień 2014" in text
    assert "maj 2014" in text  # an axis label drawn in the SVG
    # The data table beside the chart: May's 20 hours opened.
    assert "maj 2014 – 20" in text
