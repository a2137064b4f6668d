"""The one way to draw a chart: SVG made on the server, the same markup on the page and in
WeasyPrint's PDF (README, "Charts").

Why hand-written and not pygal or matplotlib: the pages' CSP (`style-src 'self'`) refuses the
`<style>` element and the `style="..."` attributes both libraries put into their SVG (pygal also a
`<script>`), so inline in a page their charts lose their styling. This module writes SVG with
presentation attributes only (fill, stroke, stroke-dasharray), which no CSP governs, built with
ElementTree (every text is escaped) and returned as safe markup.

Every chart has a caption, a text alternative (`role="img"`, `aria-label` and `<title>`) and its
data as a table (`{% include "partials/chart.html" with chart=... %}` draws both). Numbers and
months are written as the active language writes them (Polish: "1 234,5", "sty 2013"). Series
are told apart by lightness, dashes and markers, so they stay apart in grayscale print. A value
None is a gap (the line breaks), never a zero; a chart with no data is an empty frame with a
sentence, never an error.
"""

import datetime
import functools
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .dates import short_date

WIDTH = 720
HEIGHT = 300
MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 56
FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#1a1a1a"
GRID = "#bfbfbf"

# (stroke, width, dash, marker): dark solid, black dashed, mid-grey dotted... Lightness and
# dashes differ between neighbours, so a grayscale print keeps them apart.
LINE_STYLES = [
    ("#1b4f9c", 2.5, None, "circle"),
    ("#b34700", 2.0, "2 3", "square"),
    ("#5a5a5a", 2.0, "8 3 2 3", "diamond"),
]
TARGET_STYLE = ("#000000", 1.5, "7 4")
# Bar fills from dark to light, each with a dark outline (white bars stay visible on paper).
BAR_FILLS = ["#1b4f9c", "#a9c1e3", "#ffffff", "#5a5a5a"]
BAR_STROKE = "#1b4f9c"


@dataclass
class Chart:
    """What a template needs: the SVG, the caption, the text alternative and the data table."""

    caption: str
    svg: SafeString
    summary: str
    headers: list[str]
    rows: list[list[str]]
    empty: bool = False
    notes: list[str] = field(default_factory=list)


# --- formats ------------------------------------------------------------------------------------


def number(value, decimals: int | None = None) -> str:
    """A number as the active language writes it ("1 234,5" in Polish); None is a dash."""
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if float(value) == int(value) else 1
    # A chart writes the same few numbers hundreds of times (its labels, titles and table).
    return _number(translation.get_language(), type(value), value, decimals)


@functools.lru_cache(maxsize=4096)
def _number(language, kind, value, decimals) -> str:
    # Rounded here: Django's number_format cuts the digits off (31,68 would be "31,6").
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


@receiver(setting_changed)
def _forget_numbers(**kwargs):
    _number.cache_clear()


def month_label(month: datetime.date, short: bool = False, in_text: bool = False) -> str:
    """'styczeń 2013' (or 'sty 2013'), in the active language (Polish month names in lower case,
    lebork_einclusion/dates.py); `in_text`: as written inside a sentence."""
    names = MONTHS_3 if short else MONTHS
    name = str(names[month.month])
    if in_text and not (translation.get_language() or "").startswith("en"):
        name = name.lower()
    return f"{name} {month.year}"


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of every month from first's month to last's month, both included."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def clamp_months(
    first: datetime.date, last: datetime.date, end: datetime.date | None
) -> tuple[list[datetime.date], list[str]]:
    """The months of a range, cut at `end` (the durability end): the notes say what was cut."""
    notes = []
    if end is not None and last > end:
        last = end
        notes.append(
            _("The range is cut at %(end)s, the end of the durability period.")
            % {"end": short_date(end)}
        )
    return months_between(first, last), notes


# --- drawing helpers ----------------------------------------------------------------------------


def _nice_step(top: float, ticks: int = 5) -> float:
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _axis_top(values: Sequence[float]) -> tuple[float, float]:
    top = max(values, default=0) or 1
    step = _nice_step(top)
    return step * math.ceil(top / step), step


