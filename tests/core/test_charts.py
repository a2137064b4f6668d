"""The one way to draw (lebork_einclusion/charts.py): SVG read back with ElementTree."""

import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from lebork_einclusion import charts, pdf

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = charts.months_between(datetime.date(2013, 1, 1), datetime.date(2013, 6, 30))


def parse(chart):
    return ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)


def test_months_between_takes_both_ends_month_by_month():
    assert charts.months_between(datetime.date(2012, 11, 19), datetime.date(2013, 2, 1)) == [
        datetime.date(2012, 11, 1),
        datetime.date(2012, 12, 1),
        datetime.date(2013, 1, 1),
        datetime.date(2013, 2, 1),
    ]


def test_a_range_past_the_durability_end_is_cut_there_and_says_so():
    with translation.override("pl"):
        months, notes = charts.clamp_months(
            datetime.date(2019, 10, 1), datetime.date(2021, 5, 1), datetime.date(2019, 12, 31)
        )
    assert months[-1] == datetime.date(2019, 12, 1)
    assert len(months) == 3
    assert notes and "31.12.2019" in notes[0] and "trwałości" in notes[0]


def test_a_range_within_the_durability_period_is_not_cut():
    months, notes = charts.clamp_months(
        datetime.date(2019, 10, 1), datetime.date(2019, 11, 1), datetime.date(2019, 12, 31)
    )
    assert len(months) == 2 and notes == []


def test_numbers_and_months_are_written_the_polish_way():
    with translation.override("pl"):
        assert charts.number(1234.5) == "1\xa0234,5"
        assert charts.number(None) == "–"
        assert charts.month_label(datetime.date(2013, 3, 1)).lower() == "marzec 2013"
        assert charts.month_label(datetime.date(2013, 3, 1), short=True) == "mar 2013"


def test_a_line_chart_has_a_text_alternative_and_its_values_in_the_svg():
    chart = charts.line_chart(
        caption="Households connected",
        months=MONTHS,
        series=[("value", [10, 20, 30, 40, 50, 60])],
        target=("target", [75] * 6),
    )
    svg = parse(chart)
    assert svg.get("role") == "img"
    assert "Households connected" in svg.get("aria-label")
    assert svg.find(f"{SVG}title").text == "Households connected"
    points = svg.findall(f".//{SVG}g[@data-month]")
    assert {p.get("data-month"): p.get("data-value") for p in points}["2013-04"] == "40"
    assert svg.find(f".//{SVG}polyline[@class='chart-target']").get("stroke-dasharray")
    assert chart.rows[3][1:] == ["40", "75"]


def test_a_none_value_is_a_gap_in_the_line_not_a_zero():
    chart = charts.line_chart(
        caption="c", months=MONTHS, series=[("value", [10, 20, None, 40, 50, 60])]
    )
    svg = parse(chart)
    series = svg.find(f".//{SVG}g[@class='chart-series']")
    lines = series.findall(f"{SVG}polyline")
    assert len(lines) == 2  # broken at March
    assert "2013-03" not in [p.get("data-month") for p in series.findall(f"{SVG}g")]
    assert chart.rows[2][1] == "–"


def test_a_chart_without_data_is_an_empty_frame_with_a_sentence():
    with translation.override("pl"):
        chart = charts.line_chart(caption="c", months=MONTHS, series=[("v", [None] * 6)])
        html = render_to_string("partials/chart.html", {"chart": chart})
    assert chart.empty and chart.rows == []
    texts = [t.text for t in parse(chart).iter(f"{SVG}text")]
    assert "Brak danych." in texts
    assert "<table" not in html and "Brak danych" in html


def test_no_chart_carries_styles_or_scripts_the_csp_would_refuse():
    made = [
        charts.line_chart(caption="l", months=MONTHS, series=[("v", [1, 2, 3, 4, 5, 6])]),
        charts.bar_chart(caption="b", categories=["a", "b"], series=[("x", [1, 2]), ("y", [2, 1])]),
        charts.heat_map(caption="h", rows=["r"], columns=["a", "b"], values=[[1, None]]),
    ]
    for chart in made:
        svg = parse(chart)
        for element in svg.iter():
            assert "style" not in element.attrib
            assert element.tag not in (f"{SVG}style", f"{SVG}script")


