"""The one way to draw a chart: SVG made on the server, the same markup on the page and in
WeasyPrint's PDF (README, "Charts").

Why hand-written and not pygal or matplotlib: the pages' CSP (`style-src 'self'`) refuses the
`<style>` element and the `style="..."` attributes both libraries put into their SVG (pygal also a
`<script>`), so inline in a page their charts lose their styling. This module writes SVG with
presentation attributes only (fill, stroke, stroke-dasharray), which no CSP governs, as strings
(every text and attribute value passes through `html.escape`) returned as safe markup: the
indicators page draws 17 charts of ~80 months each, and building them element by element with
ElementTree (and their tables with template loops) took half of the page's time.

Every chart has a caption, a text alternative (`role="img"`, `aria-label` and `<title>`) and its
data as a table (`{% include "partials/chart.html" with chart=... %}` draws both; `Chart.table`
writes the table). Numbers and months are written as the active language writes them (Polish:
"1 234,5", "sty 2013"). Series are told apart by lightness, dashes and markers, so they stay
apart in grayscale print. A value None is a gap (the line breaks), never a zero; a chart with no
data is an empty frame with a sentence, never an error.
"""

import datetime
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape

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

    @property
    def table(self) -> SafeString:
        """The data table's head and body (`partials/chart.html` puts them in its `<table>`):
        written here, not by template loops, as a chart of seven years has ~250 cells. Read
        when drawn, so a caller may still change `rows` (finance names its tasks)."""
        head = "".join(f'<th scope="col">{_t(header)}</th>' for header in self.headers)
        body = "".join(
            f'<tr><th scope="row">{_t(row[0])}</th>'
            + "".join(f'<td class="text-end">{_t(cell)}</td>' for cell in row[1:])
            + "</tr>"
            for row in self.rows
        )
        return mark_safe(f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>")  # noqa: S308


# --- formats ------------------------------------------------------------------------------------


def number(value, decimals: int | None = None) -> str:
    """A number as the active language writes it ("1 234,5" in Polish); None is a dash."""
    return number_writer()(value, decimals)


def number_writer():
    """`number` bound to the active language, asked for once: a chart writes hundreds of
    numbers (its labels, titles and table), and asking for the language each time cost more
    than writing them."""
    language = translation.get_language()

    def write(value, decimals: int | None = None) -> str:
        if value is None:
            return "–"
        if decimals is None:
            decimals = 0 if float(value) == int(value) else 1
        # The same few numbers again and again: each written once per language.
        return _number(language, type(value), value, decimals)

    return write


@functools.lru_cache(maxsize=4096)
def _number(language, kind, value, decimals) -> str:
    # Rounded here: Django's number_format cuts the digits off (31,68 would be "31,6").
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    separators = _separators(language)
    if separators is None:  # a grouping Python's format cannot write: Django's own way
        return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)
    decimal_separator, thousand_separator = separators
    if not rounded:
        rounded = abs(rounded)  # "-0,0" is "0,0", as Django writes it
    # Python groups by three with "," and marks the decimals with ".": swapped in one pass.
    written = format(rounded, ",f")
    return written.translate({44: thousand_separator, 46: decimal_separator})


@functools.lru_cache(maxsize=16)
def _separators(language) -> tuple[str, str] | None:
    """The language's decimal and thousand separators (its formats module, read once), or None
    when it groups otherwise than by three."""
    with translation.override(language):
        grouping = formats.get_format("NUMBER_GROUPING", use_l10n=True)
        decimal_separator = formats.get_format("DECIMAL_SEPARATOR", use_l10n=True)
        thousand_separator = formats.get_format("THOUSAND_SEPARATOR", use_l10n=True)
    if grouping != 3:
        return None
    return str(decimal_separator), str(thousand_separator)


@functools.lru_cache(maxsize=16)
def _month_names(language, short: bool, in_text: bool) -> tuple[str, ...]:
    """The twelve months' names in `language` (index 0 is January), translated once."""
    with translation.override(language):
        names = [str((MONTHS_3 if short else MONTHS)[month]) for month in range(1, 13)]
    if in_text and not (language or "").startswith("en"):
        names = [name.lower() for name in names]
    return tuple(names)


@receiver(setting_changed)
def _forget_formats(**kwargs):
    _number.cache_clear()
    _separators.cache_clear()
    _month_names.cache_clear()