def _svg(caption: str, summary: str, width: int = WIDTH, height: int = HEIGHT) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": "100%",
            "role": "img",
            "aria-label": f"{caption}. {summary}",
            "font-family": FONT,
            "font-size": "12",
            "fill": INK,
            "class": "chart-svg",
        },
    )
    ET.SubElement(svg, "title").text = caption
    ET.SubElement(svg, "desc").text = summary
    return svg


def _text(parent, x, y, text, anchor="middle", size=None, **attributes):
    element = ET.SubElement(
        parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", "text-anchor": anchor, **attributes}
    )
    if size:
        element.set("font-size", str(size))
    element.text = str(text)  # lazy translations and numbers alike
    return element


def _y_axis(svg, top: float, step: float, plot, decimals=None):
    left, plot_top, right, bottom = plot
    value = 0.0
    while value <= top + step / 1000:
        y = bottom - (bottom - plot_top) * value / top
        ET.SubElement(
            svg,
            "line",
            {
                "x1": f"{left}",
                "x2": f"{right}",
                "y1": f"{y:.1f}",
                "y2": f"{y:.1f}",
                "stroke": GRID,
                "stroke-width": "0.5",
            },
        )
        _text(svg, left - 6, y + 4, number(value, decimals), anchor="end", size=11)
        value += step


def _frame(svg, plot):
    left, top, right, bottom = plot
    ET.SubElement(
        svg,
        "polyline",
        {
            "points": f"{left},{top} {left},{bottom} {right},{bottom}",
            "fill": "none",
            "stroke": INK,
            "stroke-width": "1",
        },
    )


def _empty(svg, plot, sentence):
    _frame(svg, plot)
    left, top, right, bottom = plot
    _text(svg, (left + right) / 2, (top + bottom) / 2, sentence, size=14)


def _legend(svg, entries, y):
    """entries: (label, draw(group, x, y)); laid out in one row under the plot."""
    x = MARGIN_LEFT
    for label, draw in entries:
        group = ET.SubElement(svg, "g")
        draw(group, x, y)
        _text(group, x + 26, y + 4, label, anchor="start", size=11)
        x += 40 + 7 * len(label)


def _marker(parent, kind, x, y, colour):
    if kind == "square":
        ET.SubElement(
            parent,
            "rect",
            {"x": f"{x - 3:.1f}", "y": f"{y - 3:.1f}", "width": "6", "height": "6", "fill": colour},
        )
    elif kind == "diamond":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"
        ET.SubElement(parent, "polygon", {"points": points, "fill": colour})
    else:
        ET.SubElement(
            parent, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "3", "fill": colour}
        )


def _done(svg) -> SafeString:
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (ElementTree escapes)


def _label_every(count: int, room: int = 12) -> int:
    return max(1, math.ceil(count / room))


# --- the three charts ---------------------------------------------------------------------------