def test_bars_carry_their_values_and_a_missing_one_draws_nothing():
    chart = charts.bar_chart(
        caption="Visits",
        categories=["Jan", "Feb"],
        series=[("planned", [3, 4]), ("made", [2, None])],
    )
    bars = parse(chart).findall(f".//{SVG}rect[@data-series]")
    assert [(b.get("data-category"), b.get("data-series"), b.get("data-value")) for b in bars] == [
        ("Jan", "planned", "3"),
        ("Jan", "made", "2"),
        ("Feb", "planned", "4"),
    ]
    assert chart.rows == [["Jan", "3", "2"], ["Feb", "4", "–"]]


def test_heat_map_cells_darken_with_the_value_and_show_it():
    chart = charts.heat_map(
        caption="Attendance",
        rows=["present", "absent"],
        columns=["1", "2"],
        values=[[9, 8], [1, None]],
    )
    cells = {
        (c.get("data-row"), c.get("data-column")): c
        for c in parse(chart).findall(f".//{SVG}rect[@data-row]")
    }
    lightness = int(cells[("present", "1")].get("fill")[1:3], 16)
    assert lightness < int(cells[("absent", "1")].get("fill")[1:3], 16)
    assert cells[("absent", "2")].get("stroke-dasharray")  # missing: dashed, not a zero
    assert "data-value" not in cells[("absent", "2")].attrib
    assert chart.rows == [["1", "9", "1"], ["2", "8", "–"]]


def test_the_same_svg_goes_into_the_pdf():
    with translation.override("pl"):
        chart = charts.line_chart(
            caption="Gospodarstwa podłączone",
            months=MONTHS,
            series=[("wartość", [1, 2, 3, 4, 5, 6])],
            target=("cel", [6] * 6),
        )
        html = render_to_string("partials/chart.html", {"chart": chart, "open_data": True})
    text = PdfReader(io.BytesIO(pdf.html_to_pdf(f"<html><body>{html}</body></html>"))).pages[0]
    content = text.extract_text()
    assert "Gospodarstwa podłączone" in content
    assert "sty 2013" in content  # an axis label drawn in the SVG


def test_a_number_is_rounded_not_cut():
    with translation.override("pl"):
        assert charts.number(Decimal("31.68"), 1) == "31,7"
        assert charts.number(31.65, 1) == "31,7"
        assert charts.number(Decimal("1234567.891"), 2) == "1\xa0234\xa0567,89"


def test_numbers_are_written_as_djangos_number_format_writes_them():
    """charts.number writes with the language's separators read once (not through Django's
    localisation machinery for each number): the same text as number_format, rounded."""
    from django.utils import formats

    values = [0, 7, -3, 1000, 1234.5, -1234.56, Decimal("-0.04"), Decimal("9999999.95"), 0.05]
    for language in ("pl", "en"):
        with translation.override(language):
            for value in values:
                for decimals in (0, 1, 2):
                    rounded = Decimal(str(value)).quantize(
                        Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP"
                    )
                    expected = formats.number_format(
                        rounded, decimals, use_l10n=True, force_grouping=True
                    )
                    assert charts.number(value, decimals) == expected, (language, value, decimals)
    with translation.override("en"):
        assert charts.number(1234.5) == "1,234.5"
    with translation.override("pl"):
        assert charts.number(Decimal("-0.04"), 1) == "0,0"  # no minus before a zero


def test_the_data_table_is_written_from_the_rows_and_escaped():
    chart = charts.bar_chart(
        caption="b", categories=["<Jan>", "Feb"], series=[("a & b", [1, 2]), ("c", [3, None])]
    )
    chart.rows[1][0] = 'Feb: "task"'  # a caller may still name its rows (finance does)
    html = render_to_string("partials/chart.html", {"chart": chart})
    assert '<th scope="col">a &amp; b</th>' in html
    assert '<th scope="row">&lt;Jan&gt;</th><td class="text-end">1</td>' in html
    assert '<th scope="row">Feb: &quot;task&quot;</th>' in html
    assert '<td class="text-end">–</td>' in html
    assert "<Jan>" not in html