def month_label(month: datetime.date, short: bool = False, in_text: bool = False) -> str:
    """'styczeń 2013' (or 'sty 2013'), in the active language (Polish month names in lower case,
    lebork_einclusion/dates.py); `in_text`: as written inside a sentence."""
    name = _month_names(translation.get_language(), short, in_text)[month.month - 1]
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
# Each helper returns SVG markup as a string; every text and attribute value is escaped here.


def _t(value) -> str:
    """Text content, escaped as Django escapes it (lazy translations and numbers alike)."""
    return _escaped(str(value))


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    # A chart's texts repeat (its months, "0", "–"): each escaped once.
    return escape(text)


def _tag(tag: str, attributes: dict, inner: str | None = None) -> str:
    written = "".join(f' {name}="{escape(str(value))}"' for name, value in attributes.items())
    if inner is None:
        return f"<{tag}{written} />"
    return f"<{tag}{written}>{inner}</{tag}>"


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


def _svg(caption: str, summary: str, width: int = WIDTH, height: int = HEIGHT) -> list[str]:
    """The opening of a chart's SVG with its text alternative: append the drawing, then _done."""
    label = escape(f"{caption}. {summary}")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' role="img" aria-label="{label}" font-family="{FONT}" font-size="12" fill="{INK}"'
        f' class="chart-svg"><title>{_t(caption)}</title><desc>{_t(summary)}</desc>'
    ]


def _text(x, y, text, anchor="middle", size=None, **attributes) -> str:
    more = "".join(f' {name}="{escape(str(value))}"' for name, value in attributes.items())
    if size:
        more += f' font-size="{size}"'
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{more}>{_t(text)}</text>'


def _y_axis(svg: list[str], top: float, step: float, plot, decimals=None):
    number = number_writer()
    left, plot_top, right, bottom = plot
    value = 0.0
    while value <= top + step / 1000:
        y = bottom - (bottom - plot_top) * value / top
        svg.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"'
            ' stroke-width="0.5" />'
        )
        svg.append(_text(left - 6, y + 4, number(value, decimals), anchor="end", size=11))
        value += step


def _frame(svg: list[str], plot):
    left, top, right, bottom = plot
    svg.append(
        f'<polyline points="{left},{top} {left},{bottom} {right},{bottom}" fill="none"'
        f' stroke="{INK}" stroke-width="1" />'
    )


def _empty(svg: list[str], plot, sentence):
    _frame(svg, plot)
    left, top, right, bottom = plot
    svg.append(_text((left + right) / 2, (top + bottom) / 2, sentence, size=14))


def _legend(svg: list[str], entries, y):
    """entries: (label, draw(x, y) -> markup); laid out in one row under the plot."""
    x = MARGIN_LEFT
    for label, draw in entries:
        svg.append(f"<g>{draw(x, y)}{_text(x + 26, y + 4, label, anchor='start', size=11)}</g>")
        x += 40 + 7 * len(label)


def _marker(kind, x, y, colour) -> str:
    if kind == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}" />'
    if kind == "diamond":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}" />'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" />'