def line_chart(
    *,
    caption: str,
    months: Sequence[datetime.date],
    series: Sequence[tuple[str, Sequence[float | None]]],
    target: tuple[str, Sequence[float | None]] | None = None,
    marks: Sequence[tuple[datetime.date, str]] = (),
    notes: Sequence[str] = (),
    decimals: int | None = None,
) -> Chart:
    """Monthly series (a value per month, None a gap) against a target line, with marked
    months (the frozen snapshots: a dotted vertical line and a triangle on the axis)."""
    caption, notes = str(caption), [str(note) for note in notes]
    series = [(str(label), list(values)) for label, values in series]
    target = (str(target[0]), list(target[1])) if target else None
    marks = [(month, str(label)) for month, label in marks]
    plot = (MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM)
    left, top, right, bottom = plot
    all_values = [v for _label, values in series for v in values if v is not None]
    headers = [_("Month")] + [label for label, _values in series]
    if target:
        headers.append(target[0])
    empty = not months or not all_values
    summary = _summary_line(months, series, target) if not empty else _("No data yet.")
    svg = _svg(caption, summary)
    if empty:
        _empty(svg, plot, _("No data yet."))
        return Chart(caption, _done(svg), summary, headers, [], empty=True, notes=notes)

    target_values = [v for v in (target[1] if target else []) if v is not None]
    axis_top, step = _axis_top(all_values + target_values)
    _y_axis(svg, axis_top, step, plot, decimals)
    count = len(months)

    def x_of(index):
        return left + (right - left) * (index + 0.5) / count

    def y_of(value):
        return bottom - (bottom - top) * float(value) / axis_top

    every = _label_every(count)
    for index, month in enumerate(months):
        # Long ranges: a tick each January (and the first month); short ones: every few months.
        if count > 24:
            labelled = month.month == 1 or (index == 0 and month.month < 10)
        else:
            labelled = index % every == 0
        if labelled:
            x = x_of(index)
            ET.SubElement(
                svg,
                "line",
                {"x1": f"{x:.1f}", "x2": f"{x:.1f}", "y1": f"{bottom}", "y2": f"{bottom + 4}"},
                stroke=INK,
            )
            _text(svg, x, bottom + 16, month_label(month, short=True), size=10)
    index_of = {month: i for i, month in enumerate(months)}
    for month, label in marks:
        if month.replace(day=1) not in index_of:
            continue
        x = x_of(index_of[month.replace(day=1)])
        group = ET.SubElement(svg, "g", {"class": "chart-mark"})
        ET.SubElement(group, "title").text = label
        ET.SubElement(
            group,
            "line",
            {
                "x1": f"{x:.1f}",
                "x2": f"{x:.1f}",
                "y1": f"{top}",
                "y2": f"{bottom}",
                "stroke": INK,
                "stroke-width": "1",
                "stroke-dasharray": "1 3",
            },
        )
        points = f"{x:.1f},{bottom - 1} {x - 5:.1f},{bottom - 9} {x + 5:.1f},{bottom - 9}"
        ET.SubElement(group, "polygon", {"points": points, "fill": INK})
    if target:
        colour, width, dash = TARGET_STYLE
        for run in _runs(target[1]):
            points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in run)
            if len(run) == 1:
                i, v = run[0]
                points = f"{x_of(i) - 4:.1f},{y_of(v):.1f} {x_of(i) + 4:.1f},{y_of(v):.1f}"
            ET.SubElement(
                svg,
                "polyline",
                {
                    "points": points,
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": str(width),
                    "stroke-dasharray": dash,
                    "class": "chart-target",
                },
            )
    for number_, (label, values) in enumerate(series):
        colour, width, dash, marker = LINE_STYLES[number_ % len(LINE_STYLES)]
        group = ET.SubElement(svg, "g", {"class": "chart-series", "data-series": label})
        for run in _runs(values):
            if len(run) > 1:
                line = {
                    "points": " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in run),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": str(width),
                }
                if dash:
                    line["stroke-dasharray"] = dash
                ET.SubElement(group, "polyline", line)
        for index, value in enumerate(values):
            if value is None:
                continue
            point = ET.SubElement(
                group,
                "g",
                {"data-month": f"{months[index]:%Y-%m}", "data-value": f"{float(value):g}"},
            )
            ET.SubElement(
                point, "title"
            ).text = f"{month_label(months[index])}: {number(value, decimals)}"
            if count <= 36 or index == count - 1:
                _marker(point, marker, x_of(index), y_of(value), colour)
    _frame(svg, plot)
    legend = []
    for number_, (label, _values) in enumerate(series):
        colour, width, dash, marker = LINE_STYLES[number_ % len(LINE_STYLES)]
        legend.append((label, _line_swatch(colour, width, dash, marker)))
    if target:
        colour, width, dash = TARGET_STYLE
        legend.append((target[0], _line_swatch(colour, width, dash, None)))
    if marks:
        legend.append((_("frozen snapshot"), _mark_swatch))
    _legend(svg, legend, HEIGHT - 16)
    rows = []
    for index, month in enumerate(months):
        row = [month_label(month)] + [number(values[index], decimals) for _l, values in series]
        if target:
            row.append(number(target[1][index], decimals))
        rows.append(row)
    return Chart(caption, _done(svg), summary, headers, rows, notes=notes)


