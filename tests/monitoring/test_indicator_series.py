"""monitoring.series: every indicator month by month, the same figures as live_indicators and
export_indicators on each month's last day, counted for all the months at once."""

import datetime
import io
import json
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from lebork_einclusion import clock, roles
from lebork_einclusion.models import Project
from lending.models import Participant
from monitoring import series
from monitoring.indicators import INDICATORS, live_indicators
from monitoring.models import IndicatorSnapshot, LabReport
from monitoring.services.snapshots import do_freeze_indicators
from recruitment.models import Application

D = datetime.date
CLAIM = IndicatorSnapshot.Purpose.PAYMENT_CLAIM

# A month of the project, one of the first durability year, one deep in the durability period.
SAMPLED = [D(2013, 3, 1), D(2014, 6, 1), D(2017, 11, 1)]


def exported(day) -> dict:
    out = io.StringIO()
    call_command("export_indicators", "--format", "json", "--as-of", day.isoformat(), stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}


def plain(number):
    """As export_indicators writes a number."""
    if number is None or isinstance(number, int):
        return number
    return int(number) if number == int(number) else float(number)


def test_the_series_run_from_the_first_call_to_the_durability_end(db):
    project = Project.current()
    months, notes = series.month_range(project)
    assert months[0] == D(2012, 6, 1)
    assert months[-1] == D(2018, 12, 1)  # today is after the durability end: cut there
    assert notes and "31.12.2018" in notes[0]
    every = series.indicator_series(project)
    assert [s.code for s in every] == [d.code for d in INDICATORS]
    assert all(len(s.values) == len(months) == len(s.targets) for s in every)


def test_sampled_months_equal_live_indicators_and_export_indicators(db):
    project = Project.current()
    by_code = series.series_by_code(project)
    months = by_code["participants"].months
    checked = 0
    for month in SAMPLED:
        index = months.index(month)
        day = by_code["participants"].days[index]
        assert day == series.month_ends([month], clock.today())[0]
        live = {i.code: i for i in live_indicators(project, as_of=day)}
        export = exported(day)
        for code, indicator in live.items():
            got = by_code[code]
            assert (got.values[index], got.targets[index]) == (indicator.value, indicator.target), (
                code,
                day,
            )
            assert plain(got.values[index]) == export[code]["value"], (code, day)
            assert plain(got.targets[index]) == export[code]["target"], (code, day)
            checked += 1
    assert checked == 3 * len(INDICATORS)
    # The samples are not all zeros: the figures move between them.
    assert by_code["participants"].values[months.index(SAMPLED[0])] == 75
    assert by_code["applications_received"].values[0] == 0


def test_every_seventh_month_equals_live_indicators(db):
    """More months than the three sampled (each call of live_indicators takes a while)."""
    project = Project.current()
    every = series.indicator_series(project)
    for index, day in list(enumerate(every[0].days))[::7]:
        live = live_indicators(project, as_of=day)
        assert [(s.values[index], s.targets[index]) for s in every] == [
            (i.value, i.target) for i in live
        ], day


def test_the_running_month_is_counted_to_today(db, time_machine):
    time_machine.move_to(datetime.datetime(2013, 4, 15, 12, tzinfo=datetime.UTC))
    project = Project.current()
    by_code = series.series_by_code(project)
    assert by_code["participants"].months[-1] == D(2013, 4, 1)
    assert by_code["participants"].days[-1] == D(2013, 4, 15)
    assert by_code["participants"].notes == []
    live = {i.code: i.value for i in live_indicators(project, as_of=D(2013, 4, 15))}
    assert {code: s.values[-1] for code, s in by_code.items()} == live


def test_a_project_with_no_month_yet_has_empty_series(db, time_machine):
    time_machine.move_to(datetime.datetime(2011, 1, 10, 12, tzinfo=datetime.UTC))
    every = series.indicator_series(Project.current())
    assert every and all(s.months == [] and s.values == [] for s in every)


def test_a_record_moves_the_series_from_its_day_on(db):
    project = Project.current()
    before = series.series_by_code(project)
    months = before["participants"].months
    participant = Participant.objects.filter(ended_on__isnull=True).first()
    participant.ended_on = D(2015, 3, 10)
    participant.save(update_fields=["ended_on"])
    Application.objects.filter(received_on__gt=D(2012, 7, 1)).update(received_on=D(2012, 9, 5))
    LabReport.objects.filter(month=D(2013, 2, 1)).update(visitors=0)
    after = series.series_by_code(project)
    feb, mar = months.index(D(2015, 2, 1)), months.index(D(2015, 3, 1))
    assert after["participants"].values[feb] == before["participants"].values[feb]
    assert after["participants"].values[mar] == before["participants"].values[mar] - 1
    assert after["applications_received"].values[months.index(D(2012, 9, 1))] == 79
    for code in ("participants", "applications_received", "lab_visits"):
        for index in (feb, mar, months.index(D(2013, 2, 1)), months.index(D(2012, 8, 1))):
            day = after[code].days[index]
            live = {i.code: i.value for i in live_indicators(project, as_of=day)}
            assert after[code].values[index] == live[code], (code, day)