def _done(svg: list[str]) -> SafeString:
    return mark_safe("".join(svg) + "</svg>")  # noqa: S308 (every value escaped above)


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
    number = number_writer()  # the active language, asked for once
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
    full, short = (
        _month_names(translation.get_language(), brief, False) for brief in (False, True)
    )
    names = [f"{full[month.month - 1]} {month.year}" for month in months]
    # Every month's x and every value's y, written once: points, titles and markers share them.
    at = [left + (right - left) * (index + 0.5) / count for index in range(count)]
    xs = [f"{x:.1f}" for x in at]

    def y_at(value) -> float:
        return bottom - (bottom - top) * float(value) / axis_top

    def y_of(value) -> str:
        return f"{y_at(value):.1f}"

    every = _label_every(count)
    for index, month in enumerate(months):
        # Long ranges: a tick each January (and the first month); short ones: every few months.
        if count > 24:
            labelled = month.month == 1 or (index == 0 and month.month < 10)
        else:
            labelled = index % every == 0
        if labelled:
            x = xs[index]
            svg.append(
                f'<line x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 4}" stroke="{INK}" />'
                f'<text x="{x}" y="{bottom + 16:.1f}" text-anchor="middle" font-size="10">'
                f"{_t(f'{short[month.month - 1]} {month.year}')}</text>"
            )
    index_of = {month: i for i, month in enumerate(months)}
    for month, label in marks:
        if month.replace(day=1) not in index_of:
            continue
        index = index_of[month.replace(day=1)]
        x, middle = xs[index], at[index]
        points = f"{x},{bottom - 1} {middle - 5:.1f},{bottom - 9} {middle + 5:.1f},{bottom - 9}"
        svg.append(
            f'<g class="chart-mark"><title>{_t(label)}</title>'
            f'<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="{INK}" stroke-width="1"'
            ' stroke-dasharray="1 3" />'
            f'<polygon points="{points}" fill="{INK}" /></g>'
        )
    if target:
        colour, width, dash = TARGET_STYLE
        for run in _runs(target[1]):
            if len(run) == 1:
                index, v = run[0]
                middle = at[index]
                points = f"{middle - 4:.1f},{y_of(v)} {middle + 4:.1f},{y_of(v)}"
            else:
                points = " ".join(f"{xs[i]},{y_of(v)}" for i, v in run)
            svg.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}"'
                f' stroke-width="{width}" stroke-dasharray="{dash}" class="chart-target" />'
            )
    for number_, (label, values) in enumerate(series):
        colour, width, dash, marker = LINE_STYLES[number_ % len(LINE_STYLES)]
        svg.append(f'<g class="chart-series" data-series="{escape(label)}">')
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(values):
            if len(run) > 1:
                points = " ".join(f"{xs[i]},{y_of(v)}" for i, v in run)
                svg.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}"'
                    f' stroke-width="{width}"{dashes} />'
                )
        for index, value in enumerate(values):
            if value is None:
                continue
            title = _t(f"{names[index]}: {number(value, decimals)}")
            drawn = ""
            if count <= 36 or index == count - 1:
                drawn = _marker(marker, at[index], y_at(value), colour)
            svg.append(
                f'<g data-month="{months[index]:%Y-%m}" data-value="{float(value):g}">'
                f"<title>{title}</title>{drawn}</g>"
            )
        svg.append("</g>")
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
    for index, name in enumerate(names):
        row = [name] + [number(values[index], decimals) for _l, values in series]
        if target:
            row.append(number(target[1][index], decimals))
        rows.append(row)
    return Chart(caption, _done(svg), summary, headers, rows, notes=notes)


def _line_swatch(colour, width, dash, marker):
    def draw(x, y) -> str:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        line = (
            f'<line x1="{x}" x2="{x + 20}" y1="{y}" y2="{y}" stroke="{colour}"'
            f' stroke-width="{width}"{dashes} />'
        )
        return line + (_marker(marker, x + 10, y, colour) if marker else "")

    return draw


def _mark_swatch(x, y) -> str:
    return f'<polygon points="{x + 10},{y + 4} {x + 5},{y - 4} {x + 15},{y - 4}" fill="{INK}" />'


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
    number = number_writer()  # the active language, asked for once
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
    number = number_writer()  # the active language, asked for once
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
            svg.append(_text(left + slot * (index + 0.5), bottom + 16, category, size=10))
        for number_, (label, vs) in enumerate(series):
            value = vs[index]
            if value is None:
                continue
            height = (bottom - top) * float(value) / axis_top
            rect = {
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
            }
            title = f"<title>{_t(f'{category}, {label}: {number(value, decimals)}')}</title>"
            svg.append(_tag("rect", rect, title))
    _frame(svg, plot)

    def swatch(fill):
        def draw(x, y) -> str:
            return (
                f'<rect x="{x}" y="{y - 6}" width="20" height="12" fill="{fill}"'
                f' stroke="{BAR_STROKE}" />'
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
    number = number_writer()  # the active language, asked for once
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
        svg.append(_text(label_width + cell_w * (c + 0.5), top - 8, column, size=10))
    for r, (row, row_values) in enumerate(zip(rows, values, strict=True)):
        y = top + cell_h * r
        svg.append(_text(label_width - 6, y + cell_h / 2 + 4, row, anchor="end", size=11))
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
                text = "–"
                colour = INK
            else:
                share = float(value) / highest
                cell.update({"fill": _shade(share), "data-value": f"{float(value):g}"})
                text = number(value, decimals)
                colour = "#ffffff" if share > 0.55 else INK
            svg.append(_tag("rect", cell))
            svg.append(_text(x + (cell_w - 2) / 2, y + cell_h / 2 + 3, text, size=10, fill=colour))
    table_rows = [
        [column] + [number(values[r][c], decimals) for r in range(len(rows))]
        for c, column in enumerate(columns)
    ]
    return Chart(caption, _done(svg), summary, ["", *rows], table_rows, notes=notes)