def _line_swatch(colour, width, dash, marker):
    def draw(group, x, y):
        line = {
            "x1": f"{x}",
            "x2": f"{x + 20}",
            "y1": f"{y}",
            "y2": f"{y}",
            "stroke": colour,
            "stroke-width": str(width),
        }
        if dash:
            line["stroke-dasharray"] = dash
        ET.SubElement(group, "line", line)
        if marker:
            _marker(group, marker, x + 10, y, colour)

    return draw


def _mark_swatch(group, x, y):
    points = f"{x + 10},{y + 4} {x + 5},{y - 4} {x + 15},{y - 4}"
    ET.SubElement(group, "polygon", {"points": points, "fill": INK})


def _runs(values):
    """Consecutive (index, value) stretches without None: each is drawn as one line."""
    runs, run = [], []
    for index, value in enumerate(values):
        if value is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((index, value))
    if run:
        runs.append(run)
    return runs


def _summary_line(months, series, target) -> str:
    parts = []
    for label, values in series:
        known = [(m, v) for m, v in zip(months, values, strict=False) if v is not None]
        if known:
            month, value = known[-1]
            parts.append(
                _("%(series)s: %(value)s in %(month)s")
                % {
                    "series": label,
                    "value": number(value),
                    "month": month_label(month, in_text=True),
                }
            )
    if target:
        known = [v for v in target[1] if v is not None]
        if known:
            parts.append(_("target %(value)s") % {"value": number(known[-1])})
    return "; ".join(parts) + "."


def bar_chart(
    *,
    caption: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    notes: Sequence[str] = (),
    decimals: int | None = None,
) -> Chart:
    """Grouped bars: one group per category (a month), one bar per series (planned, made)."""
    caption, notes = str(caption), [str(note) for note in notes]
    categories = [str(category) for category in categories]
    series = [(str(label), list(values)) for label, values in series]
    plot = (MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM)
    left, top, right, bottom = plot
    values = [v for _label, vs in series for v in vs if v is not None]
    headers = [""] + [label for label, _vs in series]
    empty = not categories or not any(values)
    summary = (
        _("No data yet.")
        if empty
        else "; ".join(
            _("%(series)s: %(total)s in all")
            % {"series": label, "total": number(sum(v for v in vs if v is not None), decimals)}
            for label, vs in series
        )
        + "."
    )
    svg = _svg(caption, summary)
    if empty:
        _empty(svg, plot, _("No data yet."))
        return Chart(caption, _done(svg), summary, headers, [], empty=True, notes=notes)
    axis_top, step = _axis_top(values)
    _y_axis(svg, axis_top, step, plot, decimals)
    slot = (right - left) / len(categories)
    bar = slot * 0.8 / len(series)
    every = _label_every(len(categories))
    for index, category in enumerate(categories):
        x0 = left + slot * index + slot * 0.1
        if index % every == 0:
            _text(svg, left + slot * (index + 0.5), bottom + 16, category, size=10)
        for number_, (label, vs) in enumerate(series):
            value = vs[index]
            if value is None:
                continue
            height = (bottom - top) * float(value) / axis_top
            rect = ET.SubElement(
                svg,
                "rect",
                {
                    "x": f"{x0 + bar * number_:.1f}",
                    "y": f"{bottom - height:.1f}",
                    "width": f"{max(bar - 1, 1):.1f}",
                    "height": f"{height:.1f}",
                    "fill": BAR_FILLS[number_ % len(BAR_FILLS)],
                    "stroke": BAR_STROKE,
                    "stroke-width": "1",
                    "data-series": label,
                    "data-category": category,
                    "data-value": f"{float(value):.15g}",
                },
            )
            ET.SubElement(rect, "title").text = f"{category}, {label}: {number(value, decimals)}"
    _frame(svg, plot)

    def swatch(fill):
        def draw(group, x, y):
            ET.SubElement(
                group,
                "rect",
                {
                    "x": f"{x}",
                    "y": f"{y - 6}",
                    "width": "20",
                    "height": "12",
                    "fill": fill,
                    "stroke": BAR_STROKE,
                },
            )

        return draw

    _legend(
        svg,
        [(label, swatch(BAR_FILLS[n % len(BAR_FILLS)])) for n, (label, _vs) in enumerate(series)],
        HEIGHT - 16,
    )
    rows = [
        [category] + [number(vs[index], decimals) for _label, vs in series]
        for index, category in enumerate(categories)
    ]
    return Chart(caption, _done(svg), summary, headers, rows, notes=notes)