def test_the_series_take_as_many_queries_for_any_number_of_months(db, django_assert_num_queries):
    """Each figure is counted by one query for all the months at once (indicators.per_day):
    a year of months and the whole project take the same queries."""
    project = Project.current()
    months = series.month_range(project)[0]
    with CaptureQueriesContext(connection) as whole:
        series.indicator_series(project, months)
    assert len(whole) <= 25
    with django_assert_num_queries(len(whole)):
        series.indicator_series(project, months[:12])


# --- the charts -----------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def chart_points(svg: str) -> dict[str, float]:
    """month (YYYY-MM) -> the value the chart's line marks there, read from the SVG."""
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own SVG)
    return {
        point.get("data-month"): float(point.get("data-value"))
        for point in root.iter(f"{SVG}g")
        if point.get("data-month") and point.get("data-value") is not None
    }


def test_each_indicator_chart_on_the_page_shows_export_indicators_figures(client_as, coordinator):
    do_freeze_indicators(Project.current(), as_of=D(2013, 3, 31), purpose=CLAIM, actor=coordinator)
    response = client_as(roles.COORDINATOR).get(reverse("monitoring:indicators"))
    assert response.status_code == 200
    drawn = response.context["charts"]
    assert len(drawn) == len(INDICATORS)
    html = response.content.decode()
    exports = {month: exported(series.month_ends([month], clock.today())[0]) for month in SAMPLED}
    for definition, chart in zip(INDICATORS, drawn, strict=True):
        assert str(chart.svg) in html
        assert chart.caption.startswith(str(definition.name))
        points = chart_points(str(chart.svg))
        for month, export in exports.items():
            value = export[definition.code]["value"]
            if value is None:
                assert f"{month:%Y-%m}" not in points, definition.code  # a gap, not a zero
            else:
                assert points[f"{month:%Y-%m}"] == pytest.approx(value), (definition.code, month)
        # the frozen snapshot is marked, the target drawn where there is one
        assert 'class="chart-mark"' in str(chart.svg)
        if any(export[definition.code]["target"] is not None for export in exports.values()):
            assert chart.headers[-1] == "wartość docelowa"


def test_an_empty_project_draws_empty_charts_with_a_sentence(client_as, time_machine):
    time_machine.move_to(datetime.datetime(2011, 1, 10, 12, tzinfo=datetime.UTC))
    response = client_as(roles.COORDINATOR).get(reverse("monitoring:indicators"))
    assert response.status_code == 200
    assert all(chart.empty for chart in response.context["charts"])
    assert "Brak danych" in response.content.decode()


def test_the_charts_say_the_range_is_cut_at_the_durability_end(client_as):
    response = client_as(roles.COORDINATOR).get(reverse("monitoring:indicators"))
    assert "z końcem okresu trwałości" in response.content.decode()


def test_a_missing_month_is_a_gap_not_a_zero(db):
    months = [D(2013, 1, 1), D(2013, 2, 1), D(2013, 3, 1)]
    one = series.Series("x", "X", "osób", months, months, [1, None, 3], [5, 5, 5])
    [chart] = series.charts_of([one])
    points = chart_points(str(chart.svg))
    assert points == {"2013-01": 1.0, "2013-03": 3.0}
    assert chart.rows[1][1] == "–"


def test_the_indicators_page_with_every_series_in_a_fixed_number_of_queries(
    client_as, coordinator, django_assert_max_num_queries
):
    client = client_as(roles.COORDINATOR)
    with django_assert_max_num_queries(65):
        response = client.get(reverse("monitoring:indicators"))
    marks = str(response.context["charts"][0].svg).count('class="chart-mark"')
    for month in range(1, 7):
        do_freeze_indicators(
            Project.current(), as_of=D(2014, month, 1), purpose=CLAIM, actor=coordinator
        )
    with django_assert_max_num_queries(65):
        response = client.get(reverse("monitoring:indicators"))
    assert str(response.context["charts"][0].svg).count('class="chart-mark"') == marks + 6


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_the_durability_report_holds_the_indicator_charts_of_its_year(client_as):
    response = client_as(roles.MONITORING).get(reverse("monitoring:durability_pdf", args=[1]))
    text = pdf_text(response.content)
    assert "Wskaźniki miesiąc po miesiącu w roku" in text
    for definition in INDICATORS:
        with translation.override("pl"):
            caption = f"{definition.name} ({definition.unit}), styczeń 2014 – grudzień 2014"
        assert " ".join(caption.split()) in text, caption


def test_the_snapshot_pdf_holds_the_series_up_to_its_day(client_as, coordinator):
    snapshot = do_freeze_indicators(
        Project.current(), as_of=D(2013, 3, 31), purpose=CLAIM, actor=coordinator
    )
    response = client_as(roles.AUDITOR).get(reverse("monitoring:snapshot_pdf", args=[snapshot.pk]))
    text = pdf_text(response.content)
    assert "Wskaźniki miesiąc po miesiącu do tego dnia" in text
    with translation.override("pl"):
        name = str(INDICATORS[0].name)
    assert f"{name} (" in text
    assert "czerwiec 2012 – marzec 2013" in text
    assert "kwiecień 2013" not in text