def _shade(share: float) -> str:
    """White to dark blue by share (0..1): one hue, so lightness alone carries the value."""
    low, high = (255, 255, 255), (16, 52, 110)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True)
    )


def heat_map(
    *,
    caption: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    notes: Sequence[str] = (),
    decimals: int | None = None,
) -> Chart:
    """A grid of cells (rows x columns), darker for more, each cell also showing its number
    (a missing value is an empty, dashed cell with a dash)."""
    caption, notes = str(caption), [str(note) for note in notes]
    rows, columns = [str(row) for row in rows], [str(column) for column in columns]
    known = [v for row in values for v in row if v is not None]
    headers = ["", *columns]
    empty = not rows or not columns or not known
    label_width = 130
    cell_w = max(18.0, min(60.0, (WIDTH - label_width - MARGIN_RIGHT) / max(len(columns), 1)))
    cell_h = 26
    width = int(label_width + cell_w * max(len(columns), 1) + MARGIN_RIGHT)
    height = int(MARGIN_TOP + 40 + cell_h * max(len(rows), 1) + 8)
    summary = (
        _("No data yet.")
        if empty
        else "; ".join(
            _("%(row)s: %(total)s in all")
            % {"row": row, "total": number(sum(v for v in vs if v is not None), decimals)}
            for row, vs in zip(rows, values, strict=True)
        )
        + "."
    )
    if empty:
        svg = _svg(caption, summary)
        _empty(
            svg,
            (MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM),
            _("No data yet."),
        )
        return Chart(caption, _done(svg), summary, headers, [], empty=True, notes=notes)
    svg = _svg(caption, summary, width, height)
    top = MARGIN_TOP + 28
    highest = max(known) or 1
    for c, column in enumerate(columns):
        _text(svg, label_width + cell_w * (c + 0.5), top - 8, column, size=10)
    for r, (row, row_values) in enumerate(zip(rows, values, strict=True)):
        y = top + cell_h * r
        _text(svg, label_width - 6, y + cell_h / 2 + 4, row, anchor="end", size=11)
        for c, value in enumerate(row_values):
            x = label_width + cell_w * c
            cell = {
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
                "width": f"{cell_w - 2:.1f}",
                "height": f"{cell_h - 2}",
                "stroke": GRID,
                "data-row": row,
                "data-column": columns[c],
            }
            if value is None:
                cell.update({"fill": "#ffffff", "stroke-dasharray": "2 2"})
                ET.SubElement(svg, "rect", cell)
                text = "–"
                colour = INK
            else:
                share = float(value) / highest
                cell.update({"fill": _shade(share), "data-value": f"{float(value):g}"})
                ET.SubElement(svg, "rect", cell)
                text = number(value, decimals)
                colour = "#ffffff" if share > 0.55 else INK
            _text(svg, x + (cell_w - 2) / 2, y + cell_h / 2 + 3, text, size=10, fill=colour)
    table_rows = [
        [column] + [number(values[r][c], decimals) for r in range(len(rows))]
        for c, column in enumerate(columns)
    ]
    return Chart(caption, _done(svg), summary, ["", *rows], table_rows, notes=notes)
